"""Three weeks of a demo pair's life: check-ins, listening replies and revealed prompts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from confide.accounts.models import User
from confide.pairs import content
from confide.pairs.models import (
    CheckIn,
    ListeningReply,
    Pair,
    PairMember,
    PromptAnswer,
    PromptRound,
    ReplyKind,
    Visibility,
)
from confide.pairs.services.common import today_for
from confide.pairs.services.pairing import pair_create
from confide.privacy.keys import person_space

DAYS = 21
# (mood, feelings, needs, note, shared) for each person, cycling through the days.
ALEX_DAYS = [
    (
        3,
        "tired,tender",
        "rest,reassurance",
        "Long shift. I kept thinking about our walk on Sunday.",
        True,
    ),
    (4, "hopeful,calm", "closeness", "Went to my meeting tonight. Felt lighter after.", True),
    (
        2,
        "anxious,restless",
        "safety,honesty",
        "Cravings in the afternoon. I called my sponsor.",
        False,
    ),
    (4, "grateful,relaxed", "play", "Cooking together was the best part of today.", True),
    (3, "uneasy,tired", "rest", "", True),
    (5, "joyful,connected", "closeness,play", "Laughed so much at dinner.", True),
    (3, "weary,hopeful", "understanding", "A hard conversation at work, but I stayed kind.", True),
]
BLAKE_DAYS = [
    (
        4,
        "calm,grateful",
        "closeness",
        "Quiet morning coffee together. More of those, please.",
        True,
    ),
    (2, "lonely,tender", "closeness,reassurance", "I missed you today more than I said.", True),
    (3, "restless,uneasy", "honesty", "Worried about money again.", False),
    (4, "hopeful,relaxed", "rest", "Slept well for once.", True),
    (3, "tired,overwhelmed", "support", "Too many things at once at work.", True),
    (5, "happy,connected", "play", "Dancing in the kitchen!", True),
    (4, "proud,tender", "appreciation", "Proud of how you handled Thursday.", True),
]
REPLIES = [
    (
        ReplyKind.REFLECT,
        "What I hear is that today asked a lot of you, and you still made room for us.",
    ),
    (ReplyKind.VALIDATE, "It makes sense that you feel worn out after a week like this."),
    (ReplyKind.EMPATHISE, "I imagine you might feel a bit alone with it. I'm here."),
    (ReplyKind.ACKNOWLEDGE, ""),
]
ANSWERS = [
    (
        "The way you hum when you think nobody is listening.",
        "How you always save me the last piece.",
    ),
    ("Being somewhere near the sea, with time.", "A small house with a big table for friends."),
    (
        "When you noticed I was quiet and just sat with me.",
        "When you came to my meeting without being asked.",
    ),
    ("That I'll let you down again.", "That I don't say enough how much you matter."),
    ("A slow Sunday with nowhere to be.", "Walking the long way home together."),
    (
        "I felt heard when you didn't try to fix it.",
        "I felt close when you told me about your day first.",
    ),
]


def _words(text: str) -> str:
    allowed = content.feeling_words() | content.need_words()
    unknown = [w for w in text.split(",") if w not in allowed]
    if unknown:
        raise ValueError(f"demo words not in the lists: {unknown}")
    return text


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _checkin(
    pair: Pair, author: User, day: date, entry: tuple[int, str, str, str, bool]
) -> CheckIn:
    mood, feelings, needs, note, shared = entry
    checkin = CheckIn(
        pair=pair,
        author=author,
        day=day,
        mood=mood,
        visibility=Visibility.SHARED if shared else Visibility.PRIVATE,
        space=pair.space if shared else person_space(user=author),
        feelings_text=_words(feelings),
        needs_text=_words(needs),
        note=note,
        created_at=_at(day, 20),
        updated_at=_at(day, 20),
    )
    checkin.save()
    return checkin


def _reply(checkin: CheckIn, author: User, n: int) -> None:
    kind, text = REPLIES[n % len(REPLIES)]
    ListeningReply(
        checkin=checkin,
        author=author,
        kind=kind,
        space=checkin.pair.space,
        text=text,
        created_at=checkin.created_at + timedelta(hours=1),
    ).save()
    checkin.understood = 3 + (n % 3)
    checkin.understood_at = checkin.created_at + timedelta(hours=2)
    checkin.save(update_fields=["understood", "understood_at"])


def _prompts(pair: Pair, alex: User, blake: User, start: date) -> None:
    deck = content.prompts_at_level(1)
    for n, (mine, theirs) in enumerate(ANSWERS):
        when = _at(start, 19) + timedelta(days=3 * n)
        prompt_round = PromptRound.objects.create(
            pair=pair,
            prompt_id=deck[n].id,
            level=1,
            drawn_by=alex,
            drawn_at=when,
            revealed_at=when + timedelta(hours=5),
        )
        for author, text in ((alex, mine), (blake, theirs)):
            PromptAnswer(
                round=prompt_round,
                author=author,
                space=pair.space,
                text=text,
                created_at=when + timedelta(hours=2),
            ).save()


def demo_pair(*, alex: User, blake: User, progress: Callable[[str], None]) -> Pair:
    existing = PairMember.objects.filter(
        user=alex, pair__members__user=blake, pair__status=Pair.Status.ACTIVE
    ).first()
    if existing is not None:
        progress("the demo pair is already there")
        return existing.pair
    pair = pair_create(first=alex, second=blake)
    today = today_for(alex)
    start = today - timedelta(days=DAYS - 1)
    for n in range(DAYS - 1):  # today is left for the visitor to check in
        day = start + timedelta(days=n)
        a = _checkin(pair, alex, day, ALEX_DAYS[n % len(ALEX_DAYS)])
        b = _checkin(pair, blake, day, BLAKE_DAYS[n % len(BLAKE_DAYS)])
        if a.is_shared and n % 2 == 0:
            _reply(a, blake, n)
        if b.is_shared and n % 3 == 0:
            _reply(b, alex, n)
        if n % 7 == 6:  # noqa: PLR2004 - the last day of each week
            progress(f"week {n // 7 + 1} of check-ins written")
    _prompts(pair, alex, blake, start)
    progress("six prompts answered together")
    return pair
