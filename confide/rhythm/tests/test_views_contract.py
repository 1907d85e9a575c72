"""The recovery contract through the client: opting in, the daily exchange, the calendar, and
lapses noted privately."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.http.response import HttpResponseBase
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.models import Kind, Notification
from confide.pairs.models import Pair
from confide.pairs.tests.factories import make_pair
from confide.rhythm.models import ContractConsent, ContractDay, LapseNote
from confide.rhythm.services.contract import (
    contract_consent_set,
    intention_acknowledge,
    intention_state,
    lapse_note_add,
)
from tests.personas import client_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 18, 7, 0, tzinfo=UTC)
TODAY = date(2026, 3, 18)
INTENTION = "canary-intention-0f0f: sober today, meeting at seven"
LAPSE = "canary-lapse-77aa: two drinks at the party"


def _page(response: HttpResponseBase) -> str:
    return unescape(getattr(response, "content", b"").decode())


def url(name: str, pair: Pair, *args: object) -> str:
    return reverse(f"rhythm:{name}", args=[pair.pk, *args])


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def on(pair: Pair, alex: User, blake: User) -> Pair:
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=blake, consent=True)
    return pair


def test_both_opt_in_then_one_states_and_the_other_acknowledges(
    pair: Pair, alex: User, blake: User
) -> None:
    alex_client, blake_client = client_for(alex), client_for(blake)
    alex_client.post(url("contract_consent", pair), {"consent": "yes"})
    assert "Alex has opted in." in _page(blake_client.get(url("contract", pair)))
    blake_client.post(url("contract_consent", pair), {"consent": "yes"})
    page = _page(alex_client.get(url("contract", pair)))
    assert "You have both opted in." in page
    assert "My intention for today" in page
    assert url("contract", pair) in _page(alex_client.get(reverse("pairs:detail", args=[pair.pk])))

    response = alex_client.post(
        url("contract_intention", pair), {"day": "2026-03-18", "intention": INTENTION}
    )
    assert response["Location"] == url("contract", pair)
    assert Notification.objects.get(user=blake, kind=Kind.RECOVERY_CONTRACT)
    page = _page(blake_client.get(url("contract", pair)))
    assert INTENTION in page
    assert "I hear your intention, and I support you today" in page

    blake_client.post(url("contract_acknowledge", pair), {"day": "2026-03-18"})
    page = _page(alex_client.get(url("contract", pair)))
    assert "Blake acknowledged it and offered their support. Today is kept." in page
    assert '<td class="kept">' in page


@pytest.mark.parametrize("day", ["2026-03-17", "2026-03-19", "not-a-date", ""])
def test_an_intention_for_another_day_gets_a_clear_message_and_changes_nothing(
    on: Pair, alex: User, day: str
) -> None:
    response = client_for(alex).post(
        url("contract_intention", on), {"day": day, "intention": INTENTION}
    )
    assert response.status_code == 400
    page = _page(response)
    assert any(
        message in page
        for message in (
            "The contract is kept one day at a time: an intention is only for today.",
            "That is not a date. Reload the page and try again.",
            "The day is missing. Reload the page and try again.",
        )
    )
    assert not ContractDay.objects.exists()
    assert not Notification.objects.exists()


def test_an_entry_for_another_pair_is_not_found(
    on: Pair, alex: User, blake: User, casey: User
) -> None:
    other = make_pair(blake, casey)
    client = client_for(alex)
    assert (
        client.post(
            url("contract_intention", other), {"day": "2026-03-18", "intention": INTENTION}
        ).status_code
        == 404
    )
    assert client.post(url("contract_acknowledge", other), {"day": "2026-03-18"}).status_code == 404
    assert not ContractDay.objects.exists()


def test_acknowledging_twice_or_ones_own_is_a_clear_message(
    on: Pair, alex: User, blake: User
) -> None:
    intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    own = client_for(alex).post(url("contract_acknowledge", on), {"day": "2026-03-18"})
    assert own.status_code == 400
    assert "Your partner acknowledges your intention; you stated it." in _page(own)
    intention_acknowledge(pair=on, person=blake, day=TODAY)
    again = client_for(blake).post(url("contract_acknowledge", on), {"day": "2026-03-18"})
    assert again.status_code == 400
    assert "This intention is already acknowledged." in _page(again)


def test_a_quiet_day_is_shown_neutrally_and_nothing_counts_days_in_a_row(
    on: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    for offset in (3, 2):  # two kept days, then a quiet one (yesterday), then today
        with time_machine.travel(NOW - timedelta(days=offset), tick=False):
            day = TODAY - timedelta(days=offset)
            intention_state(pair=on, person=alex, day=day, intention=INTENTION)
            intention_acknowledge(pair=on, person=blake, day=day)
    client = client_for(alex)
    client.get(url("contract", on))
    with django_assert_max_num_queries(16):
        page = _page(client.get(url("contract", on)))
    assert page.count('<td class="kept">') == 2
    assert '<td class="quiet">' in page
    assert "no entry" in page
    lowered = page.lower()
    for word in ("missed", "broken", "broke your", "in a row:", "days straight"):
        assert word not in lowered


def test_the_calendar_pages_by_month_and_ignores_junk(on: Pair, alex: User) -> None:
    client = client_for(alex)
    earlier = _page(client.get(url("contract", on) + "?month=2026-02"))
    assert "February 2026" in earlier
    for junk in ("?month=zz", "?month=2026-13", "?month=9999-01", "?month=0001-01", "?month=-1-1"):
        assert client.get(url("contract", on) + junk).status_code == 200


def test_either_can_opt_out_alone(on: Pair, alex: User, blake: User) -> None:
    response = client_for(blake).post(url("contract_consent", on), {"consent": "no"})
    assert response.status_code == 302
    assert "It is off." not in _page(client_for(alex).get(url("contract", on)))
    assert not ContractConsent.objects.filter(person=blake).exists()
    bad = client_for(alex).post(url("contract_consent", on), {"consent": "maybe"})
    assert bad.status_code == 400
    assert "Choose to opt in or out." in _page(bad)


def test_a_lapse_is_private_with_a_gentle_link_to_support(
    on: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    page = _page(client.get(url("lapse", on)))
    assert reverse("safety:support") in page
    assert reverse("core:crisis") in page
    response = client.post(url("lapse", on), {"day": "2026-03-17", "note": LAPSE})
    assert response["Location"] == url("lapse", on)
    note = LapseNote.objects.get()
    with django_assert_max_num_queries(12):
        assert LAPSE in _page(client.get(url("lapse", on)))
    for page_url in (
        url("lapse", on),
        url("contract", on),
        url("journey", on),
        reverse("pairs:detail", args=[on.pk]),
        reverse("notifications:list"),
        reverse("core:home"),
    ):
        assert "canary" not in _page(client_for(blake).get(page_url)), page_url
    assert not Notification.objects.exists()
    assert client_for(blake).post(url("lapse_delete", on, note.pk)).status_code == 404
    client.post(url("lapse_delete", on, note.pk))
    assert not LapseNote.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-03-19", "A lapse can be noted for today or an earlier day."),
        ("2026-01-01", "Choose a day within the last month."),
        ("yesterday", "Enter a date like 2026-03-04."),
    ],
)
def test_a_lapse_on_an_impossible_day_is_a_clear_message(
    on: Pair, alex: User, day: str, message: str
) -> None:
    response = client_for(alex).post(url("lapse", on), {"day": day, "note": LAPSE})
    assert response.status_code == 400
    assert message in _page(response)
    assert not LapseNote.objects.exists()


def test_words_of_crisis_in_a_lapse_note_bring_support_at_once(on: Pair, alex: User) -> None:
    response = client_for(alex).post(
        url("lapse", on), {"day": "2026-03-18", "note": "I want to kill myself tonight."}
    )
    assert response["Location"].startswith(reverse("safety:support") + "?kind=crisis")
    assert LapseNote.objects.count() == 1


def test_lapse_notes_page_in_a_fixed_number_of_queries(
    on: Pair, alex: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        lapse_note_add(pair=on, author=alex, day=TODAY - timedelta(days=n), note=f"{LAPSE} {n}")
    client = client_for(alex)
    client.get(url("lapse", on))
    with django_assert_max_num_queries(12):
        response = client.get(url("lapse", on))
    assert response.context["notes"].paginator.num_pages == 2
    assert client.get(url("lapse", on) + "?page=x").status_code == 200


def test_a_held_intention_is_the_writers_to_share_keep_or_delete(
    on: Pair, alex: User, blake: User
) -> None:
    client = client_for(alex)
    response = client.post(
        url("contract_intention", on),
        {"day": "2026-03-18", "intention": "I want to kill myself tonight."},
    )
    held = ContractDay.objects.get()
    assert response["Location"].startswith(reverse("safety:support"))
    assert f"entry=intention%3A{held.pk}" in response["Location"]
    support = _page(client.get(response["Location"]))
    assert "your intention for" in support
    assert "kill myself" not in _page(client_for(blake).get(url("contract", on)))
    assert "Decide whether to share it" in _page(client.get(url("contract", on)))
    # Someone else cannot decide for the writer.
    client_for(blake).post(
        reverse("safety:held_decide"), {"entry": f"intention:{held.pk}", "action": "delete"}
    )
    assert ContractDay.objects.filter(pk=held.pk).exists()
    client.post(reverse("safety:held_decide"), {"entry": f"intention:{held.pk}", "action": "keep"})
    held.refresh_from_db()
    assert (held.withheld, held.shared) == (False, False)
    assert "Your intention for today:" in _page(client.get(url("contract", on)))
    # Kept private, it does not take the day: Alex may state another to share.
    client.post(url("contract_intention", on), {"day": "2026-03-18", "intention": INTENTION})
    assert ContractDay.objects.filter(shared=True).count() == 1
    client.post(
        reverse("safety:held_decide"), {"entry": f"intention:{held.pk}", "action": "delete"}
    )
    assert not ContractDay.objects.filter(pk=held.pk).exists()
