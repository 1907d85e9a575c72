"""The dialogue app's export and erasure handler (see confide/privacy/registry.py and
docs/privacy.md). Authors are named "you" or "partner", never by account name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from confide.accounts.models import User
from confide.dialogue.models import DialogueSession, Reflection, Step, Topic, WithheldTurn
from confide.pairs.models import PairMember
from confide.privacy.document import iso
from confide.privacy.registry import privacy_handler_register


def _who(author_id: int | None, user: User) -> str:
    return "you" if author_id == user.pk else "partner"


def _topic(topic: Topic, user: User) -> dict[str, Any]:
    return {
        "id": str(topic.pk),
        "raised_by": _who(topic.raised_by_id, user),
        "title": topic.title,
        "gentle_start": topic.startup,
        "status": topic.status,
        "kept_private_after_screening": topic.withheld,
        "raised_at": iso(topic.created_at),
    }


def _session(session: DialogueSession, user: User) -> dict[str, Any]:
    transcript_deleted = session.transcript_deleted_at is not None
    steps = [] if transcript_deleted else list(session.steps.order_by("seq"))
    reflections = session.reflections.filter(author=user)
    held = session.withheld_turns.filter(author=user).order_by("created_at")
    return {
        "id": str(session.pk),
        "pair": str(session.pair_id),
        "topic": str(session.topic_id) if session.topic_id else None,
        "started_at": iso(session.created_at),
        "closed_at": iso(session.closed_at),
        "transcript_deleted": transcript_deleted,
        "steps": [
            {
                "seq": step.seq,
                "kind": step.kind,
                "author": _who(step.author_id, user),
                "text": step.text,
                "at": iso(step.created_at),
            }
            for step in steps
        ],
        "your_turns_kept_private_after_screening": [
            {"kind": turn.kind, "text": turn.text, "at": iso(turn.created_at)} for turn in held
        ],
        "how_understood_you_felt": [reflection.understood for reflection in reflections],
    }


def dialogue_export(user: User) -> dict[str, Any]:
    pair_ids = PairMember.objects.filter(user=user).values("pair_id")
    own_or_shared = Q(raised_by=user) | Q(pair_id__in=pair_ids, withheld=False)
    topics = Topic.objects.filter(own_or_shared).order_by("created_at")
    sessions = DialogueSession.objects.filter(Q(person_a=user) | Q(person_b=user)).order_by(
        "created_at"
    )
    return {
        "topics": [_topic(topic, user) for topic in topics],
        "sessions": [_session(session, user) for session in sessions],
    }


def dialogue_erase(user: User) -> None:
    """Delete the person's topics, held turns and reflections; in a conversation their turns
    stay as empty, removed steps, so the partner's own turns keep their place."""
    Topic.objects.filter(raised_by=user).delete()
    WithheldTurn.objects.filter(author=user).delete()
    Reflection.objects.filter(author=user).delete()
    for step in Step.objects.filter(author=user):
        if step.text:
            step.text = ""
            step.save(update_fields=["text"])


def register() -> None:
    privacy_handler_register(
        app="dialogue",
        models=(Topic, DialogueSession, Step, WithheldTurn, Reflection),
        export=dialogue_export,
        erase=dialogue_erase,
    )
