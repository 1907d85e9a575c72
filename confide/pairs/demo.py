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
    # Weeks two and three: other days, other words, so no week repeats the one before.
    (
        4,
        "hopeful,calm",
        "closeness",
        "Ninety days today. Quietly proud, and glad you were there.",
        True,
    ),
    (3, "tired,tender", "rest,reassurance", "Slept badly. A hug this morning helped.", True),
    (4, "grateful,relaxed", "play", "Board games with the neighbours; I forgot my phone.", True),
    (2, "anxious,restless", "safety,honesty", "Walked past the old bar. Went home instead.", False),
    (
        5,
        "joyful,connected",
        "closeness,play",
        "We sang the whole drive back from your sister's.",
        True,
    ),
    (3, "uneasy,tired", "rest", "", True),
    (3, "weary,hopeful", "understanding", "Therapy was heavy today. Can we talk tomorrow?", True),
    (
        3,
        "weary,hopeful",
        "understanding",
        "Money talk went better than last time. Still tiring.",
        True,
    ),
    (4, "grateful,relaxed", "play", "Lazy afternoon in the park with a book each.", True),
    (3, "tired,tender", "rest,reassurance", "Early start, long day. Thinking of you.", True),
    (5, "joyful,connected", "closeness,play", "You remembered the song from our first date.", True),
    (
        2,
        "anxious,restless",
        "safety,honesty",
        "Rough evening. Told my sponsor; not ready to say more.",
        False,
    ),
    (
        4,
        "hopeful,calm",
        "closeness",
        "Planned our weekend away. Something to look forward to.",
        True,
    ),
    (3, "uneasy,tired", "rest", "Headache most of the day.", True),
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
    (5, "happy,connected", "play", "Our walk by the river felt like the old days.", True),
    (4, "calm,grateful", "closeness", "You made breakfast without being asked. Thank you.", True),
    (3, "tired,overwhelmed", "support", "Deadline week. Short on patience, sorry.", True),
    (4, "proud,tender", "appreciation", "Ninety days. I am so proud of you.", True),
    (2, "lonely,tender", "closeness,reassurance", "You were out late and I felt far away.", True),
    (
        3,
        "restless,uneasy",
        "honesty",
        "Not sure how to bring up the holidays with your family.",
        False,
    ),
    (4, "hopeful,relaxed", "rest", "A whole evening with nothing planned.", True),
    (4, "hopeful,relaxed", "rest", "Finally finished the big project.", True),
    (3, "restless,uneasy", "honesty", "Slept badly, worried about my mum.", False),
    (5, "happy,connected", "play", "Silly dance-off in the living room.", True),
    (4, "calm,grateful", "closeness", "Quiet dinner, and a good talk about the summer.", True),
    (
        3,
        "tired,overwhelmed",
        "support",
        "Car trouble and a long day. Could use a hand tomorrow.",
        True,
    ),
    (4, "proud,tender", "appreciation", "You handled the call with your brother so calmly.", True),
    (
        2,
        "lonely,tender",
        "closeness,reassurance",
        "Missed you while you were at your meeting.",
        True,
    ),
]
# The writer's words after the reply's opening ("What I hear is"), which the page shows first.
REPLIES = [
    (ReplyKind.REFLECT, "that today asked a lot of you, and you still made room for us."),
    (ReplyKind.VALIDATE, "after a week like this anyone would feel worn out."),
    (ReplyKind.EMPATHISE, "a bit alone with it. I'm here."),
    (ReplyKind.ACKNOWLEDGE, ""),
]
# (prompt id, Alex's answer, Blake's answer): each answer is to its own prompt.
ANSWERS = [
    (
        "know-01",
        "The first coffee, drunk slowly by the window before anyone needs me.",
        "A text from you in the middle of the afternoon, even a silly one.",
    ),
    (
        "know-02",
        "Autumn: cold mornings, a warm kitchen and nobody expecting too much.",
        "Early summer, when the evenings go on and we eat outside.",
    ),
    (
        "know-03",
        "A slow breakfast, a long walk by the river, and no phone until noon.",
        "Sleeping in, then the market together and cooking something new.",
    ),
    (
        "know-04",
        "Tomato soup: my grandmother made it every time I was ill.",
        "Chips with vinegar on a cold beach, from holidays as a child.",
    ),
    (
        "know-06",
        "An old folk album my dad played; it calms me on the way to meetings.",
        "A piano record I put on while working; the day feels less rushed.",
    ),
    (
        "know-07",
        "The small harbour town where we got lost and did not mind at all.",
        "The mountain hut from our first trip; I still think about how quiet it was.",
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
    deck = {prompt.id for prompt in content.prompts_at_level(1)}
    for n, (prompt_id, mine, theirs) in enumerate(ANSWERS):
        if prompt_id not in deck:
            raise ValueError(f"demo prompt {prompt_id} is not in the first deck")
        when = _at(start, 19) + timedelta(days=3 * n)
        prompt_round = PromptRound.objects.create(
            pair=pair,
            prompt_id=prompt_id,
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
