"""Fetch and authorise in one step. Anything the viewer may not see is a 404."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.http import Http404

from confide.accounts.models import User
from confide.dialogue.models import DialogueSession, Topic
from confide.pairs.models import Pair


def access_session(user: User, pair: Pair, session_id: uuid.UUID | str) -> DialogueSession:
    """A session of `pair` in which `user` takes part (call after access_pair)."""
    session = (
        DialogueSession.objects.filter(
            Q(person_a=user) | Q(person_b=user), pk=session_id, pair=pair
        )
        .select_related("pair", "topic", "person_a", "person_b")
        .first()
    )
    if session is None:
        raise Http404
    return session


def session_for_socket(user: User, session_id: uuid.UUID | str) -> DialogueSession | None:
    """The session if `user` is one of its two partners and still in the pair, else None."""
    if not user.is_authenticated:
        return None
    return (
        DialogueSession.objects.filter(
            Q(person_a=user) | Q(person_b=user),
            pk=session_id,
            pair__members__user=user,
            pair__members__left_at__isnull=True,
        )
        .select_related("pair")
        .first()
    )


def access_topic(user: User, pair: Pair, topic_id: uuid.UUID | str) -> Topic:
    """A topic on the pair's list; one kept private after a safety finding only for its writer."""
    topic = (
        Topic.objects.filter(Q(raised_by=user) | Q(withheld=False), pk=topic_id, pair=pair)
        .select_related("raised_by")
        .first()
    )
    if topic is None:
        raise Http404
    return topic
