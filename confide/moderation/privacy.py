"""What a person takes with them from moderation (export) and what erasing their account does.

Registered with the privacy registry in `ModerationConfig.ready()`.

Export: the reports they made and their outcomes (the reported post is named by its author's
circle pseudonym only), the notes facilitators sent them, limits on their posting, and the
members they blocked (by pseudonym).

Erasure: reports they made stay, anonymised, for the circle's safety record: their note (their
own words) is cleared and the report stays with the emptied "former member" placeholder that
circles keeps (see `circles.privacy`), so it names nobody; reason, dates and outcome stay.
Warnings they received, their standing (probation, muting) and the blocks they made are deleted.
What they did as a facilitator (resolving reports, hiding posts) stays, as done by "a
facilitator", with no link to them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.circles.models import Membership
from confide.moderation.models import Block, HiddenPost, MemberWarning, Report, Standing
from confide.privacy.document import iso

PERSONAL_MODELS = (Report, HiddenPost, MemberWarning, Standing, Block)


def _name(member: Membership) -> str:
    return member.pseudonym if member.left_at is None else _("a former member")


def moderation_export(user: User) -> dict[str, Any]:
    members = list(Membership.objects.filter(user=user).select_related("circle"))
    circles = {member.pk: member.circle.name for member in members}
    reports = (
        Report.objects.filter(reporter__in=members)
        .select_related("thread__author", "reply__author")
        .order_by("created_at")
    )
    warnings = MemberWarning.objects.filter(membership__in=members).order_by("created_at")
    standings = Standing.objects.filter(membership__in=members)
    blocks = Block.objects.filter(blocker__in=members).select_related("blocked").order_by("pk")
    return {
        "reports_made": [
            {
                "circle": circles[report.reporter_id],
                "about": "reply" if report.reply_id else "thread",
                "thread_id": str(report.thread_id),
                "reply_id": str(report.reply_id) if report.reply_id else None,
                "post_by": _name((report.reply or report.thread).author),
                "reason": report.reason,
                "note": report.note,
                "created_at": iso(report.created_at),
                "resolved_at": iso(report.resolved_at),
                "outcome": report.outcome or None,
            }
            for report in reports
        ],
        "warnings_received": [
            {
                "circle": circles[warning.membership_id],
                "text": warning.text,
                "created_at": iso(warning.created_at),
            }
            for warning in warnings
        ],
        "standing": [
            {
                "circle": circles[standing.membership_id],
                "probation": standing.probation,
                "muted_until": iso(standing.muted_until),
            }
            for standing in standings
        ],
        "blocks": [
            {
                "circle": circles[block.blocker_id],
                "blocked": _name(block.blocked),
                "created_at": iso(block.created_at),
            }
            for block in blocks
        ],
    }


def moderation_erase(user: User) -> None:
    members = Membership.objects.filter(user=user)
    for report in Report.objects.filter(reporter__in=members):
        if report.note:
            report.note = ""
            report.save(update_fields=["note"])
    MemberWarning.objects.filter(membership__in=members).delete()
    Standing.objects.filter(membership__in=members).delete()
    Block.objects.filter(blocker__in=members).delete()
    # What they did as a facilitator stays, as done by "a facilitator".
    Report.objects.filter(resolved_by__in=members).update(resolved_by=None)
    HiddenPost.objects.filter(hidden_by__in=members).update(hidden_by=None)


def moderation_privacy_register() -> None:
    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="moderation",
        models=PERSONAL_MODELS,
        export=moderation_export,
        erase=moderation_erase,
    )
