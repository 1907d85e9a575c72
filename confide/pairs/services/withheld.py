"""What the writer chooses for an entry kept private after words of crisis or fear.

Check-ins, listening replies and prompt answers each can be shared now (sealed again in the
pair's space, and the partner told as usual), kept private (only the writer sees it, for good),
or deleted. Only the writer can choose; anyone else gets "not found".
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.models import CheckIn, ListeningReply, PromptAnswer, Visibility
from confide.pairs.services import PairError
from confide.pairs.services.checkins import announce_checkin, announce_reply
from confide.pairs.services.common import active_member
from confide.pairs.services.prompts import announce_answer


def _not_found() -> PairError:
    return PairError(_("This entry was not found. It may already be deleted."))


def _own_checkin(user: User, checkin_id: uuid.UUID) -> CheckIn:
    checkin = (
        CheckIn.objects.select_for_update()
        .select_related("pair__space")
        .filter(pk=checkin_id, author=user)
        .first()
    )
    if checkin is None:
        raise _not_found()
    return checkin


@transaction.atomic
def checkin_share(*, user: User, checkin_id: uuid.UUID) -> CheckIn:
    checkin = _own_checkin(user, checkin_id)
    active_member(checkin.pair, user)
    if checkin.is_shared:
        return checkin
    checkin.visibility = Visibility.SHARED
    checkin.withheld = False
    checkin.space = checkin.pair.space  # the sealed fields re-seal under it on save
    checkin.save()
    announce_checkin(checkin, checkin.pair, user)
    return checkin


@transaction.atomic
def checkin_keep_private(*, user: User, checkin_id: uuid.UUID) -> CheckIn:
    checkin = _own_checkin(user, checkin_id)
    checkin.withheld = False
    checkin.save(update_fields=["withheld"])
    return checkin


@transaction.atomic
def checkin_delete(*, user: User, checkin_id: uuid.UUID) -> None:
    _own_checkin(user, checkin_id).delete()


def _own_reply(user: User, reply_id: uuid.UUID) -> ListeningReply:
    reply = (
        ListeningReply.objects.select_for_update()
        .select_related("checkin__pair__space", "checkin__author")
        .filter(pk=reply_id, author=user)
        .first()
    )
    if reply is None:
        raise _not_found()
    return reply


@transaction.atomic
def reply_share(*, user: User, reply_id: uuid.UUID) -> ListeningReply:
    reply = _own_reply(user, reply_id)
    pair = reply.checkin.pair
    active_member(pair, user)
    if not reply.withheld:
        return reply
    if not reply.checkin.is_shared:
        raise PairError(_("Your partner's check-in is no longer shared, so this reply can't be."))
    reply.withheld = False
    reply.space = pair.space
    reply.save()
    announce_reply(reply, pair, user)
    return reply


@transaction.atomic
def reply_keep_private(*, user: User, reply_id: uuid.UUID) -> ListeningReply:
    reply = _own_reply(user, reply_id)
    # A reply only ever speaks to the partner; kept private it is a note to oneself, which
    # stays withheld so the partner never sees it.
    return reply


@transaction.atomic
def reply_delete(*, user: User, reply_id: uuid.UUID) -> None:
    _own_reply(user, reply_id).delete()


def _own_answer(user: User, answer_id: uuid.UUID) -> PromptAnswer:
    answer = (
        PromptAnswer.objects.select_for_update()
        .select_related("round__pair__space")
        .filter(pk=answer_id, author=user)
        .first()
    )
    if answer is None:
        raise _not_found()
    return answer


@transaction.atomic
def answer_share(*, user: User, answer_id: uuid.UUID) -> PromptAnswer:
    answer = _own_answer(user, answer_id)
    prompt_round = answer.round
    pair = prompt_round.pair
    active_member(pair, user)
    if not answer.withheld:
        return answer
    if prompt_round.is_revealed:
        raise PairError(_("This prompt is already revealed; this answer stays with you."))
    if PromptAnswer.objects.filter(round=prompt_round, author=user, withheld=False).exists():
        raise PairError(_("You have already shared another answer to this prompt."))
    answer.withheld = False
    answer.space = pair.space
    answer.save()
    announce_answer(prompt_round, pair, user)
    return answer


@transaction.atomic
def answer_keep_private(*, user: User, answer_id: uuid.UUID) -> PromptAnswer:
    # Kept as a note to oneself; the writer may answer the prompt again to share an answer.
    return _own_answer(user, answer_id)


@transaction.atomic
def answer_delete(*, user: User, answer_id: uuid.UUID) -> None:
    _own_answer(user, answer_id).delete()
