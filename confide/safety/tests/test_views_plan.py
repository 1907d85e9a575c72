"""The safety page and the private safety plan: saved, sealed, and seen by its owner alone."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.pairs.models import Pair
from confide.safety.forms import SafetyPlanForm
from confide.safety.models import MAX_STEP, STEPS, SafetyPlan
from tests.personas import client_for

pytestmark = pytest.mark.django_db

PLAN = {
    "warning_signs": "I stop answering messages and sleep until noon.",
    "on_my_own": "A cold shower, then the long walk along the canal.",
    "people_and_places": "Sitting in the library on Wren Street.",
    "who_to_ask": "My sister Morgan, 07700 900123; Dr Okafor at the practice.",
    "safer_surroundings": "Morgan keeps the spare pills at her flat.",
}
OTHERS = ("blake", "eli", "operator", "casey")


def _stored(plan: SafetyPlan, column: str) -> str:
    """The value as it sits in the database, read past the ORM."""
    table = connection.ops.quote_name(SafetyPlan._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [plan.pk.hex])  # noqa: S608
        return str(cursor.fetchone()[0])


def _page(client: Client, name: str, query: str = "") -> str:
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


def _assert_none_of_the_plan_in(page: str) -> None:
    for text in PLAN.values():
        assert text not in page
        # Escaped forms too, so an apostrophe or an ampersand cannot hide a leak.
        assert text.replace("'", "&#x27;") not in page


@pytest.fixture
def alex_plan(alex: User) -> SafetyPlan:
    response = client_for(alex).post(reverse("safety:plan"), PLAN)
    assert response.status_code == 302
    return SafetyPlan.objects.get(owner=alex)


def test_the_form_follows_the_steps_in_order() -> None:
    assert tuple(SafetyPlanForm.base_fields) == STEPS


def test_a_person_saves_their_plan_and_reads_it_back(alex: User) -> None:
    client = client_for(alex)
    assert "Write your safety plan" in _page(client, "safety:index")
    response = client.post(reverse("safety:plan"), PLAN, follow=True)
    assert response.redirect_chain == [(reverse("safety:plan"), 302)]
    page = response.content.decode()
    assert "Your safety plan is saved. Only you can see it." in page
    for text in PLAN.values():
        assert text.replace("'", "&#x27;") in page  # prefilled in the form
    printable = _page(client, "safety:plan_print")
    assert "Morgan keeps the spare pills at her flat." in printable
    assert "Read or change your plan" in _page(client, "safety:index")
    plan = SafetyPlan.objects.get(owner=alex)
    assert {step: getattr(plan, step) for step in STEPS} == PLAN


def test_the_plan_is_sealed_at_rest(alex_plan: SafetyPlan) -> None:
    for step, text in PLAN.items():
        stored = _stored(alex_plan, step)
        assert stored
        assert text not in stored
        assert text.split()[-1] not in stored  # not even one word of it
    assert alex_plan.space_id is not None


def test_the_pages_are_never_cached(alex: User) -> None:
    client = client_for(alex)
    for name in ("safety:index", "safety:plan", "safety:plan_print"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"]


@pytest.mark.parametrize("other", OTHERS)
def test_anyone_else_sees_only_their_own_empty_plan(
    other: str, personas: dict[str, User], pair: Pair, alex_plan: SafetyPlan
) -> None:
    client = client_for(personas[other])
    alex = personas["alex"]
    for query in ("", f"?owner={alex.pk}", f"?plan={alex_plan.pk}", f"?user={alex.pk}"):
        for name in ("safety:index", "safety:plan", "safety:plan_print"):
            page = _page(client, name, query)
            _assert_none_of_the_plan_in(page)
    assert "Write your safety plan" in _page(client, "safety:index")
    assert not SafetyPlan.objects.filter(owner=personas[other]).exists()


@pytest.mark.parametrize("other", OTHERS)
def test_no_address_names_a_plan_or_a_person(
    other: str, personas: dict[str, User], alex_plan: SafetyPlan
) -> None:
    client = client_for(personas[other])
    plan_path = reverse("safety:plan")
    for ident in (alex_plan.pk, personas["alex"].pk, uuid.uuid4()):
        for path in (f"{plan_path}{ident}/", f"{plan_path}print/{ident}/"):
            response = client.get(path)
            assert response.status_code == 404, path
            _assert_none_of_the_plan_in(response.content.decode())


def test_a_forged_owner_field_changes_only_the_senders_own_plan(
    alex_plan: SafetyPlan, blake: User, alex: User
) -> None:
    forged = {
        **{step: "Overwritten" for step in STEPS},
        "owner": str(alex.pk),
        "owner_id": str(alex.pk),
        "id": str(alex_plan.pk),
    }
    response = client_for(blake).post(reverse("safety:plan") + f"?owner={alex.pk}", forged)
    assert response.status_code == 302
    alex_plan = SafetyPlan.objects.get(owner=alex)
    assert {step: getattr(alex_plan, step) for step in STEPS} == PLAN
    assert SafetyPlan.objects.get(owner=blake).warning_signs == "Overwritten"
    assert SafetyPlan.objects.count() == 2


def test_a_step_that_is_too_long_is_refused_and_nothing_is_saved(
    alex: User, alex_plan: SafetyPlan
) -> None:
    too_long = {**PLAN, "warning_signs": "x" * (MAX_STEP + 1), "on_my_own": "Changed"}
    response = client_for(alex).post(reverse("safety:plan"), too_long)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert f"Keep each step to {MAX_STEP} characters or fewer (this one has {MAX_STEP + 1})" in page
    assert 'aria-invalid="true"' in page
    plan = SafetyPlan.objects.get(owner=alex)
    assert plan.on_my_own == PLAN["on_my_own"]
    assert AuditEntry.objects.filter(action="safety.plan.saved").count() == 1


def test_a_new_person_with_too_long_a_step_gets_no_plan(casey: User) -> None:
    response = client_for(casey).post(reverse("safety:plan"), {"who_to_ask": "y" * 5000})
    assert response.status_code == 400
    assert not SafetyPlan.objects.exists()


def test_line_breaks_count_once_as_the_browser_counted_them(alex: User) -> None:
    # 1000 lines of one letter: 2000 characters in the browser, 3000 as sent (CRLF).
    text = "a\r\n" * 999 + "ab"
    response = client_for(alex).post(reverse("safety:plan"), {"warning_signs": text})
    assert response.status_code == 302
    saved = SafetyPlan.objects.get(owner=alex).warning_signs
    assert len(saved) == MAX_STEP
    assert "\r" not in saved


def test_the_printable_copy_escapes_what_was_written(alex: User) -> None:
    client = client_for(alex)
    client.post(reverse("safety:plan"), {"on_my_own": "<b>tea</b>\nthen bed"})
    page = _page(client, "safety:plan_print")
    assert "&lt;b&gt;tea&lt;/b&gt;<br>then bed" in page
    assert "<b>tea</b>" not in page


def test_saving_is_audited_without_the_text(alex: User, alex_plan: SafetyPlan) -> None:
    entry = AuditEntry.objects.get(action="safety.plan.saved")
    assert entry.actor_id == alex.pk
    assert entry.data == {}
    for audited in AuditEntry.objects.all():
        for text in PLAN.values():
            assert text not in str(audited.data)
            assert text not in audited.target_id


def test_the_pause_offered_on_the_safety_page_pauses_the_pair(
    pair: Pair, alex: User, blake: User, alex_plan: SafetyPlan
) -> None:
    alex_client, blake_client = client_for(alex), client_for(blake)
    page = _page(alex_client, "safety:index")
    pause = reverse("pairs:pause", args=[pair.pk])
    assert f'action="{pause}"' in page
    assert "Pause joint activities with Blake" in page
    assert alex_client.post(pause).status_code == 302
    pair.refresh_from_db()
    assert pair.joint_paused
    assert pair.joint_paused_by_id == alex.pk
    # Alex can resume from the safety page; Blake sees only that activities are paused.
    assert "Resume joint activities with Blake" in _page(alex_client, "safety:index")
    blake_pair_page = blake_client.get(reverse("pairs:detail", args=[pair.pk])).content.decode()
    assert "paused for now" in blake_pair_page
    assert "Resume joint activities" not in blake_pair_page
    _assert_none_of_the_plan_in(blake_pair_page)
    blake_safety = _page(blake_client, "safety:index")
    assert "Joint activities here are paused for now." in blake_safety
    assert reverse("pairs:resume", args=[pair.pk]) not in blake_safety
    _assert_none_of_the_plan_in(blake_safety)


def test_an_ended_pair_offers_no_pause(pair: Pair, alex: User) -> None:
    from confide.pairs.services.pairing import pair_leave

    pair_leave(pair=pair, user=alex)
    page = _page(client_for(alex), "safety:index")
    assert reverse("pairs:pause", args=[pair.pk]) not in page


def test_the_safety_page_opens_from_the_crisis_page_and_the_pair_page(
    pair: Pair, alex: User
) -> None:
    client = client_for(alex)
    index = reverse("safety:index")
    crisis = client.get(reverse("core:crisis")).content.decode()
    assert f'href="{index}"' in crisis
    assert "Your private safety page and plan" in crisis
    pair_page = client.get(reverse("pairs:detail", args=[pair.pk])).content.decode()
    assert f'href="{index}"' in pair_page
    # Without an account there is no page of one's own to point to.
    assert index not in Client().get(reverse("core:crisis")).content.decode()


def test_the_safety_page_costs_the_same_queries_for_more_pairs(
    alex: User, pair: Pair, casey: User, alex_plan: SafetyPlan, django_assert_max_num_queries: Any
) -> None:
    from confide.pairs.tests.factories import make_pair

    make_pair(alex, casey)
    client = client_for(alex)
    client.get(reverse("safety:index"))  # warm the session and the resources cache
    # Session, person, plan, pairs, their members and users, unread count, session refresh.
    with django_assert_max_num_queries(10):
        page = _page(client, "safety:index")
    assert "Pause joint activities with Blake" in page
    assert "Pause joint activities with Casey" in page
