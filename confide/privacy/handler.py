"""The privacy app's own export and erasure handler: the access log and exports.

The access log stays after erasure (it is append-only and points at the tombstone, which
names nobody); the private space's keys are destroyed by the erasure itself (erasure.py).
"""

from __future__ import annotations

from typing import Any

from confide.privacy.document import iso
from confide.privacy.exports import exports_delete_for
from confide.privacy.models import AccessRecord, Export, PersonSpace
from confide.privacy.registry import privacy_handler_register
from confide.privacy.selectors import access_line


def privacy_export(user: Any) -> dict[str, Any]:
    records = AccessRecord.objects.filter(subject=user).select_related("actor").order_by("at")
    lines = [access_line(record) for record in records]
    return {
        "access_log": [
            {"who": line.who, "role": line.role, "what": str(line.what), "at": iso(line.at)}
            for line in lines
        ]
    }


def privacy_erase(user: Any) -> None:
    exports_delete_for(user=user)


def register() -> None:
    privacy_handler_register(
        app="privacy",
        models=(PersonSpace, AccessRecord, Export),
        export=privacy_export,
        erase=privacy_erase,
    )
