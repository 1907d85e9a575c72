"""Every write of moderation: reports and their resolution, hidden posts, warnings, probation,
mutes, removals, presets and blocks.

Facilitators appear to members only as "a facilitator"; notifications name what happened and
never carry the text of a post or a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.circles.models import Circle, Membership, PostStatus, Reply, Role, Thread
from confide.circles.services import CircleError
from confide.core.audit import audit_log
from confide.moderation.models import (
    MAX_NOTE,
    MAX_PRESET_LABEL,
    MAX_PRESET_TEXT,
    Block,
    HiddenPost,
    MemberWarning,
    Outcome,
    Reason,
    Report,
    Standing,
    WarningPreset,
)
from confide.moderation.presets import STARTER_PRESETS
from confide.moderation.screening import facilitators_of
from confide.notifications.models import Kind
from confide.notifications.services import notify

MUTE_DAYS = (1, 3, 7, 30)


class ModerationError(CircleError):
    """A moderation request that cannot be done; the message says why, for the person."""


class Restriction:
    NONE = ""
    PROBATION = "probation"
    MUTE = "mute"
    REMOVE = "remove"


@dataclass(frozen=True)
class Decision:
    hide: bool = False
    warning: WarningPreset | None = None
    restriction: str = Restriction.NONE
    mute_days: int | None = None


def _require_facilitator(membership: Membership) -> None:
    if not membership.is_facilitator:
        raise ModerationError(_("Only the circle's facilitators can do this."))


def _post(report_or_hidden: Report | HiddenPost) -> Thread | Reply:
    return report_or_hidden.reply or report_or_hidden.thread


@transaction.atomic
def report_create(
    *, membership: Membership, thread: Thread, reply: Reply | None, reason: str, note: str
) -> Report:
    """A member reports a post they can see. Blocks play no part: a member blocked by the
    author can still report. Many reports about one post never hide it by themselves."""
    if not membership.is_active:
        raise ModerationError(_("You are no longer a member of this circle."))
    if reason not in Reason.values:
        raise ModerationError(_("Choose one of the listed reasons."))
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ModerationError(
            _("Keep the note to %(n)d characters or fewer (it has %(len)d).")
            % {"n": MAX_NOTE, "len": len(note)}
        )
    post: Thread | Reply = reply if reply is not None else thread
    if post.author_id == membership.pk:
        raise ModerationError(_("This is your own post, so you cannot report it."))
    if post.status != PostStatus.PUBLISHED:
        raise ModerationError(_("This post is not published, so there is nothing to report."))
    existing = Report.objects.filter(
        reporter=membership, thread=thread, reply=reply, resolved_at__isnull=True
    )
    if existing.exists():
        raise ModerationError(
            _("You have already reported this post. A facilitator will look at it soon.")
        )
    report = Report(
        circle_id=thread.circle_id,
        space_id=membership.circle.space_id,
        thread=thread,
        reply=reply,
        reporter=membership,
        reason=reason,
        note=note,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ModerationError(
            _("You have already reported this post. A facilitator will look at it soon.")
        ) from None
    audit_log(
        actor=membership.user, action="circles.post.reported", target=post, data={"reason": reason}
    )
    if reason == Reason.DISTRESS:
        # Someone may be at risk: facilitators hear of it now, not when they next look.
        for facilitator in facilitators_of(thread.circle_id):
            if facilitator.pk != membership.pk:
                notify(
                    user=facilitator.user,
                    kind=Kind.SAFETY_ALERT,
                    event_key=f"safety_alert:report:{report.pk}",
                    title=_(
                        "A member of %(circle)s reported a post because someone may be at risk."
                    )
                    % {"circle": membership.circle.name},
                    url=reverse("moderation:queue", args=[thread.circle_id]),
                )
    return report


def _tell_member(member: Membership, *, key: str, title: str, url: str | None = None) -> None:
    notify(
        user=member.user,
        kind=Kind.MODERATION_NOTICE,
        event_key=key,
        title=title,
        url=url or reverse("moderation:mine", args=[member.circle_id]),
    )


def _hide(facilitator: Membership, post: Thread | Reply, thread: Thread) -> bool:
    reply = post if isinstance(post, Reply) else None
    if HiddenPost.objects.filter(thread=thread, reply=reply).exists():
        return False
    HiddenPost.objects.create(
        circle_id=thread.circle_id,
        thread=thread,
        reply=reply,
        hidden_by=facilitator,
    )
    audit_log(actor=facilitator.user, action="circles.post.hidden", target=post)
    return True


def _standing(member: Membership) -> Standing:
    standing, _created = Standing.objects.select_for_update().get_or_create(membership=member)
    return standing


def _warn(
    facilitator: Membership, member: Membership, preset: WarningPreset, report: Report
) -> None:
    warning = MemberWarning.objects.create(membership=member, report=report, text=preset.text)
    audit_log(
        actor=facilitator.user,
        action="circles.member.warned",
        target=member,
        data={"preset": preset.pk, "report": str(report.pk)},
    )
    _tell_member(
        member,
        key=f"moderation_notice:warning:{warning.pk}",
        title=_("A facilitator of %(circle)s sent you a note about one of your posts.")
        % {"circle": member.circle.name},
    )


def _restrict(facilitator: Membership, member: Membership, decision: Decision) -> None:
    circle = member.circle.name
    if decision.restriction == Restriction.PROBATION:
        standing = _standing(member)
        standing.probation = True
        standing.save(update_fields=["probation"])
        audit_log(actor=facilitator.user, action="circles.member.probation_started", target=member)
        title = _("In %(circle)s, a facilitator will review your new posts for a while.")
    elif decision.restriction == Restriction.MUTE:
        days = decision.mute_days
        if days not in MUTE_DAYS:
            raise ModerationError(_("Choose for how long the member cannot post."))
        standing = _standing(member)
        standing.muted_until = timezone.now() + timedelta(days=days)
        standing.save(update_fields=["muted_until"])
        audit_log(
            actor=facilitator.user,
            action="circles.member.muted",
            target=member,
            data={"days": days, "until": standing.muted_until.isoformat()},
        )
        title = _("A facilitator of %(circle)s paused your posting for a while.")
    else:  # Restriction.REMOVE
        Membership.objects.filter(pk=member.pk).update(left_at=timezone.now())
        audit_log(actor=facilitator.user, action="circles.member.removed", target=member)
        _tell_member(
            member,
            key=f"moderation_notice:removed:{member.pk}",
            title=_("A facilitator removed you from the circle %(circle)s.") % {"circle": circle},
            url=reverse("circles:list"),
        )
        return
    _tell_member(
        member,
        key=f"moderation_notice:{decision.restriction}:{member.pk}:{timezone.now():%Y%m%d%H%M%S}",
        title=title % {"circle": circle},
    )


def _check_decision(facilitator: Membership, author: Membership, decision: Decision) -> None:
    if decision.restriction not in (
        Restriction.NONE,
        Restriction.PROBATION,
        Restriction.MUTE,
        Restriction.REMOVE,
    ):
        raise ModerationError(_("Choose one of the listed restrictions."))
    if decision.warning is not None and decision.warning.circle_id != facilitator.circle_id:
        raise ModerationError(_("Choose one of this circle's warning notes."))
    acts_on_author = decision.warning is not None or decision.restriction
    if acts_on_author and not author.is_active:
        raise ModerationError(_("The author has left the circle; you can still hide the post."))
    if acts_on_author and author.pk == facilitator.pk:
        raise ModerationError(_("You cannot warn or restrict yourself."))
    if decision.restriction and author.role == Role.OWNER:
        raise ModerationError(_("The circle's owner cannot be restricted or removed."))


def _outcome_title(outcome: str, circle: Circle) -> str:
    if outcome == Outcome.HIDDEN:
        text = _("A facilitator of %(circle)s reviewed your report: the post is now hidden.")
    elif outcome == Outcome.ACTED:
        text = _("A facilitator of %(circle)s reviewed your report and acted on it.")
    else:
        text = _("A facilitator of %(circle)s reviewed your report and left the post up.")
    return text % {"circle": circle.name}


@transaction.atomic
def report_resolve(*, facilitator: Membership, report: Report, decision: Decision) -> Report:
    """Act on a report; it and every other open report about the same post are resolved, and
    each reporter is told the outcome. A report already resolved changes nothing."""
    _require_facilitator(facilitator)
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("thread", "reply", "circle")
        .get(pk=report.pk, circle_id=facilitator.circle_id)
    )
    if not report.is_open:
        raise ModerationError(
            _("A facilitator has already resolved this report, so nothing was changed.")
        )
    post = _post(report)
    author = Membership.objects.select_related("circle", "user").get(pk=post.author_id)
    _check_decision(facilitator, author, decision)
    if decision.hide:
        _hide(facilitator, post, report.thread)
    if decision.warning is not None:
        _warn(facilitator, author, decision.warning, report)
    if decision.restriction:
        _restrict(facilitator, author, decision)
    if decision.hide:
        outcome = Outcome.HIDDEN
    elif decision.warning is not None or decision.restriction:
        outcome = Outcome.ACTED
    else:
        outcome = Outcome.NO_ACTION
    now = timezone.now()
    same_post = Report.objects.select_for_update(of=("self",)).filter(
        thread=report.thread, reply=report.reply, resolved_at__isnull=True
    )
    for each in same_post.select_related("reporter__user"):
        each.resolved_at, each.resolved_by, each.outcome = now, facilitator, outcome
        each.save(update_fields=["resolved_at", "resolved_by", "outcome"])
        audit_log(
            actor=facilitator.user,
            action="circles.report.resolved",
            target=each,
            data={"outcome": outcome, "reason": each.reason},
        )
        if each.reporter.is_active:
            notify(
                user=each.reporter.user,
                kind=Kind.MODERATION_OUTCOME,
                event_key=f"moderation_outcome:{each.pk}",
                title=_outcome_title(outcome, report.circle),
                url=reverse("moderation:mine", args=[report.circle_id]),
            )
    report.refresh_from_db()
    return report


@transaction.atomic
def post_restore(*, facilitator: Membership, hidden: HiddenPost) -> None:
    _require_facilitator(facilitator)
    if hidden.circle_id != facilitator.circle_id:
        raise ModerationError(_("This post is not in your circle."))
    deleted, _rows = HiddenPost.objects.filter(pk=hidden.pk).delete()
    if not deleted:
        raise ModerationError(_("This post is already restored."))
    audit_log(actor=facilitator.user, action="circles.post.restored", target=_post(hidden))


@transaction.atomic
def standing_lift(*, facilitator: Membership, member: Membership) -> None:
    """End a member's probation and mute."""
    _require_facilitator(facilitator)
    updated = Standing.objects.filter(membership=member).update(probation=False, muted_until=None)
    if not updated:
        raise ModerationError(_("This member has no restrictions to lift."))
    audit_log(actor=facilitator.user, action="circles.member.restrictions_lifted", target=member)
    _tell_member(
        member,
        key=f"moderation_notice:lifted:{member.pk}:{timezone.now():%Y%m%d%H%M%S}",
        title=_("In %(circle)s, a facilitator lifted the limits on your posting.")
        % {"circle": member.circle.name},
    )


@transaction.atomic
def presets_ensure(*, circle: Circle) -> None:
    """Give a circle the project's starter presets the first time they are needed."""
    if WarningPreset.objects.filter(circle=circle).exists():
        return
    WarningPreset.objects.bulk_create(
        [
            WarningPreset(circle=circle, label=str(label), text=str(text))
            for label, text in STARTER_PRESETS
        ]
    )


def _clean_preset(label: str, text: str) -> tuple[str, str]:
    label, text = " ".join(label.split()), text.strip()
    if not label or not text:
        raise ModerationError(_("Give the note a short name and a text."))
    if len(label) > MAX_PRESET_LABEL or len(text) > MAX_PRESET_TEXT:
        raise ModerationError(
            _("Keep the name to %(label)d and the text to %(text)d characters or fewer.")
            % {"label": MAX_PRESET_LABEL, "text": MAX_PRESET_TEXT}
        )
    return label, text


@transaction.atomic
def preset_save(
    *, facilitator: Membership, preset: WarningPreset | None, label: str, text: str
) -> WarningPreset:
    """Add a warning preset (preset None) or change one of the circle's."""
    _require_facilitator(facilitator)
    label, text = _clean_preset(label, text)
    if preset is None:
        preset = WarningPreset.objects.create(circle=facilitator.circle, label=label, text=text)
    else:
        if preset.circle_id != facilitator.circle_id:
            raise ModerationError(_("Choose one of this circle's warning notes."))
        preset.label, preset.text = label, text
        preset.save(update_fields=["label", "text"])
    audit_log(actor=facilitator.user, action="circles.preset.saved", target=preset)
    return preset


@transaction.atomic
def block_set(*, membership: Membership, target: Membership) -> Block:
    if target.pk == membership.pk:
        raise ModerationError(_("You cannot block yourself."))
    if target.circle_id != membership.circle_id:
        raise ModerationError(_("You can only block members of this circle."))
    block, created = Block.objects.get_or_create(blocker=membership, blocked=target)
    if not created:
        raise ModerationError(_("You have already blocked this member."))
    audit_log(actor=membership.user, action="circles.member.blocked", target=block)
    return block


@transaction.atomic
def block_remove(*, membership: Membership, target: Membership) -> None:
    deleted, _rows = Block.objects.filter(blocker=membership, blocked=target).delete()
    if not deleted:
        raise ModerationError(_("You had not blocked this member."))
    audit_log(actor=membership.user, action="circles.member.unblocked", target=membership)
