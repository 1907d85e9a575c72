"""Eight weeks of reflections for the demo pair: Alex reliably closer, Blake steady.

Reliable change needs norms. The weekly closeness check ships without published norms, so
they are calibrated from this server's complete responses once 30 people have answered (each
person counts once, with their latest answer). Two quiet background people (Robin and Sam)
answer the same weeks, and a few more answer once, each about themselves alone: none of them
can log in or is in a pair; together they bring the demo past that number.
Safe to run again: a response already there for its week is not written twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from confide.accounts.models import User
from confide.measures import scoring
from confide.measures.models import MeasureResponse
from confide.measures.periods import period_of
from confide.measures.registry import get_instrument
from confide.measures.services import norms_refresh, pair_context
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.pairs.services.pairing import pair_create
from confide.privacy.keys import person_space

WEEKS = 8
# Weekly levels (1-5) for each demo person: Alex grows closer, the others stay about level.
LEVELS = {
    "alex": [2.0, 2.2, 2.6, 3.0, 3.3, 3.7, 4.0, 4.3],
    "blake": [3.4, 3.7, 3.2, 3.5, 3.3, 3.6, 3.4, 3.5],
    "robin": [2.6, 2.9, 2.4, 2.8, 2.5, 2.7, 3.0, 2.6],
    "sam": [4.1, 3.8, 4.3, 4.0, 4.2, 3.9, 4.1, 4.0],
}
WOBBLE = [0.0, 0.4, -0.3, 0.2, -0.4, 0.1]  # per item, so items differ a little
QUIET_PEOPLE = [("robin@example.com", "Robin"), ("sam@example.com", "Sam")]
# People who answered once, at levels spread from low to high, for the norms' sake only.
ONCE = [1.4 + 0.12 * n for n in range(28)]


def _quiet_person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, display_name=name)
    return user


def _pair_of(first: User, second: User) -> Pair:
    pair = (
        Pair.objects.filter(status=Pair.Status.ACTIVE, members__user=first)
        .filter(members__user=second)
        .first()
    )
    return pair if pair is not None else pair_create(first=first, second=second)


def _answers(level: float, week: int, items: list[str], reverse: frozenset[str]) -> dict[str, int]:
    answers = {}
    for index, item in enumerate(items):
        value = round(level + WOBBLE[(index + week) % len(WOBBLE)])
        value = min(max(value, 1), 5)
        answers[item] = 6 - value if item in reverse else value
    return answers


def _write(
    person: User, pair: Pair | None, instrument_id: str, day: date, answers: dict[str, int]
) -> bool:
    instrument = get_instrument(instrument_id)
    context = pair_context(pair) if pair is not None else ""
    period = period_of(instrument.cadence, day)
    if MeasureResponse.objects.filter(
        person=person, instrument_id=instrument_id, context=context, period=period
    ).exists():
        return False
    scores = scoring.score(instrument, answers)
    MeasureResponse(
        person=person,
        instrument_id=instrument_id,
        instrument_version=instrument.version,
        context=context,
        pair=pair,
        period=period,
        taken_on=day,
        complete=True,
        space=person_space(user=person),
        answers_json=json.dumps(answers, sort_keys=True),
        scores_json=json.dumps(scores.as_dict(), sort_keys=True),
        created_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
    ).save()
    return True


def demo_measures(*, alex: User, blake: User, progress: Callable[[str], None]) -> None:
    robin, sam = (_quiet_person(email, name) for email, name in QUIET_PEOPLE)
    people = {"alex": alex, "blake": blake, "robin": robin, "sam": sam}
    pair = _pair_of(alex, blake)
    pairs: dict[str, Pair | None] = {"alex": pair, "blake": pair, "robin": None, "sam": None}
    weekly = get_instrument("weekly-closeness")
    items = [item.id for item in weekly.items]
    today = today_for(alex)
    this_monday = today - timedelta(days=today.weekday())
    written = 0
    for week in range(WEEKS):
        day = this_monday - timedelta(weeks=WEEKS - week) + timedelta(days=5)  # a Saturday
        for key, person in people.items():
            level = LEVELS[key][week]
            answers = _answers(level, week, items, weekly.reverse)
            written += _write(person, pairs[key], weekly.id, day, answers)
            if key in {"alex", "blake"}:
                picture = {"overlap": min(max(round(level * 1.5 - 0.5), 1), 7)}
                written += _write(person, pairs[key], "closeness-picture", day, picture)
    last_saturday = this_monday - timedelta(days=2)
    for n, level in enumerate(ONCE, start=1):
        person = _quiet_person(f"calibration-{n:02d}@example.com", f"Background {n}")
        answers = _answers(level, n, items, weekly.reverse)
        written += _write(person, None, weekly.id, last_saturday, answers)
    for instrument_id in ("weekly-closeness", "closeness-picture"):
        norms_refresh(instrument_id=instrument_id)
    if written:
        progress(f"wrote {written} weekly reflections over {WEEKS} weeks")
    else:
        progress("the demo reflections are already there")
