"""Three weeks of the demo pair's rhythm: appreciations and thanks, small gestures, bids, and
the recovery contract with its calendar (and one lapse Alex noted privately).

Safe to run again: once the pair has appreciations, nothing is written twice. Today is left
open for the visitor: no contract entry, and Alex's gesture of the week not done yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.privacy.keys import person_space
from confide.rhythm import gestures
from confide.rhythm.days import week_start
from confide.rhythm.models import (
    Appreciation,
    Bid,
    BidKind,
    ContractConsent,
    ContractDay,
    GestureEffort,
    GestureIdea,
    GestureKind,
    GesturePick,
    LapseNote,
)

DAYS = 21
# (days ago, from Alex?, words)
APPRECIATIONS = [
    (
        20,
        True,
        "You left the hallway light on for me when I came home late. Small, and it felt like care.",
    ),
    (19, False, "You told me about the cravings instead of hiding them. I know that took courage."),
    (17, True, "Thank you for sitting with me on the stairs and not trying to fix anything."),
    (15, False, "You made the kids laugh at breakfast when I was running on empty."),
    (13, True, "You remembered my sister's birthday before I did."),
    (12, False, "The way you said sorry on Tuesday, plainly, without a but."),
    (10, True, "You drove me to my meeting in the rain and waited outside."),
    (8, False, "You cooked the soup my grandmother used to make. I felt so looked after."),
    (6, True, "You noticed I was quiet and asked, then really listened."),
    (4, False, "You turned your phone off for the whole of dinner."),
    (2, True, "You laughed at my terrible joke twice, on purpose."),
    (0, False, "You put a note in my coat pocket. I read it on the train and smiled all the way."),
]
# (days ago, Alex's taps, Blake's taps)
BIDS = [
    (20, "T", "TT"),
    (18, "TC", "T"),
    (16, "T", "C"),
    (14, "TT", "T"),
    (12, "T", "TT"),
    (10, "C", "T"),
    (8, "TT", "TC"),
    (6, "T", "T"),
    (4, "TC", "T"),
    (2, "T", "TT"),
    (1, "T", ""),
    (0, "", "T"),
]
INTENTIONS = [
    "Today I stay free of alcohol. If it gets hard after work, I call my sponsor first.",
    "One day at a time: no drinking today, and my meeting at seven.",
    "Today I keep my promise to myself and to us. I'll text you when I'm on my way home.",
    "I intend to stay sober today and to be honest with you if the evening is difficult.",
]
# Days ago with no entry, and days stated without an acknowledgement: each just a day.
QUIET_DAYS = {16, 9}
STATED_ONLY = {12, 5}
LAPSE_DAYS_AGO = 9
WAITING_FOR_THANKS = 2  # the latest appreciations wait for the visitor's thanks
LAPSE_NOTE = (
    "Had two drinks at the leaving party. Told my sponsor the next morning. "
    "Next time: leave before the toasts, and bring a friend."
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """That time of that day, or now if it is still to come (today's entries)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, minute))), timezone.now())


def _pair_of(alex: User, blake: User) -> Pair | None:
    return (
        Pair.objects.filter(status=Pair.Status.ACTIVE, members__user=alex)
        .filter(members__user=blake)
        .first()
    )


def _appreciations(pair: Pair, alex: User, blake: User, today: date) -> None:
    for days_ago, from_alex, text in APPRECIATIONS:
        day = today - timedelta(days=days_ago)
        Appreciation(
            pair=pair,
            author=alex if from_alex else blake,
            space=pair.space,
            text=text,
            day=day,
            created_at=_at(day, 18),
            thanked_at=_at(day, 21) if days_ago > WAITING_FOR_THANKS else None,
        ).save()


def _bids(pair: Pair, alex: User, blake: User, today: date) -> None:
    rows = []
    for days_ago, alex_taps, blake_taps in BIDS:
        day = today - timedelta(days=days_ago)
        for person, taps in ((alex, alex_taps), (blake, blake_taps)):
            for n, tap in enumerate(taps):
                kind = BidKind.TURNED_TOWARD if tap == "T" else BidKind.CAME_BACK
                rows.append(
                    Bid(
                        pair=pair, person=person, kind=kind, day=day, created_at=_at(day, 9 + 4 * n)
                    )
                )
    Bid.objects.bulk_create(rows)


def _gestures(pair: Pair, alex: User, blake: User, today: date) -> None:
    this_week = week_start(today)
    listed = [g.id for g in gestures.catalogue()]
    for weeks_ago, gesture_id in ((2, listed[0]), (1, listed[20])):
        start = this_week - timedelta(weeks=weeks_ago)
        GesturePick.objects.create(
            pair=pair,
            person=alex,
            week_start=start,
            catalogue_id=gesture_id,
            picked_at=_at(start, 8),
            done_at=_at(start + timedelta(days=3), 20),
        )
    GesturePick.objects.create(
        pair=pair,
        person=alex,
        week_start=this_week,
        catalogue_id=listed[41],
        picked_at=_at(this_week, 8),
    )
    GestureIdea(
        pair=pair,
        owner=alex,
        space=person_space(user=alex),
        kind=GestureKind.SURPRISE,
        effort=GestureEffort.TEN_MINUTES,
        text="Pick up Blake's favourite pastry from the bakery by the station.",
    ).save()
    idea = GestureIdea(
        pair=pair,
        owner=blake,
        space=person_space(user=blake),
        kind=GestureKind.TIME,
        effort=GestureEffort.EVENING,
        text="A slow evening walk to the lake, with the thermos and no phones.",
    )
    idea.save()
    start = this_week - timedelta(weeks=1)
    GesturePick.objects.create(
        pair=pair,
        person=blake,
        week_start=start,
        idea=idea,
        picked_at=_at(start, 9),
        done_at=_at(start + timedelta(days=5), 21),
    )


def _contract(pair: Pair, alex: User, blake: User, today: date) -> None:
    start = today - timedelta(days=DAYS - 1)
    for person in (alex, blake):
        ContractConsent.objects.create(pair=pair, person=person, consented_at=_at(start, 7))
    for n in range(DAYS - 1):  # today is left for the visitor
        day = start + timedelta(days=n)
        days_ago = (today - day).days
        if days_ago in QUIET_DAYS:
            continue
        ContractDay(
            pair=pair,
            day=day,
            stated_by=alex,  # in the demo, Alex is the partner in recovery
            space=pair.space,
            intention=INTENTIONS[n % len(INTENTIONS)],
            stated_at=_at(day, 7, 30),
            acknowledged_by=None if days_ago in STATED_ONLY else blake,
            acknowledged_at=None if days_ago in STATED_ONLY else _at(day, 7, 35),
        ).save()
    lapse_day = today - timedelta(days=LAPSE_DAYS_AGO)
    LapseNote(
        pair=pair,
        author=alex,
        space=person_space(user=alex),
        day=lapse_day,
        note=LAPSE_NOTE,
        created_at=_at(lapse_day + timedelta(days=1), 10),
    ).save()


def demo_rhythm(*, alex: User, blake: User, progress: Callable[[str], None]) -> None:
    pair = _pair_of(alex, blake)
    if pair is None:
        progress("no demo pair for the rhythm")
        return
    if Appreciation.objects.filter(pair=pair).exists():
        progress("the demo pair's rhythm is already there")
        return
    today = today_for(alex)
    _appreciations(pair, alex, blake, today)
    _bids(pair, alex, blake, today)
    _gestures(pair, alex, blake, today)
    _contract(pair, alex, blake, today)
    progress("three weeks of appreciations, gestures, bids and the recovery contract written")
