"""Reports and what facilitators do with them; every action is audited, every reporter hears
the outcome, and nothing is ever hidden by the number of reports alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, PostStatus, Thread
from confide.circles.services import CircleError
from confide.circles.services.posts import reply_create, thread_create
from confide.circles.tests.factories import join, make_circle
from confide.core.models import AuditEntry
from confide.moderation.models import (
    Block,
    HiddenPost,
    MemberWarning,
    Outcome,
    Report,
    Standing,
    WarningPreset,
)
from confide.moderation.selectors import report_queue
from confide.moderation.services import (
    Decision,
    ModerationError,
    Restriction,
    block_remove,
    block_set,
    post_restore,
    preset_save,
    presets_ensure,
    report_create,
    report_resolve,
    standing_lift,
)
from confide.moderation.tests.factories import report
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _preset(circle: Circle) -> WarningPreset:
    presets_ensure(circle=circle)
    return WarningPreset.objects.filter(circle=circle).order_by("id").first()  # type: ignore[return-value]


def test_a_report_keeps_its_note_sealed_and_is_audited_without_it(
    thread: Thread, blake_member: Membership
) -> None:
    made = report_create(
        membership=blake_member,
        thread=thread,
        reply=None,
        reason="harassment",
        note="They keep messaging me",
    )
    raw = Report.objects.filter(pk=made.pk).values_list("note", flat=True).get()
    assert "messaging" not in str(raw)
    assert Report.objects.get().note == "They keep messaging me"
    entry = AuditEntry.objects.get(action="circles.post.reported")
    assert entry.data == {"reason": "harassment"}
    assert entry.target_id == str(thread.pk)


def test_bad_reports_are_refused_and_nothing_is_stored(
    thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    with pytest.raises(ModerationError, match="your own post"):
        report(alex_member, thread)
    with pytest.raises(ModerationError, match="listed reasons"):
        report(blake_member, thread, reason="boring")
    with pytest.raises(ModerationError, match="1000 characters"):
        report_create(
            membership=blake_member, thread=thread, reply=None, reason="spam", note="x" * 1001
        )
    assert not Report.objects.exists()
    report(blake_member, thread)
    with pytest.raises(ModerationError, match="already reported"):
        report(blake_member, thread)
    assert Report.objects.count() == 1


def test_a_member_blocked_by_the_author_can_still_report(
    thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    block_set(membership=alex_member, target=blake_member)
    made = report(blake_member, thread, reason="harassment")
    assert made.is_open


def test_distress_reports_come_first_then_the_oldest(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
    casey: User,
) -> None:
    casey_member = join(circle, casey, "Fern")
    with time_machine.travel(NOW, tick=False):
        old = report(blake_member, thread, reason="spam")
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        newer = report(casey_member, thread, reason="other")
    reply = reply_create(membership=alex_member, thread=thread, body="Fine.", content_note="")
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        urgent = report(blake_member, thread, reply=reply, reason="distress")
    assert list(report_queue(circle=circle)) == [urgent, old, newer]
    # A distress report alerts the facilitators at once.
    alert = Notification.objects.get(kind="safety_alert")
    assert alert.user_id == facilitator.user_id
    assert "Fine" not in alert.title


def test_many_reports_never_hide_a_post_by_themselves(
    circle: Circle, thread: Thread, blake_member: Membership, django_user_model: type[User]
) -> None:
    for n in range(25):
        person = django_user_model.objects.create_user(email=f"m{n}@example.org", password="x" * 12)
        report(join(circle, person, f"Member {n}"), thread, reason="hate")
    report(blake_member, thread, reason="distress")
    thread.refresh_from_db()
    assert thread.status == PostStatus.PUBLISHED
    assert not HiddenPost.objects.exists()
    assert Report.objects.filter(resolved_at__isnull=True).count() == 26


def test_hiding_resolves_every_report_about_the_post_and_tells_each_reporter(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    blake_member: Membership,
    casey: User,
) -> None:
    first = report(blake_member, thread)
    second = report(join(circle, casey, "Fern"), thread, reason="hate")
    report_resolve(facilitator=facilitator, report=first, decision=Decision(hide=True))
    assert HiddenPost.objects.get().thread_id == thread.pk
    for each in (first, second):
        each.refresh_from_db()
        assert (each.is_open, each.outcome, each.resolved_by_id) == (
            False,
            Outcome.HIDDEN,
            facilitator.pk,
        )
    outcomes = Notification.objects.filter(kind="moderation_outcome").order_by("user__email")
    assert [n.user.email for n in outcomes] == ["blake@example.org", "casey@example.org"]
    assert all("hidden" in n.title and "hard week" not in n.title for n in outcomes)
    assert all("Dana" not in n.title and "Lantern" not in n.title for n in outcomes)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("circles.post.hidden") == 1
    assert actions.count("circles.report.resolved") == 2


def test_a_resolved_report_cannot_be_acted_on_again(
    facilitator: Membership, thread: Thread, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    report_resolve(facilitator=facilitator, report=made, decision=Decision())
    made.refresh_from_db()
    assert made.outcome == Outcome.NO_ACTION
    entries = AuditEntry.objects.count()
    with pytest.raises(ModerationError, match="already resolved"):
        report_resolve(facilitator=facilitator, report=made, decision=Decision(hide=True))
    assert not HiddenPost.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_warning_uses_a_preset_and_the_member_is_told_by_a_facilitator(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
) -> None:
    preset = _preset(circle)
    made = report(blake_member, thread)
    report_resolve(facilitator=facilitator, report=made, decision=Decision(warning=preset))
    warning = MemberWarning.objects.get()
    assert (warning.membership_id, warning.text) == (alex_member.pk, preset.text)
    notice = Notification.objects.get(kind="moderation_notice")
    assert notice.user_id == alex_member.user_id
    assert notice.title.startswith("A facilitator of")
    assert AuditEntry.objects.get(action="circles.member.warned").data["preset"] == preset.pk
    made.refresh_from_db()
    assert made.outcome == Outcome.ACTED


def test_probation_holds_the_members_new_posts_until_lifted(
    facilitator: Membership, thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    decision = Decision(restriction=Restriction.PROBATION)
    report_resolve(facilitator=facilitator, report=made, decision=decision)
    assert Standing.objects.get(membership=alex_member).probation
    assert AuditEntry.objects.filter(action="circles.member.probation_started").exists()
    held = thread_create(membership=alex_member, title="Again", body="Hi", content_note="")
    assert held.status == PostStatus.HELD
    standing_lift(facilitator=facilitator, member=alex_member)
    assert AuditEntry.objects.filter(action="circles.member.restrictions_lifted").exists()
    again = thread_create(membership=alex_member, title="Again", body="Hi", content_note="")
    assert again.status == PostStatus.PUBLISHED


def test_a_mute_lasts_the_chosen_time(
    facilitator: Membership, thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    with time_machine.travel(NOW, tick=False):
        report_resolve(
            facilitator=facilitator,
            report=made,
            decision=Decision(restriction=Restriction.MUTE, mute_days=3),
        )
        assert Standing.objects.get().muted_until == NOW + timedelta(days=3)
    entry = AuditEntry.objects.get(action="circles.member.muted")
    assert entry.data["days"] == 3
    with time_machine.travel(NOW + timedelta(days=2), tick=False), pytest.raises(CircleError):
        reply_create(membership=alex_member, thread=thread, body="Hi", content_note="")
    with time_machine.travel(NOW + timedelta(days=3, minutes=1), tick=False):
        reply_create(membership=alex_member, thread=thread, body="Hi", content_note="")


def test_a_mute_needs_a_listed_length(
    facilitator: Membership, thread: Thread, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    with pytest.raises(ModerationError, match="how long"):
        report_resolve(
            facilitator=facilitator,
            report=made,
            decision=Decision(restriction=Restriction.MUTE, mute_days=400),
        )
    made.refresh_from_db()
    assert made.is_open
    assert not Standing.objects.exists()


def test_removal_ends_the_membership(
    facilitator: Membership, thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    report_resolve(
        facilitator=facilitator, report=made, decision=Decision(restriction=Restriction.REMOVE)
    )
    alex_member.refresh_from_db()
    assert not alex_member.is_active
    assert AuditEntry.objects.filter(action="circles.member.removed").exists()
    assert Notification.objects.filter(user=alex_member.user, kind="moderation_notice").exists()


def test_the_owner_cannot_be_restricted(
    facilitator: Membership, blake_member: Membership, alex_member: Membership
) -> None:
    owners_thread = thread_create(membership=facilitator, title="Hi", body="Hi", content_note="")
    made = report(blake_member, owners_thread)
    promoted = Membership.objects.get(pk=alex_member.pk)
    promoted.role = "facilitator"
    promoted.save()
    with pytest.raises(ModerationError, match="owner cannot"):
        report_resolve(
            facilitator=promoted, report=made, decision=Decision(restriction=Restriction.REMOVE)
        )


def test_only_facilitators_resolve_reports(
    thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    with pytest.raises(ModerationError, match="facilitators"):
        report_resolve(facilitator=alex_member, report=made, decision=Decision(hide=True))


def test_restore_shows_the_post_again_and_is_audited(
    facilitator: Membership, thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    reply = reply_create(membership=alex_member, thread=thread, body="Hmm", content_note="")
    made = report(blake_member, thread, reply=reply)
    report_resolve(facilitator=facilitator, report=made, decision=Decision(hide=True))
    hidden = HiddenPost.objects.get()
    assert hidden.reply_id == reply.pk
    post_restore(facilitator=facilitator, hidden=hidden)
    assert not HiddenPost.objects.exists()
    assert AuditEntry.objects.get(action="circles.post.restored").target_id == str(reply.pk)
    with pytest.raises(ModerationError, match="already restored"):
        post_restore(facilitator=facilitator, hidden=hidden)


def test_presets_start_with_the_projects_own_and_can_be_edited(
    circle: Circle, facilitator: Membership, alex_member: Membership
) -> None:
    presets_ensure(circle=circle)
    presets_ensure(circle=circle)
    assert WarningPreset.objects.filter(circle=circle).count() == 4
    preset = _preset(circle)
    preset_save(
        facilitator=facilitator, preset=preset, label="Own words", text="Please speak for yourself."
    )
    preset.refresh_from_db()
    assert preset.text == "Please speak for yourself."
    with pytest.raises(ModerationError, match="facilitators"):
        preset_save(facilitator=alex_member, preset=None, label="x", text="y")
    with pytest.raises(ModerationError, match="short name"):
        preset_save(facilitator=facilitator, preset=None, label=" ", text="y")
    other = make_circle(alex_member.user, name="Other", pseudonym="Otter")
    presets_ensure(circle=other)
    foreign = WarningPreset.objects.filter(circle=other).first()
    with pytest.raises(ModerationError, match="this circle"):
        preset_save(facilitator=facilitator, preset=foreign, label="x", text="y")


def test_blocking_and_unblocking(alex_member: Membership, blake_member: Membership) -> None:
    block_set(membership=alex_member, target=blake_member)
    with pytest.raises(ModerationError, match="already blocked"):
        block_set(membership=alex_member, target=blake_member)
    with pytest.raises(ModerationError, match="yourself"):
        block_set(membership=alex_member, target=alex_member)
    assert AuditEntry.objects.filter(action="circles.member.blocked").exists()
    block_remove(membership=alex_member, target=blake_member)
    assert not Block.objects.exists()
    with pytest.raises(ModerationError, match="had not blocked"):
        block_remove(membership=alex_member, target=blake_member)
