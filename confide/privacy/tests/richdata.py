"""One of everything for a pair (alex and blake), with a unique canary in every text, for the
export and erasure tests. Rows are made directly, so these tests do not depend on screening."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.utils import timezone

from confide.accounts.models import EmailToken, User
from confide.dialogue.models import DialogueSession, Reflection, Step, Topic, WithheldTurn
from confide.pairs.models import (
    CheckIn,
    ListeningReply,
    Pair,
    PairInvitation,
    PromptAnswer,
    PromptRound,
    Visibility,
)
from confide.privacy.accesslog import access_kind_register, access_record
from confide.privacy.keys import person_space
from confide.reminders.models import Reminder
from confide.rhythm.models import (
    Appreciation,
    Bid,
    ContractConsent,
    ContractDay,
    GestureIdea,
    GesturePick,
    LapseNote,
)
from confide.safety.models import SafetyPlan
from confide.together.models import Plan, TogetherTime

TEST_ACCESS_KIND = "privacy.test_opened"


@dataclass
class Written:
    """The canaries one person wrote, by where."""

    person: User
    canaries: dict[str, str] = field(default_factory=dict)
    private_checkin: CheckIn | None = None

    def canary(self, where: str) -> str:
        text = f"canary-{self.person.display_name.lower()}-{where}"
        self.canaries[where] = text
        return text


def _personal(pair: Pair, me: User, partner: User, day: date) -> Written:
    w = Written(me)
    mine = person_space(user=me)
    private = CheckIn(
        pair=pair,
        author=me,
        day=day,
        mood=2,
        visibility=Visibility.PRIVATE,
        space=mine,
        feelings_text="tired",
        note=w.canary("private-checkin"),
    )
    private.save()
    w.private_checkin = private
    shared = CheckIn(
        pair=pair,
        author=me,
        day=day - timedelta(days=1),
        mood=4,
        visibility=Visibility.SHARED,
        space=pair.space,
        note=w.canary("shared-checkin"),
    )
    shared.save()
    prompt_round = PromptRound.objects.filter(pair=pair).first() or PromptRound.objects.create(
        pair=pair, prompt_id="p-unknown", level=1, drawn_by=me
    )
    PromptAnswer(
        round=prompt_round, author=me, space=pair.space, text=w.canary("unrevealed-answer")
    ).save()
    Topic(
        pair=pair, space=mine, raised_by=me, title=w.canary("withheld-topic"), withheld=True
    ).save()
    Topic(pair=pair, space=pair.space, raised_by=me, title=w.canary("topic")).save()
    Appreciation(
        pair=pair, author=me, space=pair.space, text=w.canary("appreciation"), day=day
    ).save()
    idea = GestureIdea(
        pair=pair, owner=me, space=mine, kind="words", effort="minute", text=w.canary("idea")
    )
    idea.save()
    GesturePick.objects.create(pair=pair, person=me, week_start=day, idea=idea)
    Bid.objects.create(pair=pair, person=me, kind="turned_toward", day=day)
    ContractConsent.objects.create(pair=pair, person=me)
    LapseNote(pair=pair, author=me, space=mine, day=day, note=w.canary("lapse")).save()
    Plan(
        pair=pair,
        space=pair.space,
        planned_by=me,
        what=w.canary("plan"),
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60,
    ).save()
    SafetyPlan(owner=me, space=mine, warning_signs=w.canary("safety-plan")).save()
    Reminder.objects.create(user=me, kind="checkin", at=time(8, 30), enabled=True)
    EmailToken.objects.create(
        user=me,
        purpose=EmailToken.Purpose.VERIFY,
        email=me.email,
        token_hash=f"hash-{me.pk}",
        expires_at=timezone.now() + timedelta(days=1),
    )
    return w


def rich_pair(pair: Pair, alex: User, blake: User) -> tuple[Written, Written]:
    """Alex and Blake each write one of everything; they reply to each other and talk."""
    day = timezone.localdate()
    a = _personal(pair, alex, blake, day)
    b = _personal(pair, blake, alex, day)
    blake_shared = CheckIn.objects.get(author=blake, visibility=Visibility.SHARED)
    ListeningReply(
        checkin=blake_shared, author=alex, kind="reflect", space=pair.space, text=a.canary("reply")
    ).save()
    alex_shared = CheckIn.objects.get(author=alex, visibility=Visibility.SHARED)
    ListeningReply(
        checkin=alex_shared, author=blake, kind="reflect", space=pair.space, text=b.canary("reply")
    ).save()
    session = DialogueSession.objects.create(
        pair=pair, person_a=alex, person_b=blake, closed_at=timezone.now()
    )
    Step(
        session=session, seq=1, kind="share", role="a", author=alex, space=pair.space,
        text=a.canary("step"),
    ).save()  # fmt: skip
    Step(
        session=session, seq=2, kind="mirror", role="b", author=blake, space=pair.space,
        text=b.canary("step"),
    ).save()  # fmt: skip
    WithheldTurn(
        session=session, author=alex, kind="share", space=person_space(user=alex),
        text=a.canary("held-turn"),
    ).save()  # fmt: skip
    Reflection.objects.create(session=session, author=alex, understood=4)
    ContractDay(
        pair=pair,
        day=day,
        stated_by=blake,
        space=pair.space,
        intention=b.canary("intention"),
        acknowledged_by=alex,
        acknowledged_at=timezone.now(),
    ).save()
    TogetherTime.objects.create(
        pair=pair,
        source="timer",
        started_at=timezone.now() - timedelta(hours=1),
        stopped_at=timezone.now(),
        minutes=60,
        started_by=alex,
        stopped_by=blake,
    )
    PairInvitation.objects.create(
        inviter=alex,
        token_hash=f"inv-{alex.pk}",
        email="someone@example.org",
        expires_at=timezone.now() + timedelta(days=1),
    )
    access_kind_register(TEST_ACCESS_KIND, "a test opening")
    return a, b


def record_access(*, subject: User, actor: User, role: str) -> None:
    access_kind_register(TEST_ACCESS_KIND, "a test opening")
    access_record(subject=subject, actor=actor, role=role, kind=TEST_ACCESS_KIND)
