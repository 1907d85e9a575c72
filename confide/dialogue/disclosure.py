"""Dialogue entries for safety.disclosure: turns and topics kept private after words of crisis
or fear."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.dialogue.models import Topic, WithheldTurn
from confide.dialogue.services import DialogueError
from confide.dialogue.services.sessions import withheld_turn_delete, withheld_turn_share
from confide.dialogue.services.topics import topic_delete, topic_share
from confide.pairs.models import Pair
from confide.pairs.services.common import partner_of
from confide.safety.disclosure import DisclosureError, HeldEntry, register


def _partner_name(pair: Pair, user: User) -> str | None:
    partner = partner_of(pair, user) if pair.is_active else None
    return partner.display_name if partner is not None else None


class Turns:
    def _turn(self, user: User, entry_id: uuid.UUID) -> WithheldTurn | None:
        return (
            WithheldTurn.objects.select_related("session__pair")
            .filter(pk=entry_id, author=user)
            .first()
        )

    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        turn = self._turn(user, entry_id)
        if turn is None:
            return None
        session = turn.session
        return HeldEntry(
            kind="turn",
            id=str(turn.pk),
            what=_("your turn in a guided conversation"),
            partner=_partner_name(session.pair, user),
            can_share=session.pair.is_active and not session.is_closed,
            is_private_now=True,
            url=reverse("dialogue:session", args=[session.pair_id, session.pk]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        turn = self._turn(user, entry_id)
        if turn is None:
            raise DisclosureError(_("This entry was not found. It may already be deleted."))
        try:
            withheld_turn_share(turn=turn, author=user)
        except DialogueError as error:
            raise DisclosureError(error.messages[0]) from error

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        """It stays where it is: on the writer's own view of the session, never sent."""

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        turn = self._turn(user, entry_id)
        if turn is not None:
            withheld_turn_delete(turn=turn, author=user)


class Topics:
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        topic = Topic.objects.select_related("pair").filter(pk=entry_id, raised_by=user).first()
        if topic is None:
            return None
        return HeldEntry(
            kind="topic",
            id=str(topic.pk),
            what=_("a topic you added to your list"),
            partner=_partner_name(topic.pair, user),
            can_share=topic.withheld and topic.pair.is_active,
            is_private_now=topic.withheld,
            url=reverse("dialogue:topic", args=[topic.pair_id, topic.pk]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        try:
            topic_share(user=user, topic_id=entry_id)
        except DialogueError as error:
            raise DisclosureError(error.messages[0]) from error

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        """A topic kept private stays on the writer's own list only."""

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        try:
            topic_delete(user=user, topic_id=entry_id)
        except DialogueError as error:
            raise DisclosureError(error.messages[0]) from error


def register_handlers() -> None:
    register("turn", Turns())
    register("topic", Topics())
