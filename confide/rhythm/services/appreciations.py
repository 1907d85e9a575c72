from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.notifications.models import Kind
from confide.notifications.services import notify
from confide.pairs.models import Pair
from confide.pairs.services.common import partner_of, today_for
from confide.privacy.keys import person_space
from confide.rhythm.models import MAX_APPRECIATION, Appreciation
from confide.rhythm.services import RhythmError
from confide.rhythm.services.common import member_of
from confide.safety.services import remember, screen_write


def announce_appreciation(appreciation: Appreciation, pair: Pair, author: User) -> None:
    """Tell the partner that something was appreciated, never what."""
    partner = partner_of(pair, author)
    if partner is None or not appreciation.shared:
        return
    notify(
        user=partner,
        kind=Kind.APPRECIATION,
        event_key=f"appreciation:{appreciation.pk}",
        title=_("%(name)s noted something they appreciated") % {"name": author.display_name},
        url=week_url(appreciation),
    )


def week_url(appreciation: Appreciation) -> str:
    """The weekly page that shows this appreciation."""
    base = reverse("rhythm:appreciations", args=[appreciation.pair_id])
    return f"{base}?week={appreciation.day.isoformat()}"


@transaction.atomic
def appreciation_create(
    *, pair: Pair, author: User, text: str, send_as_is: bool = True
) -> Appreciation:
    """An appreciation for the partner, who is told (without the words).

    The words are screened once: harsh words bring the private coach first (unless sent as
    they are); words of crisis or fear keep it with its writer, unannounced, until they choose.
    """
    member_of(pair, author)
    text = text.strip()
    if not text:
        raise RhythmError({"text": _("Write what you noticed and appreciated.")})
    if len(text) > MAX_APPRECIATION:
        raise RhythmError(
            {"text": _("Keep it to %(n)d characters or fewer.") % {"n": MAX_APPRECIATION}}
        )
    check = screen_write(text=text, send_as_is=send_as_is)
    withheld = check.keep_private
    appreciation = Appreciation(
        pair=pair,
        author=author,
        space=person_space(user=author) if withheld else pair.space,
        text=text,
        shared=not withheld,
        withheld=withheld,
        day=today_for(author),
    )
    appreciation.save()
    announce_appreciation(appreciation, pair, author)
    remember(appreciation, check)
    return appreciation


@transaction.atomic
def appreciation_thank(*, appreciation: Appreciation, user: User) -> Appreciation:
    """The one-tap thanks of the person who was appreciated. A second tap changes nothing."""
    appreciation = (
        Appreciation.objects.select_for_update()
        .select_related("pair", "author")
        .get(pk=appreciation.pk)
    )
    pair = appreciation.pair
    member_of(pair, user)
    if appreciation.author_id == user.pk:
        raise RhythmError(_("Thanks are for the appreciations your partner wrote to you."))
    if not appreciation.shared:
        raise RhythmError(_("This appreciation was not found."))
    if appreciation.thanked_at is not None:
        raise RhythmError(_("You have already thanked them for this one."))
    appreciation.thanked_at = timezone.now()
    appreciation.save(update_fields=["thanked_at"])
    notify(
        user=appreciation.author,
        kind=Kind.APPRECIATION_THANKS,
        event_key=f"appreciation_thanks:{appreciation.pk}",
        title=_("%(name)s thanked you for your appreciation") % {"name": user.display_name},
        url=week_url(appreciation),
    )
    return appreciation
