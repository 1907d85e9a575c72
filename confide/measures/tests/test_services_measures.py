from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.core.models import AuditEntry
from confide.core.sweep import sweep_run
from confide.measures import scoring
from confide.measures.models import MeasureResponse, NormsCalibration, ShareConsent
from confide.measures.registry import all_instruments
from confide.measures.selectors import due_measures
from confide.measures.services import (
    MeasureError,
    norms_due,
    norms_refresh,
    response_submit,
    sharing_set,
)
from confide.measures.tests.helpers import NOW, answer_weekly
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave
from confide.privacy.keys import person_space

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_answers_are_sealed_in_the_persons_private_space(alex: User, pair: Pair) -> None:
    answer_weekly(alex, pair, 4, 5, 2, 4, 3, 5)
    response = MeasureResponse.objects.get()
    assert response.space_id == person_space(user=alex).pk
    assert response.answers["understood"] == 4
    assert response.scores["total"] == pytest.approx(4.17, abs=0.005)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_json, scores_json FROM measures_measureresponse")
        raw = " ".join(cursor.fetchone())
    assert "understood" not in raw and "total" not in raw
    assert response.period == "2026-W10" and response.context == f"pair:{pair.pk}"


def test_a_second_response_in_the_same_week_is_refused(alex: User, pair: Pair) -> None:
    answer_weekly(alex, pair, 4, 5, 2, 4, 3, 5)
    with pytest.raises(MeasureError, match="already answered this week"):
        answer_weekly(alex, pair, 1, 1, 1, 1, 1, 1)
    assert MeasureResponse.objects.count() == 1
    with time_machine.travel(NOW + timedelta(days=6), tick=False):  # next Tuesday
        answer_weekly(alex, pair, 1, 1, 1, 1, 1, 1)
    assert MeasureResponse.objects.count() == 2


def test_bad_answers_store_nothing(alex: User, pair: Pair) -> None:
    for values in [(6, 5, 2, 4, 3, 5), (None, None, 2, 4, 3, 5)]:
        with pytest.raises(MeasureError):
            answer_weekly(alex, pair, *values)
    assert not MeasureResponse.objects.exists()


def test_a_pair_measure_needs_a_pair_the_person_is_in(alex: User, casey: User, pair: Pair) -> None:
    weekly = all_instruments()["weekly-closeness"]
    answers = {"understood": 3, "heard": 3, "held-back": 3}
    for person, their_pair in [(casey, pair), (alex, None)]:
        with pytest.raises(MeasureError, match="pair you are part of"):
            response_submit(person=person, instrument=weekly, answers=answers, pair=their_pair)
    pair_leave(pair=pair, user=alex)
    with pytest.raises(MeasureError, match="pair you are part of"):
        response_submit(person=alex, instrument=weekly, answers=answers, pair=pair)


def test_circle_member_measures_take_a_context_from_the_circles_app(alex: User) -> None:
    meeting = all_instruments()["meeting-rating"]
    answers = {"listened-to": 5, "mattered": 4, "the-way": 4, "overall": 5}
    with pytest.raises(MeasureError, match="within a circle"):
        response_submit(person=alex, instrument=meeting, answers=answers)
    first = response_submit(person=alex, instrument=meeting, answers=answers, context="meeting:41")
    assert (first.period, first.total) == ("once", 18.0)
    # Once per meeting ("occasion" cadence), but every meeting anew.
    with pytest.raises(MeasureError, match="already answered this one"):
        response_submit(person=alex, instrument=meeting, answers=answers, context="meeting:41")
    response_submit(person=alex, instrument=meeting, answers=answers, context="meeting:42")
    belonging = all_instruments()["circle-belonging"]
    response_submit(
        person=alex,
        instrument=belonging,
        answers={"my-place": 4, "missed": 3, "myself": 5, "outsider": 2, "welcome": 4},
        context="circle:7",
    )
    assert MeasureResponse.objects.filter(person=alex).count() == 3


def test_a_person_measure_from_the_operators_folder(
    alex: User, operator_instruments: object
) -> None:
    calm = all_instruments()["my-calm"]
    assert "broken" not in all_instruments()
    response = response_submit(person=alex, instrument=calm, answers={"calm": 2, "rested": 3})
    assert (response.context, response.total) == ("", 5.0)


def test_due_measures_list_each_once_until_answered(alex: User, blake: User, pair: Pair) -> None:
    due = due_measures(person=alex, today=NOW.date())
    assert sorted(d.instrument.id for d in due) == ["closeness-picture", "weekly-closeness"]
    assert all(d.partner == blake for d in due)
    answer_weekly(alex, pair, 4, 5, 2, 4, 3, 5)
    assert [d.instrument.id for d in due_measures(person=alex, today=NOW.date())] == [
        "closeness-picture"
    ]
    # Next week it is due again, once, without the missed weeks piling up.
    later = (NOW + timedelta(weeks=3)).date()
    assert sorted(d.instrument.id for d in due_measures(person=alex, today=later)) == [
        "closeness-picture",
        "weekly-closeness",
    ]


def test_due_measures_from_the_pairs_the_home_page_read_match_its_own_read(
    alex: User, blake: User, casey: User, pair: Pair, django_assert_num_queries: Any
) -> None:
    from confide.core.due import DueAsk
    from confide.pairs.due import person_pairs
    from confide.pairs.services.pairing import pair_create

    pair_create(first=alex, second=casey)
    known = [s.pair for s in person_pairs(DueAsk(alex, NOW.date())).active]
    with django_assert_num_queries(1):  # what was answered; the pairs are not read again
        shared = due_measures(person=alex, today=NOW.date(), pairs=known)
    own = due_measures(person=alex, today=NOW.date())
    assert [(d.instrument.id, d.pair, d.partner) for d in shared] == [
        (d.instrument.id, d.pair, d.partner) for d in own
    ]
    assert {d.partner for d in shared} == {blake, casey}


def test_no_pair_no_pair_measures(casey: User) -> None:
    assert due_measures(person=casey, today=NOW.date()) == []


def test_sharing_is_per_person_per_pair_and_audited(alex: User, pair: Pair, casey: User) -> None:
    sharing_set(pair=pair, person=alex, shared=True)
    sharing_set(pair=pair, person=alex, shared=True)  # no change, nothing new audited
    sharing_set(pair=pair, person=alex, shared=False)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["measures.sharing.granted", "measures.sharing.withdrawn"]
    assert ShareConsent.objects.get(person=alex).shared is False
    with pytest.raises(MeasureError):
        sharing_set(pair=pair, person=casey, shared=True)


def _write_week(person: User, week: int, level: int, spread: int = 0) -> None:
    """A complete weekly response about the person alone, written as the demo does."""
    weekly = all_instruments()["weekly-closeness"]
    answers = {
        item: min(max(level + (spread if i % 2 else -spread), 1), 5)
        for i, item in enumerate(i.id for i in weekly.items)
    }
    day = (NOW + timedelta(weeks=week)).date()
    MeasureResponse.objects.create(
        person=person,
        instrument_id=weekly.id,
        instrument_version=weekly.version,
        period=f"w{week}",
        taken_on=day,
        complete=True,
        space=person_space(user=person),
        answers_json=json.dumps(answers),
        scores_json=json.dumps(scoring.score(weekly, answers).as_dict()),
        created_at=NOW + timedelta(weeks=week),
    )


def test_norms_count_each_person_once_with_their_latest_response(
    alex: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [UserFactory.create() for _ in range(29)]
    for n, person in enumerate(people):
        _write_week(person, 0, 1 + n % 5)
    for week in range(12):  # Alex answered twelve times; only the latest counts
        _write_week(alex, week, 1 + week % 5, spread=1)
    decrypted: list[object] = []
    original = MeasureResponse.__dict__["answers"]

    def counting(row: MeasureResponse) -> dict[str, int | None]:
        decrypted.append(row.pk)
        return original.fget(row)

    monkeypatch.setattr(MeasureResponse, "answers", property(counting))
    calibration = norms_refresh(instrument_id="weekly-closeness")
    assert calibration is not None
    assert calibration.n == 30
    assert len(decrypted) == 30
    weekly = all_instruments()["weekly-closeness"]
    latest = [r.answers for r in MeasureResponse.objects.exclude(person=alex)]
    latest.append(MeasureResponse.objects.filter(person=alex).order_by("-taken_on")[0].answers)
    expected = scoring.calibrate(weekly, latest)
    assert calibration.sd == pytest.approx(expected.sd)
    assert calibration.reliability == pytest.approx(expected.reliability)
    assert norms_refresh(instrument_id="weekly-closeness") is not None  # safe to run again
    assert NormsCalibration.objects.count() == 1


def test_a_submission_does_not_recalculate_the_norms_the_sweep_does_hourly(
    alex: User, pair: Pair, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer_weekly(alex, pair, 4, 5, 2, 4, 3, 5)
    assert not NormsCalibration.objects.exists()
    assert not [c for c in callbacks if "norms" in repr(c)]
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_run()
    assert report.recorded == 1
    assert NormsCalibration.objects.get().n == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_run().recorded == 0  # the same hour: nothing new
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        # A new hour but no new response: nothing to decrypt again.
        assert norms_due(NOW, NOW + timedelta(hours=1)) == []
