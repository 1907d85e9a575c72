"""Circles and who belongs to them: create, invite, request, join, leave, profile, roles."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.accounts.tokens import hash_token
from confide.circles.models import (
    MAX_NAME,
    MAX_PSEUDONYM,
    Circle,
    CircleInvitation,
    Guidelines,
    JoinRequest,
    Membership,
    Role,
)
from confide.circles.services import CircleError
from confide.core.audit import audit_log
from confide.notifications.services import notify
from confide.privacy.keys import space_create
from confide.privacy.models import Space

INVITATION_DAYS = 14
MIN_PSEUDONYM = 2
MAX_TOKEN = 100


def pseudonym_clean(pseudonym: str) -> str:
    name = " ".join(pseudonym.split())
    if len(name) < MIN_PSEUDONYM:
        raise CircleError(_("Choose a name of at least two characters for this circle."))
    if len(name) > MAX_PSEUDONYM:
        raise CircleError(
            _("Keep your circle name to %(n)d characters or fewer.") % {"n": MAX_PSEUDONYM}
        )
    return name


def pseudonym_taken(circle: Circle, pseudonym: str, *, exclude: Membership | None = None) -> bool:
    query = Membership.objects.annotate(lower=Lower("pseudonym")).filter(
        circle=circle, left_at__isnull=True, lower=pseudonym.lower()
    )
    if exclude is not None:
        query = query.exclude(pk=exclude.pk)
    return query.exists()


def _check_free(circle: Circle, pseudonym: str, *, exclude: Membership | None = None) -> None:
    if pseudonym_taken(circle, pseudonym, exclude=exclude):
        raise CircleError(
            _("Someone in this circle already uses the name “%(name)s”. Choose another one.")
            % {"name": pseudonym}
        )


def _save_membership(membership: Membership, *, update_fields: list[str] | None = None) -> None:
    """Save, turning a lost race for the same pseudonym into a clear message."""
    try:
        with transaction.atomic():
            membership.save(update_fields=update_fields)
    except IntegrityError:
        raise CircleError(
            _("Someone in this circle already uses the name “%(name)s”. Choose another one.")
            % {"name": membership.pseudonym}
        ) from None


@transaction.atomic
def circle_create(
    *,
    owner: User,
    name: str,
    purpose: str,
    pseudonym: str,
    guidelines: str,
    hold_first_posts: bool = False,
) -> Circle:
    """A new private circle with its own space, first guidelines and its owner as member."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise CircleError(_("Give the circle a name of 1 to %(n)d characters.") % {"n": MAX_NAME})
    if not guidelines.strip():
        raise CircleError(_("A circle needs guidelines. Keep the starter text or write your own."))
    pseudonym = pseudonym_clean(pseudonym)
    space = space_create(kind=Space.Kind.CIRCLE)
    circle = Circle.objects.create(
        space=space,
        name=name,
        purpose=purpose.strip(),
        hold_first_posts=hold_first_posts,
        guidelines_version=1,
    )
    owner_membership = Membership.objects.create(
        circle=circle,
        user=owner,
        space=space,
        role=Role.OWNER,
        pseudonym=pseudonym,
        accepted_version=1,
        trusted=True,
    )
    Guidelines.objects.create(
        circle=circle, version=1, text=guidelines.strip(), published_by=owner_membership
    )
    audit_log(actor=owner, action="circles.circle.created", target=circle)
    return circle


@transaction.atomic
def circle_settings_update(*, membership: Membership, hold_first_posts: bool) -> Circle:
    _require_facilitator(membership)
    circle = Circle.objects.select_for_update().get(pk=membership.circle_id)
    if circle.hold_first_posts != hold_first_posts:
        circle.hold_first_posts = hold_first_posts
        circle.save(update_fields=["hold_first_posts"])
        audit_log(
            actor=membership.user,
            action="circles.settings.changed",
            target=circle,
            data={"hold_first_posts": hold_first_posts},
        )
    return circle


def _require_facilitator(membership: Membership) -> None:
    if not membership.is_facilitator:
        raise CircleError(_("Only the circle's facilitators can do this."))


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, membership: Membership) -> tuple[CircleInvitation, str]:
    """A single-use invitation link. Returns it with the raw token, which is never stored."""
    _require_facilitator(membership)
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = CircleInvitation.objects.create(
        circle=membership.circle,
        created_by=membership,
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit_log(actor=membership.user, action="circles.invitation.created", target=invitation)
    return invitation, raw


def invitation_find(*, circle_id: object, raw_token: str) -> CircleInvitation:
    """The invitation behind a link, which must be for this circle (a link for another circle
    is as invalid as a made-up one)."""
    invalid = CircleError(_("This invitation link is not valid. Check that you copied all of it."))
    if not raw_token or len(raw_token) > MAX_TOKEN:
        raise invalid
    invitation = (
        CircleInvitation.objects.select_related("circle")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    if invitation is None or str(invitation.circle_id) != str(circle_id):
        raise invalid
    return invitation


def invitation_check(invitation: CircleInvitation, *, user: User | None = None) -> None:
    if invitation.status == CircleInvitation.Status.USED:
        raise CircleError(_("This invitation has already been used. Ask for a new one."))
    if invitation.status == CircleInvitation.Status.WITHDRAWN:
        raise CircleError(_("This invitation was withdrawn by the circle's facilitators."))
    if invitation.expires_at <= timezone.now():
        raise CircleError(_("This invitation has expired. Ask the circle for a new one."))
    if user is not None and active_membership(invitation.circle, user) is not None:
        raise CircleError(_("You are already a member of this circle."))


def active_membership(circle: Circle, user: User) -> Membership | None:
    return Membership.objects.filter(circle=circle, user=user, left_at__isnull=True).first()


def _add_member(*, circle: Circle, user: User, pseudonym: str, accepted_version: int) -> Membership:
    """Add `user` (or bring a former member back, starting afresh)."""
    existing = Membership.objects.filter(circle=circle, user=user).first()
    if existing is not None and existing.is_active:
        raise CircleError(_("You are already a member of this circle."))
    _check_free(circle, pseudonym)
    membership = existing or Membership(circle=circle, user=user, space=circle.space)
    membership.role = Role.MEMBER
    membership.pseudonym = pseudonym
    membership.about = membership.pronouns = membership.background = membership.brings = ""
    membership.accepted_version = accepted_version
    membership.trusted = not circle.hold_first_posts
    membership.joined_at = timezone.now()
    membership.left_at = None
    _save_membership(membership)
    return membership


@transaction.atomic
def invitation_accept(
    *, invitation: CircleInvitation, user: User, pseudonym: str, accept_guidelines: bool
) -> Membership:
    invitation = (
        CircleInvitation.objects.select_for_update().select_related("circle").get(pk=invitation.pk)
    )
    invitation_check(invitation, user=user)
    pseudonym = pseudonym_clean(pseudonym)
    circle = invitation.circle
    if not accept_guidelines:
        raise CircleError(_("Read the guidelines and confirm that you accept them to join."))
    membership = _add_member(
        circle=circle, user=user, pseudonym=pseudonym, accepted_version=circle.guidelines_version
    )
    invitation.status = CircleInvitation.Status.USED
    invitation.used_by = user
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["status", "used_by", "used_at"])
    audit_log(
        actor=user,
        action="circles.member.joined",
        target=circle,
        data={"invitation": invitation.pk, "membership": str(membership.pk)},
    )
    return membership


@transaction.atomic
def invitation_withdraw(*, membership: Membership, invitation: CircleInvitation) -> None:
    _require_facilitator(membership)
    updated = CircleInvitation.objects.filter(
        pk=invitation.pk, circle=membership.circle, status=CircleInvitation.Status.PENDING
    ).update(status=CircleInvitation.Status.WITHDRAWN)
    if not updated:
        raise CircleError(_("This invitation has already been used or withdrawn."))
    audit_log(actor=membership.user, action="circles.invitation.withdrawn", target=invitation)


# --- requests -------------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, circle: Circle, user: User, pseudonym: str) -> JoinRequest:
    if active_membership(circle, user) is not None:
        raise CircleError(_("You are already a member of this circle."))
    pseudonym = pseudonym_clean(pseudonym)
    if JoinRequest.objects.filter(
        circle=circle, user=user, status=JoinRequest.Status.PENDING
    ).exists():
        raise CircleError(_("You have already asked to join; a facilitator will answer soon."))
    _check_free(circle, pseudonym)
    request = JoinRequest.objects.create(circle=circle, user=user, pseudonym=pseudonym)
    audit_log(actor=user, action="circles.request.created", target=request)
    facilitators = Membership.objects.filter(
        circle=circle, left_at__isnull=True, role__in=[Role.OWNER, Role.FACILITATOR]
    ).select_related("user")
    for facilitator in facilitators:
        notify(
            user=facilitator.user,
            kind="circle_request",
            event_key=f"circle_request:{request.pk}",
            title=_("Someone asks to join a circle you facilitate"),
            url=reverse("circles:queue", args=[circle.pk]),
        )
    return request


@transaction.atomic
def join_request_decide(
    *, membership: Membership, join_request: JoinRequest, approve: bool
) -> JoinRequest:
    _require_facilitator(membership)
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("circle", "user")
        .get(pk=join_request.pk, circle=membership.circle)
    )
    if join_request.status != JoinRequest.Status.PENDING:
        raise CircleError(_("This request has already been answered."))
    if approve:
        # They have not read the guidelines yet: they accept them on their first visit.
        _add_member(
            circle=join_request.circle,
            user=join_request.user,
            pseudonym=join_request.pseudonym,
            accepted_version=0,
        )
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = membership
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    audit_log(
        actor=membership.user,
        action="circles.request.approved" if approve else "circles.request.declined",
        target=join_request,
    )
    return join_request


# --- members --------------------------------------------------------------------------------


@transaction.atomic
def profile_update(
    *,
    membership: Membership,
    pseudonym: str,
    about: str,
    pronouns: str,
    background: str,
    brings: str,
) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("circle")
        .get(pk=membership.pk, left_at__isnull=True)
    )
    pseudonym = pseudonym_clean(pseudonym)
    _check_free(membership.circle, pseudonym, exclude=membership)
    membership.pseudonym = pseudonym
    membership.about = about.strip()
    membership.pronouns = " ".join(pronouns.split())
    membership.background = " ".join(background.split())
    membership.brings = " ".join(brings.split())
    _save_membership(
        membership, update_fields=["pseudonym", "about", "pronouns", "background", "brings"]
    )
    return membership


@transaction.atomic
def role_set(*, membership: Membership, target: Membership, role: str) -> Membership:
    """The owner makes a member a facilitator, or a facilitator a member again."""
    if membership.role != Role.OWNER or not membership.is_active:
        raise CircleError(_("Only the circle's owner can change roles."))
    if role not in (Role.FACILITATOR, Role.MEMBER):
        raise CircleError(_("Choose facilitator or member."))
    target = Membership.objects.select_for_update().get(
        pk=target.pk, circle=membership.circle, left_at__isnull=True
    )
    if target.role == Role.OWNER:
        raise CircleError(_("The owner's role cannot be changed."))
    if target.role != role:
        target.role = role
        target.trusted = target.trusted or role == Role.FACILITATOR
        target.save(update_fields=["role", "trusted"])
        audit_log(
            actor=membership.user,
            action="circles.member.role_changed",
            target=target,
            data={"role": role},
        )
    return target


@transaction.atomic
def circle_leave(*, membership: Membership) -> Membership:
    """Leave at any time. What the person wrote stays, shown as from a former member."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise CircleError(_("You have already left this circle."))
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    audit_log(actor=membership.user, action="circles.member.left", target=membership.circle)
    return membership
