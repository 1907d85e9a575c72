"""Reads for the privacy page: the person's access log, as they read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
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
    at: datetime


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


def access_log_page(*, user: Any, page: str | int | None) -> tuple[Page[Any], list[AccessLine]]:
    records = Paginator(access_records_for(subject=user), ACCESS_LOG_PAGE).get_page(page)
    return records, [access_line(record) for record in records]
