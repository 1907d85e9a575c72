"""What the writer chooses for an appreciation or an intention kept private after words of
crisis or fear: share it now (sealed again in the pair's space, the partner told as usual),
keep it private (only the writer sees it, for good), or delete it. Only the writer can choose.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.services.common import today_for
from confide.rhythm.models import Appreciation, ContractDay
from confide.rhythm.selectors import contract_on
from confide.rhythm.services import RhythmError
from confide.rhythm.services.appreciations import announce_appreciation
from confide.rhythm.services.common import member_of
from confide.rhythm.services.contract import announce_intention


def _not_found() -> RhythmError:
    return RhythmError(_("This entry was not found. It may already be deleted."))


def _own_appreciation(user: User, appreciation_id: uuid.UUID) -> Appreciation:
    found = (
        Appreciation.objects.select_for_update()
        .select_related("pair__space")
        .filter(pk=appreciation_id, author=user)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


@transaction.atomic
def appreciation_share(*, user: User, appreciation_id: uuid.UUID) -> Appreciation:
    appreciation = _own_appreciation(user, appreciation_id)
    member_of(appreciation.pair, user)
    if appreciation.shared:
        return appreciation
    appreciation.shared = True
    appreciation.withheld = False
    appreciation.space = appreciation.pair.space  # the text re-seals under it on save
    appreciation.save()
    announce_appreciation(appreciation, appreciation.pair, user)
    return appreciation


@transaction.atomic
def appreciation_keep_private(*, user: User, appreciation_id: uuid.UUID) -> Appreciation:
    appreciation = _own_appreciation(user, appreciation_id)
    appreciation.withheld = False
    appreciation.save(update_fields=["withheld"])
    return appreciation


@transaction.atomic
def appreciation_delete(*, user: User, appreciation_id: uuid.UUID) -> None:
    _own_appreciation(user, appreciation_id).delete()


def _own_intention(user: User, entry_id: uuid.UUID) -> ContractDay:
    found = (
        ContractDay.objects.select_for_update()
        .select_related("pair__space")
        .filter(pk=entry_id, stated_by=user)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def intention_can_share(entry: ContractDay, user: User) -> bool:
    """A held intention can still be shared on its own day, if nobody stated another."""
    return (
        entry.withheld
        and entry.pair.is_active
        and entry.day == today_for(user)
        and contract_on(pair=entry.pair)
        and not ContractDay.objects.filter(pair=entry.pair, day=entry.day, shared=True).exists()
    )


@transaction.atomic
def intention_share(*, user: User, entry_id: uuid.UUID) -> ContractDay:
    entry = _own_intention(user, entry_id)
    member_of(entry.pair, user)
    if entry.shared:
        return entry
    if not intention_can_share(entry, user):
        raise RhythmError(_("This intention can no longer be shared."))
    entry.shared = True
    entry.withheld = False
    entry.space = entry.pair.space
    entry.save()
    announce_intention(entry, entry.pair, user)
    return entry


@transaction.atomic
def intention_keep_private(*, user: User, entry_id: uuid.UUID) -> ContractDay:
    entry = _own_intention(user, entry_id)
    entry.withheld = False
    entry.save(update_fields=["withheld"])
    return entry


@transaction.atomic
def intention_delete(*, user: User, entry_id: uuid.UUID) -> None:
    _own_intention(user, entry_id).delete()
