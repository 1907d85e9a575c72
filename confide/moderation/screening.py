"""Screening circle posts on write, called from confide.circles' post services (hooks).

- slur: the post is held for a facilitator (status held), whoever writes it;
- probation: a member a facilitator put on probation has every new post held;
- crisis: the post is saved as written, and the circle's facilitators get a safety alert that
  says only that a member may need support, with a link to the post (never its text);
- muted members cannot post until their mute ends.

The writer's own view (crisis resources, abuse resources, the private coach) is in hooks.py.
"""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from confide.circles.models import Membership, PostStatus, Reply, Role, Thread
from confide.circles.services import CircleError
from confide.core.audit import audit_log
from confide.moderation.models import Standing
from confide.notifications.models import Kind
from confide.notifications.services import notify
from confide.safety.screen import Screening
from confide.safety.services import WriteCheck, screen_write


def screen_post(*texts: str, send_as_is: bool = True, coached: bool = False) -> WriteCheck:
    """The one screening of a post (safety.services.screen_write), on everything it carries
    as stored (title, body, content note). Raises `CoachFirst` for a coached, harsh reply."""
    return screen_write(
        text="\n".join(t for t in texts if t), send_as_is=send_as_is, coached=coached
    )


def standing_of(membership: Membership) -> Standing | None:
    return Standing.objects.filter(membership_id=membership.pk).first()


def require_not_muted(membership: Membership) -> None:
    standing = standing_of(membership)
    if standing is not None and standing.is_muted:
        until = timezone.localtime(standing.muted_until)
        raise CircleError(
            _("A facilitator has paused your posting in this circle until %(until)s.")
            % {"until": formats.date_format(until, "DATETIME_FORMAT")}
        )


def status_on_write(membership: Membership, status: str, screening: Screening) -> str:
    """The status a new post gets: held for slurs or probation, else what circles chose."""
    if status == PostStatus.HELD:
        return status
    if screening.has("slur"):
        return PostStatus.HELD
    standing = standing_of(membership)
    if standing is not None and standing.probation:
        return PostStatus.HELD
    return status


def post_url(post: Thread | Reply) -> str:
    if isinstance(post, Reply):
        thread = post.thread
        return f"{reverse('circles:thread', args=[thread.circle_id, thread.pk])}#reply-{post.pk}"
    return reverse("circles:thread", args=[post.circle_id, post.pk])


def facilitators_of(circle_id: uuid.UUID) -> list[Membership]:
    return list(
        Membership.objects.select_related("user").filter(
            Q(role=Role.OWNER) | Q(role=Role.FACILITATOR), circle_id=circle_id, left_at__isnull=True
        )
    )


def alert_on_write(membership: Membership, post: Thread | Reply, screening: Screening) -> None:
    """Crisis words: tell the circle's other facilitators that a member may need support.

    Call inside the transaction that saved `post`; notify() sends emails on commit.
    """
    if not screening.has("crisis"):
        return
    kind = "reply" if isinstance(post, Reply) else "thread"
    told = 0
    for facilitator in facilitators_of(membership.circle_id):
        if facilitator.pk == membership.pk:
            continue
        created = notify(
            user=facilitator.user,
            kind=Kind.SAFETY_ALERT,
            event_key=f"safety_alert:{kind}:{post.pk}",
            title=_(
                "A member of %(circle)s may need support: a post suggests they may be at risk. "
                "Please check in with them."
            )
            % {"circle": membership.circle.name},
            url=post_url(post),
        )
        told += created is not None
    audit_log(
        actor=membership.user,
        action="circles.safety_alert.sent",
        target=post,
        data={"facilitators": told},
    )
