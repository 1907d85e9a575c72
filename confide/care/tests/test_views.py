"""Care pages: two-step login for counsellors and operators, the access log, clear refusals
that change nothing, homework on the home page, and the operator console."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.care.models import (
    CareConsent,
    CareRelationship,
    CounsellorNote,
    CounsellorProfile,
    Homework,
    Scope,
)
from confide.care.services import homework_assign, note_add
from confide.care.tests.factories import make_care, make_counsellor
from confide.pairs.models import Pair
from confide.privacy.models import AccessRecord
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _due() -> str:
    return (timezone.localdate() + timedelta(days=5)).isoformat()


def _records(subject: User) -> list[tuple[str, str]]:
    return list(
        AccessRecord.objects.filter(subject=subject).values_list("role", "kind").order_by("pk")
    )


def test_counsellor_pages_ask_for_two_step_login_first(pair: Pair, alex: User, eli: User) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    client = client_for(eli, second_factor=False)
    for url in (
        reverse("care:counsellor"),
        reverse("care:case", args=[relationship.pk]),
        reverse("care:client", args=[relationship.pk, alex.pk]),
        reverse("care:notes"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:two_factor")), url
    assert not AccessRecord.objects.exists()


def test_every_counsellor_view_records_one_entry_per_client_shown(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS, blake: Scope.MEASURES})
    client = client_for(eli)
    assert client.get(reverse("care:counsellor")).status_code == 200
    assert _records(alex) == [("counsellor", "care.overview")]
    assert _records(blake) == [("counsellor", "care.overview")]
    client.get(reverse("care:case", args=[relationship.pk]))
    assert len(_records(alex)) == len(_records(blake)) == 2
    client.get(reverse("care:client", args=[relationship.pk, alex.pk]))
    client.get(reverse("care:client", args=[relationship.pk, blake.pk]))
    assert _records(alex)[-1] == ("counsellor", "care.topics")
    assert _records(blake)[-1] == ("counsellor", "care.measures")
    assert len(_records(alex)) == len(_records(blake)) == 3
    record = AccessRecord.objects.filter(subject=alex).last()
    assert record is not None
    assert record.actor == eli
    assert record.object_ref == f"care:{relationship.pk}"


def test_the_dashboard_query_count_does_not_grow_with_clients(
    django_assert_max_num_queries: object,
    alex: User,
    blake: User,
    casey: User,
    dana: User,
    eli: User,
) -> None:
    from confide.pairs.tests.factories import make_pair

    make_care(eli, make_pair(alex, blake), {alex: Scope.MEASURES})
    make_care(eli, make_pair(casey, dana), {casey: Scope.FULL})
    client = client_for(eli)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get(reverse("care:counsellor")).status_code == 200


def test_inviting_an_unverified_counsellor_on_the_page_is_refused_clearly(
    pair: Pair, alex: User, eli: User
) -> None:
    make_counsellor(eli, verified=False)
    response = client_for(alex).post(
        reverse("care:invite"), {"email": eli.email, "pair": str(pair.pk)}, follow=True
    )
    assert "not a verified counsellor" in response.content.decode()
    assert not CareRelationship.objects.exists()


def test_a_pair_invites_and_each_partner_chooses_for_themselves(
    pair: Pair, alex: User, blake: User, casey: User, eli: User
) -> None:
    make_counsellor(eli)
    response = client_for(alex).post(
        reverse("care:invite"), {"email": eli.email, "pair": str(pair.pk)}
    )
    relationship = CareRelationship.objects.get()
    assert response["Location"] == reverse("care:relationship", args=[relationship.pk])
    url = reverse("care:consent", args=[relationship.pk])
    client_for(alex).post(url, {"person": alex.pk, "scope": Scope.MEASURES_TOPICS, "until": ""})
    refused = client_for(alex).post(
        url, {"person": blake.pk, "scope": Scope.FULL, "until": ""}, follow=True
    )
    assert "your partner chooses theirs" in refused.content.decode()
    consents = {c.person_id: c.scope for c in CareConsent.objects.all()}
    assert consents == {alex.pk: Scope.MEASURES_TOPICS, blake.pk: Scope.NOTHING}
    # Both partners see the change in the history.
    page = client_for(blake).get(reverse("care:relationship", args=[relationship.pk]))
    assert "Measures and topics" in page.content.decode()
    assert (
        client_for(casey).get(reverse("care:relationship", args=[relationship.pk])).status_code
        == 404
    )


def test_homework_beyond_consent_is_refused_on_the_page(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.MEASURES})
    url = reverse("care:homework_new", args=[relationship.pk])
    refused = client_for(eli).post(
        url, {"kind": "prompts", "target": "repair", "due_on": _due()}, follow=True
    )
    assert "Blake has not consented" in refused.content.decode()
    assert not Homework.objects.exists()
    client_for(eli).post(url, {"kind": "measure", "target": "weekly-closeness", "due_on": _due()})
    assert Homework.objects.get().kind == "measure"


def test_homework_shows_on_the_home_page_and_its_completion_to_the_counsellor(
    pair: Pair, alex: User, blake: User, casey: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    homework = homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="measure",
        target="weekly-closeness",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    home = client_for(blake).get(reverse("core:home")).content.decode()
    assert "Homework from your counsellor" in home
    client_for(blake).post(reverse("care:homework_done", args=[homework.pk]))
    homework.refresh_from_db()
    assert homework.is_done
    assert (
        "Homework from your counsellor"
        not in client_for(blake).get(reverse("core:home")).content.decode()
    )
    case = client_for(eli).get(reverse("care:case", args=[relationship.pk])).content.decode()
    assert "done" in case
    assert (
        client_for(casey).post(reverse("care:homework_done", args=[homework.pk])).status_code == 404
    )


def test_ending_from_the_page_stops_the_counsellors_next_request(
    pair: Pair, alex: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    note_add(relationship=relationship, counsellor=eli, text="Session notes")
    counsellor = client_for(eli)
    page = reverse("care:client", args=[relationship.pk, alex.pk])
    assert counsellor.get(page).status_code == 200
    client_for(alex).post(reverse("care:end", args=[relationship.pk]), {"confirm": "yes"})
    assert counsellor.get(page).status_code == 404
    assert counsellor.get(reverse("care:case", args=[relationship.pk])).status_code == 404
    assert "Session notes" in counsellor.get(reverse("care:notes")).content.decode()


def test_notes_are_never_shown_to_clients_or_operators(
    pair: Pair, alex: User, eli: User, operator: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    note_add(relationship=relationship, counsellor=eli, text="Sealed observation")
    for person, url in (
        (alex, reverse("care:relationship", args=[relationship.pk])),
        (alex, reverse("care:index")),
        (operator, reverse("console:health")),
        (operator, reverse("console:applications")),
    ):
        assert "Sealed observation" not in client_for(person).get(url).content.decode()
    assert client_for(alex).get(reverse("care:notes")).status_code == 404
    exported = client_for(eli).get(reverse("care:notes_export"))
    assert exported.json()["notes"][0]["text"] == "Sealed observation"
    assert CounsellorNote.objects.count() == 1


def test_an_operator_verifies_an_application_from_the_console(
    eli: User, operator: User, alex: User
) -> None:
    client_for(eli).post(
        reverse("care:apply"), {"name": "Eli", "credentials": "MSc", "practice": "Harbour"}
    )
    profile = CounsellorProfile.objects.get()
    console = client_for(operator)
    page = console.get(reverse("console:applications")).content.decode()
    assert "MSc" in page
    assert _records(eli) == [("operator", "care.application")]
    console.post(reverse("console:decide", args=[profile.pk]), {"decision": "verify"})
    profile.refresh_from_db()
    assert profile.is_verified
    assert (
        client_for(alex)
        .post(reverse("console:decide", args=[profile.pk]), {"decision": "decline"})
        .status_code
        == 404
    )
    profile.refresh_from_db()
    assert profile.is_verified


def test_the_console_needs_two_step_login_and_shows_figures(operator: User, alex: User) -> None:
    response = client_for(operator, second_factor=False).get(reverse("console:health"))
    assert response.status_code == 302
    page = client_for(operator).get(reverse("console:health"))
    assert page.status_code == 200
    assert "Active pairs" in page.content.decode()
    assert client_for(alex).get(reverse("console:health")).status_code == 404


def test_a_counsellor_waiting_for_verification_reaches_no_client_page(
    pair: Pair, alex: User, eli: User
) -> None:
    make_counsellor(eli, verified=False)
    client = client_for(eli, second_factor=True)
    assert client.get(reverse("care:counsellor")).status_code == 404
    assert "waiting for an operator" in client.get(reverse("care:apply")).content.decode()


def test_homework_follows_the_pairs_a_person_has_not_left(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    from confide.care.due import due_today
    from confide.care.selectors import homework_due_for
    from confide.core.due import DueAsk
    from confide.pairs.due import person_pairs
    from confide.pairs.services.pairing import pair_leave

    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="measure",
        target="weekly-closeness",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    today = timezone.localdate()
    assert [i.kind for i in due_today(alex, today)] == ["homework"]
    pair_leave(pair=pair, user=blake)
    for person in (alex, blake):  # the shared read gives what the care app's own read gives
        known = person_pairs(DueAsk(person, today)).not_left
        assert homework_due_for(person=person, pair_ids=known) == homework_due_for(person=person)
    assert due_today(blake, today) == []  # Blake left the pair
