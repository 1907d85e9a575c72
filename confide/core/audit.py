"""The append-only, hash-chained audit log.

Entries carry ids and short facts, never private text. `audit_log` is the only writer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from confide.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    body = json.dumps(
        {
            "prev": prev_hash,
            "at": entry.at.isoformat(),
            "actor": entry.actor_id,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "data": entry.data,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _target_parts(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


@transaction.atomic
def audit_log(
    *,
    actor: Any = None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one event. `actor` is a user, or None for the system.

    `data` holds ids and short facts, never private text.
    """
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    target_type, target_id = _target_parts(target)
    actor_id = getattr(actor, "pk", None)
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        # Round-trip through JSON now so the hash is computed over what is stored.
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.last_hash,
    )
    entry.hash = _digest(head.last_hash, entry)
    entry.save()
    AuditChainHead.objects.filter(id=1).update(last_hash=entry.hash)
    return entry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    reason: str


def verify_chain() -> Iterator[ChainProblem]:
    """Yield every place where the stored chain does not match its own hashes."""
    prev = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.prev_hash != prev:
            yield ChainProblem(entry.pk, "its link to the previous entry is broken")
        elif _digest(prev, entry) != entry.hash:
            yield ChainProblem(entry.pk, "its content does not match its hash")
        prev = entry.hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        yield ChainProblem(0, "entries are missing from the end of the log")
