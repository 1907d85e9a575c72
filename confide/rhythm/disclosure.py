"""Rhythm entries for safety.disclosure: appreciations and contract intentions kept private
after words of crisis or fear."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.pairs.services.common import partner_of
from confide.rhythm.models import Appreciation, ContractDay
from confide.rhythm.services import RhythmError
from confide.rhythm.services import withheld as services
from confide.safety.disclosure import DisclosureError, HeldEntry, register


def _partner_name(pair: Pair, user: User) -> str | None:
    partner = partner_of(pair, user) if pair.is_active else None
    return partner.display_name if partner is not None else None


def _run(step: Callable[..., Any], **kwargs: Any) -> None:
    try:
        step(**kwargs)
    except RhythmError as error:
        raise DisclosureError(error.messages[0]) from error


class Appreciations:
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        found = Appreciation.objects.select_related("pair").filter(pk=entry_id, author=user).first()
        if found is None:
            return None
        return HeldEntry(
            kind="appreciation",
            id=str(found.pk),
            what=_("your appreciation"),
            partner=_partner_name(found.pair, user),
            can_share=found.withheld and found.pair.is_active,
            is_private_now=not found.shared,
            url=reverse("rhythm:appreciations", args=[found.pair_id]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.appreciation_share, user=user, appreciation_id=entry_id)

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.appreciation_keep_private, user=user, appreciation_id=entry_id)

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.appreciation_delete, user=user, appreciation_id=entry_id)


class Intentions:
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None:
        found = (
            ContractDay.objects.select_related("pair").filter(pk=entry_id, stated_by=user).first()
        )
        if found is None:
            return None
        day = formats.date_format(found.day, "DATE_FORMAT")
        return HeldEntry(
            kind="intention",
            id=str(found.pk),
            what=_("your intention for %(day)s") % {"day": day},
            partner=_partner_name(found.pair, user),
            can_share=services.intention_can_share(found, user),
            is_private_now=not found.shared,
            url=reverse("rhythm:contract", args=[found.pair_id]),
        )

    def share(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.intention_share, user=user, entry_id=entry_id)

    def keep(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.intention_keep_private, user=user, entry_id=entry_id)

    def delete(self, user: User, entry_id: uuid.UUID) -> None:
        _run(services.intention_delete, user=user, entry_id=entry_id)


def register_handlers() -> None:
    register("appreciation", Appreciations())
    register("intention", Intentions())
