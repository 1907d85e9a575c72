"""The pair space's entries for safety.disclosure: check-ins, listening replies and prompt
answers kept private after words of crisis or fear."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.pairs.models import CheckIn, ListeningReply, Pair, PromptAnswer
from confide.pairs.services import PairError
from confide.pairs.services import withheld as services
from confide.pairs.services.common import partner_of
from confide.safety.disclosure import DisclosureError, HeldEntry, register


def _partner_name(pair: Pair, user: User) -> str | None:
    partner = partner_of(pair, user) if pair.is_active else None
    return partner.display_name if partner is not None else None


def _run(step: Callable[..., Any], **kwargs: Any) -> None:
    try:
        step(**kwargs)
    except PairError as error:
        raise DisclosureError(error.messages[0]) from error


class CheckIns:
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        checkin = CheckIn.objects.select_related("pair").filter(pk=entry_id, author=user).first()
        if checkin is None:
            return None
        day = formats.date_format(checkin.day, "DATE_FORMAT")
        return HeldEntry(
            kind="checkin",
            id=str(checkin.pk),
            what=_("your check-in of %(day)s") % {"day": day},
            partner=_partner_name(checkin.pair, user),
            can_share=checkin.withheld and checkin.pair.is_active,
            is_private_now=not checkin.is_shared,
            url=reverse("pairs:checkin_detail", args=[checkin.pair_id, checkin.pk]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.checkin_share, user=user, checkin_id=entry_id)

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.checkin_keep_private, user=user, checkin_id=entry_id)

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.checkin_delete, user=user, checkin_id=entry_id)


class Replies:
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        reply = (
            ListeningReply.objects.select_related("checkin__pair")
            .filter(pk=entry_id, author=user)
            .first()
        )
        if reply is None:
            return None
        pair = reply.checkin.pair
        return HeldEntry(
            kind="reply",
            id=str(reply.pk),
            what=_("your reply to a check-in"),
            partner=_partner_name(pair, user),
            can_share=reply.withheld and pair.is_active and reply.checkin.is_shared,
            is_private_now=reply.withheld,
            url=reverse("pairs:checkin_detail", args=[pair.pk, reply.checkin_id]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.reply_share, user=user, reply_id=entry_id)

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.reply_keep_private, user=user, reply_id=entry_id)

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.reply_delete, user=user, reply_id=entry_id)


class Answers:
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        answer = (
            PromptAnswer.objects.select_related("round__pair")
            .filter(pk=entry_id, author=user)
            .first()
        )
        if answer is None:
            return None
        pair = answer.round.pair
        return HeldEntry(
            kind="answer",
            id=str(answer.pk),
            what=_("your answer to a conversation prompt"),
            partner=_partner_name(pair, user),
            can_share=answer.withheld and pair.is_active and not answer.round.is_revealed,
            is_private_now=answer.withheld,
            url=reverse("pairs:prompts", args=[pair.pk]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.answer_share, user=user, answer_id=entry_id)

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.answer_keep_private, user=user, answer_id=entry_id)

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.answer_delete, user=user, answer_id=entry_id)


def register_handlers() -> None:
    register("checkin", CheckIns())
    register("reply", Replies())
    register("answer", Answers())
