"""Who opened a person's data: the access log each person reads on their privacy page.

Every time a facilitator opens a report about someone, or a counsellor or an operator opens a
person's data, the view calls ``access_record`` once, naming what was opened by a kind that
its app registered with a plain label (never the text itself). Entries are only ever added:
the model refuses updates and deletes, and migration privacy.0003 adds database triggers that
refuse them below Django too (left out in the test suite, as the audit log's are).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from confide.privacy.models import AccessRecord

_kinds: dict[str, str | Promise] = {}


class UnknownAccessKind(ValueError):
    pass


def access_kind_register(kind: str, label: str | Promise) -> None:
    """Name a kind of access (``"care.measures"``) with the words the person reads."""
    _kinds[kind] = label


def access_kind_label(kind: str) -> str | Promise:
    return _kinds.get(kind, kind)


def access_record(
    *, subject: Any, actor: Any, role: str, kind: str, object_ref: str = ""
) -> AccessRecord:
    """Record that `actor`, acting as `role`, opened `kind` of `subject`'s data.

    `object_ref` may name the object opened by id (never by its text), so a person can tell
    two openings apart. Raises UnknownAccessKind for a kind nobody registered.
    """
    if kind not in _kinds:
        raise UnknownAccessKind(kind)
    if role not in AccessRecord.Role.values:
        raise ValueError(f"unknown role {role!r}")
    return AccessRecord.objects.create(
        subject=subject, actor=actor, role=role, kind=kind, object_ref=object_ref[:64]
    )


def access_records_add(
    *, actor: Any, role: str, kind: str, openings: list[tuple[Any, str]]
) -> list[AccessRecord]:
    """Record several openings at once (one query), e.g. a queue that shows many reports.

    `openings` holds (subject, object_ref) pairs; the same checks as ``access_record``.
    """
    if kind not in _kinds:
        raise UnknownAccessKind(kind)
    if role not in AccessRecord.Role.values:
        raise ValueError(f"unknown role {role!r}")
    rows = [
        AccessRecord(subject=subject, actor=actor, role=role, kind=kind, object_ref=ref[:64])
        for subject, ref in openings
    ]
    return AccessRecord.objects.bulk_create(rows) if rows else []


def access_records_for(*, subject: Any) -> QuerySet[AccessRecord]:
    """The person's access log, newest first."""
    return (
        AccessRecord.objects.filter(subject=subject).select_related("actor").order_by("-at", "-pk")
    )
