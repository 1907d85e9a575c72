from __future__ import annotations

import json
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
    REPLY_OPENINGS,
    CheckIn,
    ListeningReply,
    Pair,
    ReplyKind,
    Visibility,
    checkin_snapshot,
    strip_opening,
)
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member, partner_of, today_for
from confide.privacy.keys import person_space
from confide.safety.services import WriteCheck, remember, screen_write


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


def _screen_note(note: str, feelings_text: str, needs_text: str, *, send_as_is: bool) -> WriteCheck:
    """Screen the note once. The coach words its gentle start-up from this note and from the
    painful feelings ticked with it only: words that hurt do not come from feeling "hopeful"
    or "content", and a pleasant tick (often left from earlier in the day) would put words in
    the writer's mouth that the note contradicts."""
    painful = content.painful_feeling_words()
    return screen_write(
        text=note,
        send_as_is=send_as_is,
        feelings=[w for w in feelings_text.split(",") if w in painful],
        needs=needs_text.split(",") if needs_text else (),
    )


def announce_checkin(checkin: CheckIn, pair: Pair, author: User) -> None:
    """Tell the partner of a shared check-in (never of its words)."""
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
    send_as_is: bool = True,
) -> CheckIn:
    """Today's check-in (in the author's time zone). A second one on the same day is refused.

    The note is screened once (safety.services.screen_write): words of crisis or fear keep the
    check-in private to its author, unannounced, until they choose to share it.
    """
    active_member(pair, author)
    _validate(mood=mood, note=note, visibility=visibility)
    feelings_text = _words(feelings, content.feeling_words(), "feelings")
    needs_text = _words(needs, content.need_words(), "needs")
    day = today_for(author)
    if CheckIn.objects.filter(pair=pair, author=author, day=day).exists():
        raise PairError(
            _("You have already checked in today. You can change today's check-in instead.")
        )
    check = _screen_note(note, feelings_text, needs_text, send_as_is=send_as_is)
    withheld = check.keep_private and visibility == Visibility.SHARED
    if withheld:
        visibility = Visibility.PRIVATE
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
        withheld=withheld,
    )
    checkin.save()
    announce_checkin(checkin, pair, author)
    remember(checkin, check)
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
    send_as_is: bool = True,
) -> CheckIn:
    """Change one's own check-in, only on its own day. Screened like a new one: words of crisis
    or fear take it back from the partner until its author chooses."""
    checkin = CheckIn.objects.select_for_update().select_related("pair__space").get(pk=checkin.pk)
    pair = checkin.pair
    if checkin.author_id != author.pk:
        raise PairError(_("Only the person who wrote a check-in can change it."))
    active_member(pair, author)
    if checkin.day != today_for(author):
        raise PairError(_("A check-in can only be changed on its own day."))
    _validate(mood=mood, note=note, visibility=visibility)
    feelings_text = _words(feelings, content.feeling_words(), "feelings")
    needs_text = _words(needs, content.need_words(), "needs")
    check = _screen_note(note, feelings_text, needs_text, send_as_is=send_as_is)
    withheld = check.keep_private and visibility == Visibility.SHARED
    if withheld:
        visibility = Visibility.PRIVATE
    checkin.note = note
    checkin.feelings_text = feelings_text
    checkin.needs_text = needs_text
    was_shared = checkin.is_shared
    checkin.mood = mood
    checkin.visibility = visibility
    checkin.withheld = withheld
    # The sealed fields re-seal under the new space on save (privacy.fields).
    checkin.space = pair.space if visibility == Visibility.SHARED else person_space(user=author)
    checkin.updated_at = timezone.now()
    checkin.save()
    if not was_shared:
        announce_checkin(checkin, pair, author)
    remember(checkin, check)
    return checkin


@transaction.atomic
def reply_create(
    *, checkin: CheckIn, author: User, kind: str, text: str, send_as_is: bool = True
) -> ListeningReply:
    """A listening reply to the partner's shared check-in, screened once: words of crisis or
    fear keep it with its writer (their private space, no notification) until they choose."""
    checkin = CheckIn.objects.select_for_update().select_related("pair__space").get(pk=checkin.pk)
    pair = checkin.pair
    active_member(pair, author)
    if checkin.author_id == author.pk:
        raise PairError(_("Replies are for your partner's check-ins."))
    if not checkin.is_shared:
        raise PairError(_("This check-in is not shared with you."))
    if kind not in ReplyKind.values:
        raise PairError({"kind": _("Choose how you want to reply.")})
    # The page shows the opening ("What I hear is") before the words: typed again, it goes.
    text = strip_opening(text.strip(), str(REPLY_OPENINGS.get(ReplyKind(kind), "")))
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
    check = screen_write(text=text, send_as_is=send_as_is)
    withheld = check.keep_private
    space = person_space(user=author) if withheld else pair.space
    reply = ListeningReply(
        checkin=checkin,
        author=author,
        kind=kind,
        space=space,
        text=text,
        answered=json.dumps(checkin_snapshot(checkin)),
        withheld=withheld,
    )
    reply.save()
    if not withheld:
        announce_reply(reply, pair, author)
    remember(reply, check)
    return reply


def announce_reply(reply: ListeningReply, pair: Pair, author: User) -> None:
    notify(
        user=reply.checkin.author,
        kind="listening_reply",
        event_key=f"listening_reply:{reply.pk}",
        title=_("%(name)s replied to your check-in") % {"name": author.display_name},
        url=reverse("pairs:checkin_detail", args=[pair.pk, reply.checkin_id]),
    )


@transaction.atomic
def understood_rate(*, checkin: CheckIn, author: User, rating: int) -> CheckIn:
    """How understood the sharer felt by their partner's replies (1-5)."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.author_id != author.pk:
        raise PairError(_("Only the person who shared can say how understood they felt."))
    if not checkin.replies.filter(withheld=False).exists():
        raise PairError(_("You can say how understood you felt once your partner has replied."))
    if not 1 <= rating <= 5:  # noqa: PLR2004
        raise PairError({"rating": _("Choose a number from 1 to 5.")})
    checkin.understood = rating
    checkin.understood_at = timezone.now()
    checkin.save(update_fields=["understood", "understood_at"])
    return checkin
