from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User, normalise_email
from confide.accounts.tokens import hash_token
from confide.core.audit import audit_log
from confide.notifications.services import notify
from confide.pairs import tasks
from confide.pairs.models import Pair, PairInvitation, PairMember
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member, partner_of
from confide.privacy.keys import space_create
from confide.privacy.models import Space

INVITATION_DAYS = 7


@transaction.atomic
def invitation_create(*, inviter: User, email: str = "") -> tuple[PairInvitation, str]:
    """A new single-use invitation. Returns it with the raw token, which is never stored."""
    raw = secrets.token_urlsafe(32)
    email = normalise_email(email) if email else ""
    if email and email == inviter.email:
        raise PairError(_("That is your own address. Enter the address of the person you invite."))
    now = timezone.now()
    invitation = PairInvitation.objects.create(
        inviter=inviter,
        token_hash=hash_token(raw),
        email=email,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit_log(actor=inviter, action="pairs.invitation.created", target=invitation)
    if email:
        invitee = User.objects.filter(email=email, email_verified_at__isnull=False).first()
        if invitee is not None:
            notify(
                user=invitee,
                kind="pair_invitation",
                event_key=f"pair_invitation:{invitation.pk}",
                title=_("%(name)s invites you to a pair") % {"name": inviter.display_name},
                url=reverse("pairs:list"),
            )
        else:
            transaction.on_commit(partial(tasks.send_pair_invitation.enqueue, invitation.pk))
    return invitation, raw


def invitation_find(raw_token: str, *, for_update: bool = False) -> PairInvitation:
    if not raw_token or len(raw_token) > 100:  # noqa: PLR2004 - tokens are 43 characters
        raise PairError(_("This invitation link is not valid. Check that you copied all of it."))
    digest = hash_token(raw_token)
    query = PairInvitation.objects.select_related("inviter")
    if for_update:
        query = query.select_for_update()
    invitation = query.filter(Q(token_hash=digest) | Q(email_token_hash=digest)).first()
    if invitation is None:
        raise PairError(_("This invitation link is not valid. Check that you copied all of it."))
    return invitation


def invitation_check(invitation: PairInvitation, *, user: User | None = None) -> None:
    """Raise PairError saying why this invitation cannot be answered (by `user`)."""
    if invitation.status == PairInvitation.Status.ACCEPTED:
        raise PairError(_("This invitation has already been used."))
    if invitation.status == PairInvitation.Status.DECLINED:
        raise PairError(_("This invitation was declined, so it cannot be used any more."))
    if invitation.status == PairInvitation.Status.WITHDRAWN:
        raise PairError(_("This invitation was withdrawn by the person who sent it."))
    if invitation.is_expired:
        raise PairError(
            _("This invitation has expired. Ask %(name)s to send you a new one.")
            % {"name": invitation.inviter.display_name}
        )
    if user is not None and user.pk == invitation.inviter_id:
        raise PairError(
            _("This is your own invitation. Send the link to the person you want to pair with.")
        )
    if invitation.email and user is not None and invitation.email != user.email:
        raise PairError(
            _("This invitation was sent to another email address than the one you log in with.")
        )


def _already_paired(a: User, b: User) -> bool:
    mine = PairMember.objects.filter(user=a, pair__status=Pair.Status.ACTIVE).values("pair")
    return PairMember.objects.filter(user=b, pair__in=mine).exists()


@transaction.atomic
def pair_create(*, first: User, second: User) -> Pair:
    """A new active pair of two people, with its own space and data key."""
    pair = Pair.objects.create(space=space_create(kind=Space.Kind.PAIR))
    PairMember.objects.bulk_create(
        [PairMember(pair=pair, user=first), PairMember(pair=pair, user=second)]
    )
    return pair


@transaction.atomic
def invitation_accept(*, invitation: PairInvitation, user: User) -> Pair:
    invitation = (
        PairInvitation.objects.select_for_update().select_related("inviter").get(pk=invitation.pk)
    )
    invitation_check(invitation, user=user)
    if _already_paired(invitation.inviter, user):
        raise PairError(
            _("You are already in a pair with %(name)s.")
            % {"name": invitation.inviter.display_name}
        )
    pair = pair_create(first=invitation.inviter, second=user)
    invitation.status = PairInvitation.Status.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.invitee = user
    invitation.pair = pair
    invitation.save(update_fields=["status", "responded_at", "invitee", "pair"])
    audit_log(
        actor=user, action="pairs.pair.created", target=pair, data={"invitation": invitation.pk}
    )
    notify(
        user=invitation.inviter,
        kind="pair_invitation",
        event_key=f"pair_invitation_accepted:{invitation.pk}",
        title=_("%(name)s accepted your invitation") % {"name": user.display_name},
        url=reverse("pairs:detail", args=[pair.pk]),
    )
    return pair


@transaction.atomic
def invitation_decline(*, invitation: PairInvitation, user: User) -> PairInvitation:
    invitation = (
        PairInvitation.objects.select_for_update().select_related("inviter").get(pk=invitation.pk)
    )
    invitation_check(invitation, user=user)
    invitation.status = PairInvitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit_log(actor=user, action="pairs.invitation.declined", target=invitation)
    notify(
        user=invitation.inviter,
        kind="pair_invitation",
        event_key=f"pair_invitation_declined:{invitation.pk}",
        title=_("Your invitation was not accepted"),
        url=reverse("pairs:list"),
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: PairInvitation, inviter: User) -> PairInvitation:
    invitation = PairInvitation.objects.select_for_update().get(pk=invitation.pk, inviter=inviter)
    if invitation.status != PairInvitation.Status.PENDING:
        raise PairError(_("This invitation has already been answered or withdrawn."))
    invitation.status = PairInvitation.Status.WITHDRAWN
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit_log(actor=inviter, action="pairs.invitation.withdrawn", target=invitation)
    return invitation


@transaction.atomic
def pair_leave(*, pair: Pair, user: User) -> Pair:
    """Leave alone, at any time. Each person keeps what they wrote; nothing is shared any more."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    member = PairMember.objects.filter(pair=pair, user=user).first()
    if member is None or member.left_at is not None or not pair.is_active:
        raise PairError(_("This pair has already ended."))
    now = timezone.now()
    member.left_at = now
    member.save(update_fields=["left_at"])
    pair.status = Pair.Status.ENDED
    pair.ended_at = now
    pair.save(update_fields=["status", "ended_at"])
    audit_log(actor=user, action="pairs.pair.left", target=pair)
    partner = partner_of(pair, user)
    if partner is not None:
        notify(
            user=partner,
            kind="partner_left",
            event_key=f"partner_left:{pair.pk}",
            title=_("%(name)s has left your pair. What you wrote stays with you.")
            % {"name": user.display_name},
            url=reverse("pairs:detail", args=[pair.pk]),
        )
    return pair


@transaction.atomic
def pair_pause(*, pair: Pair, user: User) -> Pair:
    """Pause joint activities. The partner sees that they are paused, never why."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    active_member(pair, user)
    if not pair.joint_paused:
        pair.joint_paused_at = timezone.now()
        pair.joint_paused_by = user
        pair.save(update_fields=["joint_paused_at", "joint_paused_by"])
        audit_log(actor=user, action="pairs.joint.paused", target=pair)
    return pair


@transaction.atomic
def pair_resume(*, pair: Pair, user: User) -> Pair:
    """Only the person who paused joint activities can resume them."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    active_member(pair, user)
    if pair.joint_paused_by_id != user.pk:
        raise PairError(_("Only the person who paused joint activities can resume them."))
    pair.joint_paused_at = None
    pair.joint_paused_by = None
    pair.save(update_fields=["joint_paused_at", "joint_paused_by"])
    audit_log(actor=user, action="pairs.joint.resumed", target=pair)
    return pair
