"""The pairs app's export and erasure handler (see confide/privacy/registry.py and
docs/privacy.md). Authors are named "you" or "partner", never by account name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from confide.accounts.models import User
from confide.pairs.content import prompt_by_id
from confide.pairs.models import (
    CheckIn,
    ListeningReply,
    Pair,
    PairInvitation,
    PairMember,
    PromptAnswer,
    PromptRound,
    Visibility,
)
from confide.pairs.services.pairing import pair_leave
from confide.privacy.document import iso
from confide.privacy.registry import Alias, privacy_handler_register


def _who(author_id: int, user: User) -> str:
    return "you" if author_id == user.pk else "partner"


def _checkin(checkin: CheckIn, user: User, replies: list[ListeningReply]) -> dict[str, Any]:
    return {
        "id": str(checkin.pk),
        "author": _who(checkin.author_id, user),
        "day": iso(checkin.day),
        "mood": checkin.mood,
        "feelings": checkin.feelings,
        "needs": checkin.needs,
        "note": checkin.note,
        "visibility": checkin.visibility,
        "kept_private_after_screening": checkin.withheld,
        "understood": checkin.understood,
        "replies": [
            {
                "author": _who(reply.author_id, user),
                "kind": reply.kind,
                "text": reply.text,
                "kept_private_after_screening": reply.withheld,
                "written_at": iso(reply.created_at),
            }
            for reply in replies
        ],
    }


def _visible_reply(reply: ListeningReply, user: User, pair: Pair) -> bool:
    return reply.author_id == user.pk or (pair.is_active and not reply.withheld)


def _pair_section(pair: Pair, member: PairMember, user: User) -> dict[str, Any]:
    mine_or_shared = Q(author=user)
    if pair.is_active:
        mine_or_shared |= Q(visibility=Visibility.SHARED, withheld=False)
    checkins = list(CheckIn.objects.filter(mine_or_shared, pair=pair).order_by("day", "created_at"))
    replies: dict[Any, list[ListeningReply]] = {}
    for reply in ListeningReply.objects.filter(checkin__in=checkins).order_by("created_at"):
        if _visible_reply(reply, user, pair):
            replies.setdefault(reply.checkin_id, []).append(reply)
    # Replies the person wrote to the partner's check-ins that they can no longer see.
    own_elsewhere = ListeningReply.objects.filter(checkin__pair=pair, author=user).exclude(
        checkin__in=checkins
    )
    rounds = []
    for prompt_round in PromptRound.objects.filter(pair=pair).order_by("drawn_at"):
        answers = [
            answer
            for answer in prompt_round.answers.all()
            if answer.author_id == user.pk
            or (prompt_round.is_revealed and pair.is_active and not answer.withheld)
        ]
        if not answers:
            continue
        prompt = prompt_by_id(prompt_round.prompt_id)
        rounds.append(
            {
                "prompt": prompt.text if prompt is not None else prompt_round.prompt_id,
                "drawn_at": iso(prompt_round.drawn_at),
                "revealed_at": iso(prompt_round.revealed_at),
                "answers": [
                    {
                        "author": _who(answer.author_id, user),
                        "text": answer.text,
                        "kept_private_after_screening": answer.withheld,
                        "written_at": iso(answer.created_at),
                    }
                    for answer in answers
                ],
            }
        )
    return {
        "id": str(pair.pk),
        "status": pair.status,
        "joined_at": iso(member.joined_at),
        "left_at": iso(member.left_at),
        "prompt_level_opted_into": member.level_opt_in,
        "checkins": [_checkin(c, user, replies.get(c.pk, [])) for c in checkins],
        "replies_to_checkins_you_no_longer_see": [
            {"kind": reply.kind, "text": reply.text, "written_at": iso(reply.created_at)}
            for reply in own_elsewhere
        ],
        "prompt_answers": rounds,
    }


def pairs_export(user: User) -> dict[str, Any]:
    members = PairMember.objects.filter(user=user).select_related("pair").order_by("joined_at")
    invitations = PairInvitation.objects.filter(inviter=user).order_by("created_at")
    return {
        "pairs": [_pair_section(member.pair, member, user) for member in members],
        "invitations_sent": [
            {
                "status": invitation.status,
                "sent_at": iso(invitation.created_at),
                "answered_at": iso(invitation.responded_at),
            }
            for invitation in invitations
        ],
    }


def pairs_erase(user: User) -> None:
    """Leave every pair; delete what the person wrote (check-ins with the replies to them,
    their replies and prompt answers) and the invitations they sent."""
    for member in PairMember.objects.filter(user=user, left_at__isnull=True).select_related("pair"):
        if member.pair.is_active:
            pair_leave(pair=member.pair, user=user)
    # Replies to the person's check-ins go with them: a reflection repeats their words.
    CheckIn.objects.filter(author=user).delete()
    ListeningReply.objects.filter(author=user).delete()
    PromptAnswer.objects.filter(author=user).delete()
    PairInvitation.objects.filter(inviter=user).delete()
    PairInvitation.objects.filter(invitee=user).update(invitee=None, email="")
    Pair.objects.filter(joint_paused_by=user).update(joint_paused_by=None)


def pairs_aliases(user: User) -> list[Alias]:
    """The display name, as partners (present or past) and invited people saw it."""
    if not user.display_name.strip():
        return []
    pairs = PairMember.objects.filter(user=user).values("pair_id")
    partners = frozenset(
        PairMember.objects.filter(pair_id__in=pairs)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )
    sent = PairInvitation.objects.filter(inviter=user)
    emails = [email for email in sent.values_list("email", flat=True) if email]
    invited = frozenset(
        User.objects.filter(Q(email__in=emails) | Q(pk__in=sent.values("invitee_id"))).values_list(
            "pk", flat=True
        )
    )
    return [
        Alias(
            name=user.display_name,
            seen_by=partners,
            start=pgettext_lazy("an erased person, in a notification", "Your former partner"),
            inside=pgettext_lazy("an erased person, in a notification", "your former partner"),
        ),
        Alias(
            name=user.display_name,
            seen_by=invited - partners - {user.pk},
            start=pgettext_lazy("an erased person, in a notification", "Someone"),
            inside=pgettext_lazy("an erased person, in a notification", "someone"),
        ),
    ]


def register() -> None:
    privacy_handler_register(
        app="pairs",
        models=(
            Pair,
            PairMember,
            PairInvitation,
            CheckIn,
            ListeningReply,
            PromptRound,
            PromptAnswer,
        ),
        export=pairs_export,
        erase=pairs_erase,
        aliases=pairs_aliases,
    )
