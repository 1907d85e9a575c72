"""Fetch and authorise in one step, inside a pair already fetched with `pairs.access.access_pair`.
Anything the viewer may not see is a 404."""

from __future__ import annotations

import uuid

from django.http import Http404

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.rhythm.models import Appreciation, GestureIdea, GesturePick, LapseNote
from confide.rhythm.selectors import visible_appreciations


def access_appreciation(user: User, pair: Pair, appreciation_id: uuid.UUID) -> Appreciation:
    found = visible_appreciations(pair=pair, viewer=user).filter(pk=appreciation_id).first()
    if found is None:
        raise Http404
    return found


def access_pick(user: User, pair: Pair, pick_id: int) -> GesturePick:
    """One's own gesture pick; a partner's is not found (gestures may be surprises)."""
    found = GesturePick.objects.filter(pk=pick_id, pair=pair, person=user).first()
    if found is None:
        raise Http404
    return found


def access_idea(user: User, pair: Pair, idea_id: uuid.UUID) -> GestureIdea:
    found = GestureIdea.objects.filter(pk=idea_id, pair=pair, owner=user).first()
    if found is None:
        raise Http404
    return found


def access_lapse_note(user: User, pair: Pair, note_id: uuid.UUID) -> LapseNote:
    found = LapseNote.objects.filter(pk=note_id, pair=pair, author=user).first()
    if found is None:
        raise Http404
    return found
