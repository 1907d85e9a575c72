"""The daily recovery contract (after Behavioral Couples Therapy): optional, and only while both
partners have opted in. Each day one partner states an intention and the other acknowledges
their support. Nothing counts days in a row; a lapse is noted privately, never shown to the
partner.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.notifications.models import Kind
from confide.notifications.services import notify
from confide.pairs.models import Pair
from confide.pairs.services.common import partner_of, today_for
from confide.privacy.keys import person_space
from confide.rhythm.models import (
    MAX_INTENTION,
    MAX_LAPSE_NOTE,
    ContractConsent,
    ContractDay,
    LapseNote,
)
from confide.rhythm.selectors import contract_on
from confide.rhythm.services import RhythmError
from confide.rhythm.services.common import member_of
from confide.safety.services import remember, screen_write

LAPSE_LOOKBACK: Final = timedelta(days=31)


def _contract_open(pair: Pair) -> None:
    if not contract_on(pair=pair):
        raise RhythmError(_("The recovery contract is not on for this pair."))
    if pair.joint_paused:
        raise RhythmError(_("Joint activities are paused for now."))


def _lock(pair: Pair) -> None:
    """Serialise the day's writes for this pair (two partners may tap at the same moment)."""
    Pair.objects.select_for_update().filter(pk=pair.pk).first()


@transaction.atomic
def contract_consent_set(*, pair: Pair, person: User, consent: bool) -> bool:
    """Opt in to the contract, or out of it. Either partner may opt out at any time, alone;
    the contract then stops for both and its calendar stays. Returns whether it is on now."""
    member_of(pair, person)
    if consent:
        _, created = ContractConsent.objects.get_or_create(pair=pair, person=person)
        if created:
            audit_log(actor=person, action="rhythm.contract.opted_in", target=pair)
    else:
        deleted, _rows = ContractConsent.objects.filter(pair=pair, person=person).delete()
        if deleted:
            audit_log(actor=person, action="rhythm.contract.opted_out", target=pair)
    return contract_on(pair=pair)


def _contract_url(pair: Pair) -> str:
    return reverse("rhythm:contract", args=[pair.pk])


def announce_intention(entry: ContractDay, pair: Pair, stater: User) -> None:
    partner = partner_of(pair, stater)
    if partner is None or not entry.shared:
        return
    notify(
        user=partner,
        kind=Kind.RECOVERY_CONTRACT,
        event_key=f"contract_intention:{entry.pk}",
        title=_("%(name)s stated an intention for today") % {"name": stater.display_name},
        url=_contract_url(pair),
    )


@transaction.atomic
def intention_state(
    *, pair: Pair, person: User, day: date, intention: str, send_as_is: bool = True
) -> ContractDay:
    """Today's intention, in the person's own words, for the partner to acknowledge.

    Only for today (the person's own day), and once a day for the pair. Screened once: harsh
    words bring the private coach first; words of crisis or fear keep it with its writer.
    """
    member_of(pair, person)
    _contract_open(pair)
    if day != today_for(person):
        raise RhythmError(
            _("The contract is kept one day at a time: an intention is only for today.")
        )
    intention = intention.strip()
    if not intention:
        raise RhythmError({"intention": _("Write your intention for today.")})
    if len(intention) > MAX_INTENTION:
        raise RhythmError(
            {"intention": _("Keep it to %(n)d characters or fewer.") % {"n": MAX_INTENTION}}
        )
    _lock(pair)
    if ContractDay.objects.filter(pair=pair, day=day, shared=True).exists():
        raise RhythmError(_("Today's intention is already stated."))
    check = screen_write(text=intention, send_as_is=send_as_is)
    withheld = check.keep_private
    entry = ContractDay(
        pair=pair,
        day=day,
        stated_by=person,
        space=person_space(user=person) if withheld else pair.space,
        intention=intention,
        shared=not withheld,
        withheld=withheld,
    )
    entry.save()
    announce_intention(entry, pair, person)
    remember(entry, check)
    return entry


@transaction.atomic
def intention_acknowledge(*, pair: Pair, person: User, day: date) -> ContractDay:
    """The other partner acknowledges the day's intention with their support: the day is kept.

    Refused for another day than today (the acknowledger's or the stater's), for one's own
    intention, and a second time.
    """
    member_of(pair, person)
    _contract_open(pair)
    _lock(pair)
    entry = (
        ContractDay.objects.select_for_update()
        .select_related("stated_by")
        .filter(pair=pair, day=day, shared=True)
        .first()
    )
    if entry is None:
        raise RhythmError(_("There is no intention to acknowledge for that day."))
    if entry.stated_by_id == person.pk:
        raise RhythmError(_("Your partner acknowledges your intention; you stated it."))
    if entry.acknowledged_at is not None:
        raise RhythmError(_("This intention is already acknowledged."))
    if day not in {today_for(person), today_for(entry.stated_by)}:
        raise RhythmError(
            _("The contract is kept one day at a time: only today's intention can be acknowledged.")
        )
    entry.acknowledged_by = person
    entry.acknowledged_at = timezone.now()
    entry.save(update_fields=["acknowledged_by", "acknowledged_at"])
    notify(
        user=entry.stated_by,
        kind=Kind.RECOVERY_CONTRACT,
        event_key=f"contract_acknowledged:{entry.pk}",
        title=_("%(name)s acknowledged your intention for today") % {"name": person.display_name},
        url=_contract_url(pair),
    )
    return entry


@transaction.atomic
def lapse_note_add(*, pair: Pair, author: User, day: date, note: str) -> LapseNote:
    """Note a lapse privately: sealed in the writer's own space, told to nobody.

    For today or a day in the last month. Screened once, without a coach (nobody else reads
    it), so that words of crisis bring support to the writer at once.
    """
    member_of(pair, author)
    today = today_for(author)
    if day > today:
        raise RhythmError({"day": _("A lapse can be noted for today or an earlier day.")})
    if day < today - LAPSE_LOOKBACK:
        raise RhythmError({"day": _("Choose a day within the last month.")})
    note = note.strip()
    if len(note) > MAX_LAPSE_NOTE:
        raise RhythmError(
            {"note": _("Keep the note to %(n)d characters or fewer.") % {"n": MAX_LAPSE_NOTE}}
        )
    check = screen_write(text=note, coached=False)
    entry = LapseNote(pair=pair, author=author, space=person_space(user=author), day=day, note=note)
    entry.save()
    remember(entry, check)
    return entry


@transaction.atomic
def lapse_note_delete(*, entry: LapseNote, author: User) -> None:
    if entry.author_id != author.pk:
        raise RhythmError(_("That note was not found."))
    entry.delete()
