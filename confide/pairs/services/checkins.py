from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.notifications.services import notify
from confide.pairs import content
from confide.pairs.models import (
    MAX_NOTE,
    MAX_REPLY,
    CheckIn,
    ListeningReply,
    Pair,
    ReplyKind,
    Visibility,
)
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member, partner_of, today_for
from confide.privacy.keys import person_space


def _words(chosen: Iterable[str], allowed: frozenset[str], field: str) -> str:
    words = list(dict.fromkeys(w.strip().lower() for w in chosen if w.strip()))
    unknown = [w for w in words if w not in allowed]
    if unknown:
        raise PairError(
            {field: _("“%(word)s” is not one of the listed words.") % {"word": unknown[0][:40]}}
        )
    return ",".join(words)


def _validate(*, mood: int, note: str, visibility: str) -> None:
    if not 1 <= mood <= 5:  # noqa: PLR2004
        raise PairError({"mood": _("Choose a mood from 1 to 5.")})
    if len(note) > MAX_NOTE:
        raise PairError(
            {"note": _("Keep the note to %(n)d characters or fewer.") % {"n": MAX_NOTE}}
        )
    if visibility not in Visibility.values:
        raise PairError({"visibility": _("Choose who may see this check-in.")})


def _announce_if_newly_shared(checkin: CheckIn, pair: Pair, author: User) -> None:
    partner = partner_of(pair, author)
    if partner is None or not checkin.is_shared:
        return
    notify(
        user=partner,
        kind="partner_checkin",
        event_key=f"partner_checkin:{checkin.pk}",
        title=_("%(name)s shared a check-in") % {"name": author.display_name},
        url=reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk]),
    )


@transaction.atomic
def checkin_submit(
    *,
    pair: Pair,
    author: User,
    mood: int,
    feelings: Iterable[str],
    needs: Iterable[str],
    note: str,
    visibility: str,
) -> CheckIn:
    """Today's check-in (in the author's time zone). A second one on the same day is refused."""
    active_member(pair, author)
    _validate(mood=mood, note=note, visibility=visibility)
    feelings_text = _words(feelings, content.feeling_words(), "feelings")
    needs_text = _words(needs, content.need_words(), "needs")
    day = today_for(author)
    if CheckIn.objects.filter(pair=pair, author=author, day=day).exists():
        raise PairError(
            _("You have already checked in today. You can change today's check-in instead.")
        )
    space = pair.space if visibility == Visibility.SHARED else person_space(user=author)
    checkin = CheckIn(
        pair=pair,
        author=author,
        day=day,
        mood=mood,
        visibility=visibility,
        space=space,
        feelings_text=feelings_text,
        needs_text=needs_text,
        note=note,
    )
    checkin.save()
    _announce_if_newly_shared(checkin, pair, author)
    return checkin


@transaction.atomic
def checkin_update(
    *,
    checkin: CheckIn,
    author: User,
    mood: int,
    feelings: Iterable[str],
    needs: Iterable[str],
    note: str,
    visibility: str,
) -> CheckIn:
    """Change one's own check-in, only on its own day."""
    checkin = CheckIn.objects.select_for_update().select_related("pair__space").get(pk=checkin.pk)
    pair = checkin.pair
    if checkin.author_id != author.pk:
        raise PairError(_("Only the person who wrote a check-in can change it."))
    active_member(pair, author)
    if checkin.day != today_for(author):
        raise PairError(_("A check-in can only be changed on its own day."))
    _validate(mood=mood, note=note, visibility=visibility)
    # Read the sealed values before the space changes, so they re-seal under the new space.
    checkin.note = note
    checkin.feelings_text = _words(feelings, content.feeling_words(), "feelings")
    checkin.needs_text = _words(needs, content.need_words(), "needs")
    was_shared = checkin.is_shared
    checkin.mood = mood
    checkin.visibility = visibility
    checkin.space = pair.space if visibility == Visibility.SHARED else person_space(user=author)
    checkin.updated_at = timezone.now()
    checkin.save()
    if not was_shared:
        _announce_if_newly_shared(checkin, pair, author)
    return checkin


@transaction.atomic
def reply_create(*, checkin: CheckIn, author: User, kind: str, text: str) -> ListeningReply:
    checkin = CheckIn.objects.select_for_update().select_related("pair__space").get(pk=checkin.pk)
    pair = checkin.pair
    active_member(pair, author)
    if checkin.author_id == author.pk:
        raise PairError(_("Replies are for your partner's check-ins."))
    if not checkin.is_shared:
        raise PairError(_("This check-in is not shared with you."))
    if kind not in ReplyKind.values:
        raise PairError({"kind": _("Choose how you want to reply.")})
    text = text.strip()
    if kind == ReplyKind.ACKNOWLEDGE:
        text = ""
    elif not text:
        raise PairError({"text": _("Write a few words, or choose the one-tap acknowledgement.")})
    if len(text) > MAX_REPLY:
        raise PairError(
            {"text": _("Keep the reply to %(n)d characters or fewer.") % {"n": MAX_REPLY}}
        )
    if ListeningReply.objects.filter(checkin=checkin, author=author, kind=kind).exists():
        raise PairError(_("You have already replied this way. Try another kind of reply."))
    reply = ListeningReply(checkin=checkin, author=author, kind=kind, space=pair.space, text=text)
    reply.save()
    notify(
        user=checkin.author,
        kind="listening_reply",
        event_key=f"listening_reply:{reply.pk}",
        title=_("%(name)s replied to your check-in") % {"name": author.display_name},
        url=reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk]),
    )
    return reply


@transaction.atomic
def understood_rate(*, checkin: CheckIn, author: User, rating: int) -> CheckIn:
    """How understood the sharer felt by their partner's replies (1-5)."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.author_id != author.pk:
        raise PairError(_("Only the person who shared can say how understood they felt."))
    if not checkin.replies.exists():
        raise PairError(_("You can say how understood you felt once your partner has replied."))
    if not 1 <= rating <= 5:  # noqa: PLR2004
        raise PairError({"rating": _("Choose a number from 1 to 5.")})
    checkin.understood = rating
    checkin.understood_at = timezone.now()
    checkin.save(update_fields=["understood", "understood_at"])
    return checkin
