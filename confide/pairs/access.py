"""Fetch and authorise in one step. Anything the viewer may not see is a 404."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from django.http import Http404

from confide.accounts.models import User
from confide.pairs.models import CheckIn, Pair, PairInvitation, PairMember, PromptRound


def membership(user: User, pair: Pair) -> PairMember | None:
    return next((m for m in pair.members.all() if m.user_id == user.pk), None)


def access_pair(user: User, pair_id: uuid.UUID | str, *, for_write: bool = False) -> Pair:
    """The pair if `user` is (or was) one of its two people; writes need an active pair."""
    # Both members with their people in one query: the page names the partner from these.
    members = Prefetch("members", queryset=PairMember.objects.select_related("user"))
    pair = Pair.objects.filter(pk=pair_id, members__user=user).prefetch_related(members).first()
    if pair is None:
        raise Http404
    if for_write and not pair.is_active:
        raise Http404
    return pair


def access_checkin(user: User, pair: Pair, checkin_id: uuid.UUID | str) -> CheckIn:
    """A check-in of this pair that `user` may read: their own, or a partner's shared one
    while the pair is active."""
    checkin = CheckIn.objects.filter(pk=checkin_id, pair=pair).first()
    if checkin is None or not can_read_checkin(user, pair, checkin):
        raise Http404
    return checkin


def can_read_checkin(user: User, pair: Pair, checkin: CheckIn) -> bool:
    if checkin.author_id == user.pk:
        return True
    return pair.is_active and checkin.is_shared


def access_round(user: User, pair: Pair, round_id: int) -> PromptRound:
    prompt_round = PromptRound.objects.filter(pk=round_id, pair=pair).first()
    if prompt_round is None:
        raise Http404
    return prompt_round


def access_invitation_as_inviter(user: User, invitation_id: int) -> PairInvitation:
    invitation = PairInvitation.objects.filter(pk=invitation_id, inviter=user).first()
    if invitation is None:
        raise Http404
    return invitation
