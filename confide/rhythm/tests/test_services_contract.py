from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.notifications.models import Kind, Notification
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_pause
from confide.pairs.tests.factories import make_pair
from confide.privacy.keys import person_space
from confide.rhythm import selectors
from confide.rhythm.models import ContractDay, LapseNote
from confide.rhythm.services import RhythmError
from confide.rhythm.services.contract import (
    contract_consent_set,
    intention_acknowledge,
    intention_state,
    lapse_note_add,
)
from confide.rhythm.services.withheld import intention_share

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 18, 7, 0, tzinfo=UTC)  # Wednesday, 08:00 in Berlin
TODAY = date(2026, 3, 18)
INTENTION = "canary-intention-a3c9: no drinking today, and my meeting at seven"
CRISIS = "I want to kill myself tonight."


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def on(pair: Pair, alex: User, blake: User) -> Pair:
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=blake, consent=True)
    return pair


def test_the_contract_runs_only_while_both_have_opted_in(
    pair: Pair, alex: User, blake: User
) -> None:
    assert not contract_consent_set(pair=pair, person=alex, consent=True)
    assert not selectors.contract_on(pair=pair)
    assert contract_consent_set(pair=pair, person=blake, consent=True)
    assert selectors.contract_on(pair=pair)
    assert not contract_consent_set(pair=pair, person=blake, consent=False)
    assert not selectors.contract_on(pair=pair)
    actions = list(
        AuditEntry.objects.filter(action__startswith="rhythm.contract").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "rhythm.contract.opted_in",
        "rhythm.contract.opted_in",
        "rhythm.contract.opted_out",
    ]


def test_opting_in_twice_is_one_opt_in(pair: Pair, alex: User) -> None:
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=alex, consent=True)
    assert AuditEntry.objects.filter(action="rhythm.contract.opted_in").count() == 1


def test_an_intention_needs_the_contract_on(pair: Pair, alex: User) -> None:
    contract_consent_set(pair=pair, person=alex, consent=True)
    with pytest.raises(RhythmError, match="not on"):
        intention_state(pair=pair, person=alex, day=TODAY, intention=INTENTION)
    assert not ContractDay.objects.exists()


def test_one_states_the_other_acknowledges_and_the_day_is_kept(
    on: Pair, alex: User, blake: User
) -> None:
    entry = intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    assert entry.space_id == on.space_id
    told = Notification.objects.get(user=blake, kind=Kind.RECOVERY_CONTRACT)
    assert told.title == "Alex stated an intention for today"
    assert "canary" not in told.title
    kept = intention_acknowledge(pair=on, person=blake, day=TODAY)
    assert kept.is_kept
    thanks = Notification.objects.get(user=alex, kind=Kind.RECOVERY_CONTRACT)
    assert thanks.title == "Blake acknowledged your intention for today"
    grid = selectors.contract_month(
        pair=on, viewer=alex, first=date(2026, 3, 1), today=TODAY, since=TODAY
    )
    states = {cell.day: cell.state for week in grid for cell in week}
    assert states[TODAY] == "kept"


@pytest.mark.parametrize("offset", [-1, 1, 30])
def test_an_intention_for_another_day_is_refused(on: Pair, alex: User, offset: int) -> None:
    with pytest.raises(RhythmError, match="one day at a time"):
        intention_state(
            pair=on, person=alex, day=TODAY + timedelta(days=offset), intention=INTENTION
        )
    assert not ContractDay.objects.exists()
    assert not Notification.objects.exists()


def test_an_intention_for_another_pair_is_refused(
    on: Pair, alex: User, blake: User, casey: User
) -> None:
    other = make_pair(blake, casey)
    with pytest.raises(RhythmError):
        intention_state(pair=other, person=alex, day=TODAY, intention=INTENTION)
    intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    with pytest.raises(RhythmError):
        intention_acknowledge(pair=other, person=casey, day=TODAY)
    with pytest.raises(RhythmError, match="not on"):
        intention_acknowledge(pair=other, person=blake, day=TODAY)
    assert ContractDay.objects.get().acknowledged_at is None


def test_one_intention_a_day_for_the_pair(on: Pair, alex: User, blake: User) -> None:
    intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    with pytest.raises(RhythmError, match="already stated"):
        intention_state(pair=on, person=blake, day=TODAY, intention="Mine too.")
    assert ContractDay.objects.count() == 1


@pytest.mark.parametrize(("text", "problem"), [("  ", "Write your intention"), ("x" * 501, "500")])
def test_bad_words_are_refused(on: Pair, alex: User, text: str, problem: str) -> None:
    with pytest.raises(RhythmError, match=problem):
        intention_state(pair=on, person=alex, day=TODAY, intention=text)
    assert not ContractDay.objects.exists()


def test_acknowledging_is_for_the_other_partner_once_and_today(
    on: Pair, alex: User, blake: User
) -> None:
    intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    with pytest.raises(RhythmError, match="you stated it"):
        intention_acknowledge(pair=on, person=alex, day=TODAY)
    with pytest.raises(RhythmError, match="no intention"):
        intention_acknowledge(pair=on, person=blake, day=TODAY - timedelta(days=1))
    intention_acknowledge(pair=on, person=blake, day=TODAY)
    first = ContractDay.objects.get().acknowledged_at
    with pytest.raises(RhythmError, match="already acknowledged"):
        intention_acknowledge(pair=on, person=blake, day=TODAY)
    assert ContractDay.objects.get().acknowledged_at == first
    assert Notification.objects.filter(user=alex).count() == 1


def test_yesterdays_intention_can_no_longer_be_acknowledged(
    on: Pair, alex: User, blake: User
) -> None:
    intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    with (
        time_machine.travel(NOW + timedelta(days=1), tick=False),
        pytest.raises(RhythmError, match="one day at a time"),
    ):
        intention_acknowledge(pair=on, person=blake, day=TODAY)
    assert ContractDay.objects.get().acknowledged_at is None


def test_a_partner_in_another_time_zone_can_acknowledge_the_staters_day(
    on: Pair, alex: User, blake: User
) -> None:
    blake.time_zone = "America/Los_Angeles"
    blake.save()
    # 00:30 on Thursday in Berlin is still Wednesday afternoon in Los Angeles.
    with time_machine.travel(datetime(2026, 3, 18, 23, 30, tzinfo=UTC), tick=False):
        entry = intention_state(pair=on, person=alex, day=date(2026, 3, 19), intention=INTENTION)
        assert intention_acknowledge(pair=on, person=blake, day=entry.day).is_kept


def test_while_joint_activities_are_paused_the_contract_waits(
    on: Pair, alex: User, blake: User
) -> None:
    pair_pause(pair=on, user=blake)
    on.refresh_from_db()
    with pytest.raises(RhythmError, match="paused"):
        intention_state(pair=on, person=alex, day=TODAY, intention=INTENTION)
    assert not ContractDay.objects.exists()


def test_words_of_crisis_keep_the_intention_with_its_writer(
    on: Pair, alex: User, blake: User
) -> None:
    held = intention_state(pair=on, person=alex, day=TODAY, intention=CRISIS)
    assert held.withheld
    assert held.space_id == person_space(user=alex).pk
    assert not Notification.objects.filter(user=blake).exists()
    assert selectors.contract_today(pair=on, viewer=blake, today=TODAY) is None
    with pytest.raises(RhythmError, match="no intention"):
        intention_acknowledge(pair=on, person=blake, day=TODAY)
    intention_share(user=alex, entry_id=held.pk)
    assert selectors.contract_today(pair=on, viewer=blake, today=TODAY) is not None
    assert Notification.objects.filter(user=blake, kind=Kind.RECOVERY_CONTRACT).count() == 1


def test_a_lapse_is_noted_privately_and_told_to_nobody(on: Pair, alex: User, blake: User) -> None:
    note = lapse_note_add(pair=on, author=alex, day=TODAY - timedelta(days=2), note="A bad night.")
    assert note.space_id == person_space(user=alex).pk
    assert LapseNote.objects.get().note == "A bad night."
    assert not Notification.objects.exists()
    assert selectors.lapse_notes(pair=on, viewer=blake, page=1).paginator.count == 0
    assert selectors.lapse_notes(pair=on, viewer=alex, page=1).paginator.count == 1


@pytest.mark.parametrize(
    ("offset", "problem"), [(1, "today or an earlier day"), (-32, "within the last month")]
)
def test_a_lapse_on_an_impossible_day_is_refused(
    on: Pair, alex: User, offset: int, problem: str
) -> None:
    with pytest.raises(RhythmError, match=problem):
        lapse_note_add(pair=on, author=alex, day=TODAY + timedelta(days=offset), note="")
    assert not LapseNote.objects.exists()
