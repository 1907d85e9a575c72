"""A small gesture for the week: pick one (from the list or one's own ideas), mark it done.

Gestures are private to the person who picks them, so that they can stay a surprise: the
partner is not told, and own ideas are sealed in the person's private space.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.privacy.keys import person_space
from confide.rhythm import gestures
from confide.rhythm.days import week_start
from confide.rhythm.models import MAX_IDEA, GestureEffort, GestureIdea, GestureKind, GesturePick
from confide.rhythm.services import RhythmError
from confide.rhythm.services.common import member_of
from confide.safety.services import remember, screen_write


@transaction.atomic
def gesture_pick(
    *, pair: Pair, person: User, gesture_id: str = "", idea: GestureIdea | None = None
) -> GesturePick:
    """Choose this week's gesture: a listed one (`gesture_id`) or one's own `idea`.

    The choice can change until it is done; a done week keeps its gesture.
    """
    member_of(pair, person)
    if bool(gesture_id) == (idea is not None):
        raise RhythmError(_("Choose one gesture for this week."))
    if gesture_id and gestures.gesture_by_id(gesture_id) is None:
        raise RhythmError(_("That gesture is not on the list."))
    if idea is not None and (idea.owner_id != person.pk or idea.pair_id != pair.pk):
        raise RhythmError(_("That idea was not found."))
    week = week_start(today_for(person))
    pick = (
        GesturePick.objects.select_for_update()
        .filter(pair=pair, person=person, week_start=week)
        .first()
    )
    if pick is not None and pick.is_done:
        raise RhythmError(
            _("This week's gesture is already done. You can choose another next week.")
        )
    if pick is None:
        pick = GesturePick(pair=pair, person=person, week_start=week)
    pick.catalogue_id = gesture_id
    pick.idea = idea
    pick.picked_at = timezone.now()
    pick.save()
    return pick


@transaction.atomic
def gesture_done(*, pick: GesturePick, person: User) -> GesturePick:
    """Mark this week's gesture done. A second time is refused and changes nothing."""
    pick = GesturePick.objects.select_for_update().select_related("pair").get(pk=pick.pk)
    member_of(pick.pair, person)
    if pick.person_id != person.pk:
        raise RhythmError(_("That gesture was not found."))
    if pick.is_done:
        raise RhythmError(_("You have already marked this gesture done."))
    if pick.week_start != week_start(today_for(person)):
        raise RhythmError(_("Only this week's gesture can be marked done."))
    pick.done_at = timezone.now()
    pick.save(update_fields=["done_at"])
    return pick


@transaction.atomic
def gesture_idea_add(*, pair: Pair, owner: User, kind: str, effort: str, text: str) -> GestureIdea:
    """Keep one's own gesture idea, sealed in one's private space.

    Screened once like every text a person writes; it is private, so there is no coach, but
    words of crisis or fear still bring support to the writer.
    """
    member_of(pair, owner)
    text = text.strip()
    if kind not in GestureKind.values:
        raise RhythmError({"kind": _("Choose a kind of gesture.")})
    if effort not in GestureEffort.values:
        raise RhythmError({"effort": _("Choose how much time it takes.")})
    if not text:
        raise RhythmError({"text": _("Describe your idea in a few words.")})
    if len(text) > MAX_IDEA:
        raise RhythmError({"text": _("Keep it to %(n)d characters or fewer.") % {"n": MAX_IDEA}})
    check = screen_write(text=text, coached=False)
    idea = GestureIdea(
        pair=pair, owner=owner, space=person_space(user=owner), kind=kind, effort=effort, text=text
    )
    idea.save()
    remember(idea, check)
    return idea


@transaction.atomic
def gesture_idea_delete(*, idea: GestureIdea, owner: User) -> None:
    """Delete one's own idea. A week that had picked it and is not done yet is free again; a
    done week keeps its record, without the words."""
    if idea.owner_id != owner.pk:
        raise RhythmError(_("That idea was not found."))
    GesturePick.objects.filter(idea=idea, done_at__isnull=True).delete()
    idea.delete()
