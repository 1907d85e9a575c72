"""Reads for the privacy page: the person's access log, as they read it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from confide.privacy.accesslog import access_kind_label, access_records_for
from confide.privacy.models import AccessRecord

ACCESS_LOG_PAGE = 20


@dataclass(frozen=True)
class AccessLine:
    who: str
    role: str
    what: str | Promise
    at: datetime  # the latest opening the line stands for
    count: int = 1
    first_at: datetime | None = None  # the earliest, when the line stands for several

    @property
    def spans_minutes(self) -> bool:
        """Whether the openings it stands for fall in more than one minute."""
        if self.first_at is None:
            return False
        return self.first_at.replace(second=0, microsecond=0) != self.at.replace(
            second=0, microsecond=0
        )


def access_who(record: AccessRecord) -> str:
    """A counsellor or an operator by name and role; a facilitator under their role only, as
    everywhere else in moderation."""
    if record.role == AccessRecord.Role.FACILITATOR:
        return _("A facilitator")
    return _("%(name)s (%(role)s)") % {
        "name": record.actor.display_name,
        "role": AccessRecord.Role(record.role).label,
    }


def access_line(record: AccessRecord) -> AccessLine:
    return AccessLine(
        who=access_who(record),
        role=str(AccessRecord.Role(record.role).label),
        what=access_kind_label(record.kind),
        at=record.at,
    )


def access_lines_grouped(records: Iterable[AccessRecord]) -> list[AccessLine]:
    """One line for a run of openings, newest first, by the same person in the same role of the
    same kind on the same day (in the active time zone): a counsellor who reloads a page ten
    times is one line "10 times", not ten lines that hide what else happened. Every opening
    still counts, and the log itself keeps each one."""
    lines: list[AccessLine] = []
    keys: list[tuple[Any, ...]] = []
    for record in records:
        key = (record.actor_id, record.role, record.kind, timezone.localdate(record.at))
        if keys and keys[-1] == key:
            last = lines[-1]
            lines[-1] = replace(last, count=last.count + 1, first_at=record.at)
        else:
            keys.append(key)
            lines.append(access_line(record))
    return lines


def access_log_page(*, user: Any, page: str | int | None) -> tuple[Page[Any], list[AccessLine]]:
    records = Paginator(access_records_for(subject=user), ACCESS_LOG_PAGE).get_page(page)
    return records, access_lines_grouped(records)
