"""The periodic sweep that deletes export files once their link has expired."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from confide.core.scheduler import Due, Sent
from confide.privacy.exports import exports_expire
from confide.privacy.models import Export

if TYPE_CHECKING:
    from confide.core.models import ScheduledSend


def exports_due(after: datetime, until: datetime) -> Iterable[Due]:
    expiring = Export.objects.filter(
        state=Export.State.READY, expires_at__gt=after, expires_at__lte=until
    ).values_list("pk", "expires_at")
    return [Due(kind="export", subject=str(pk), slot=when) for pk, when in expiring if when]


def exports_expire_due(item: ScheduledSend, now: datetime) -> Sent:
    # Every export past its time, not only this one: one a stopped worker missed goes too.
    return Sent.DONE if exports_expire(now=now) else Sent.SKIPPED
