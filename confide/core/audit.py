"""The append-only, keyed hash chain of audit entries.

Entries carry ids and short facts, never private text. `audit_log` is the only writer.

Each entry has a number `seq` (1, 2, 3, ... without gaps) and a hash that is an HMAC, under the
audit key (confide/core/auditkey.py, kept outside the database), of its number, its content and
the previous entry's hash. The head row holds the last number and hash under an HMAC of its own.
So without the key nobody can change an entry and recompute the hashes after it, nor remove
entries from the end and move the head back; a removed entry leaves a gap in the numbers, which
`verify_chain` names. The database refuses updates and deletes of entries, and any move of the
head but one step forward (confide/core/audit_guard.py).

What no chain can show is a whole database put back from an older copy: keep backups, and
compare the head (`confide audit verify` prints it) with one noted down elsewhere.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from confide.core.auditkey import AuditKeyError, audit_key, audit_key_id
from confide.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
_ENTRY_LABEL = b"confide.audit.entry.v2\0"
_HEAD_LABEL = b"confide.audit.head.v2\0"


def _mac(key: bytes, label: bytes, body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key, label + text.encode(), hashlib.sha256).hexdigest()


def entry_digest(
    key: bytes,
    *,
    seq: int,
    prev_hash: str,
    at: datetime.datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: Any,
) -> str:
    """The hash of one entry. Plain values, so that migrations can call it too."""
    body = {
        "seq": seq,
        "prev": prev_hash,
        "at": at.isoformat(),
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
    }
    return _mac(key, _ENTRY_LABEL, body)


def head_digest(key: bytes, *, seq: int, last_hash: str, key_id: str) -> str:
    return _mac(key, _HEAD_LABEL, {"seq": seq, "last": last_hash, "key": key_id})


def _entry_hash(key: bytes, entry: AuditEntry) -> str:
    return entry_digest(
        key,
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        data=entry.data,
    )


def _target_parts(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


class AuditKeyMismatch(AuditKeyError):
    def __init__(self) -> None:
        super().__init__(
            "The audit key on this server is not the one the audit log was written with, so "
            "nothing more can be added to it. Restore the audit key (audit.key beside the master "
            "key, or CONFIDE_AUDIT_KEY) from the backup."
        )


@transaction.atomic
def audit_log(
    *,
    actor: Any = None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one event. `actor` is a user, or None for the system.

    `data` holds ids and short facts, never private text. Raises AuditKeyMismatch rather than
    continue the log under another key, which would leave it unverifiable from there on.
    """
    key = audit_key()
    key_id = audit_key_id(key)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1,
        defaults={
            "seq": 0,
            "last_hash": GENESIS,
            "key_id": key_id,
            "mac": head_digest(key, seq=0, last_hash=GENESIS, key_id=key_id),
        },
    )
    if head.key_id != key_id:
        raise AuditKeyMismatch
    target_type, target_id = _target_parts(target)
    entry = AuditEntry(
        seq=head.seq + 1,
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        # Round-trip through JSON now so the hash is computed over what is stored.
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.last_hash,
    )
    entry.hash = _entry_hash(key, entry)
    entry.save()
    AuditChainHead.objects.filter(id=1).update(
        seq=entry.seq,
        last_hash=entry.hash,
        mac=head_digest(key, seq=entry.seq, last_hash=entry.hash, key_id=key_id),
    )
    return entry


@dataclass(frozen=True)
class ChainProblem:
    """`seq` is the number of the entry that fails, also when it is gone (then `entry_id` is
    None); None for a problem of the log as a whole."""

    seq: int | None
    reason: str
    entry_id: int | None = None


def _missing(first: int, last: int, where: str = "") -> str:
    if first == last:
        return f"it was deleted from the log{where}"
    return f"it and the {last - first} entries after it were deleted from the log{where}"


def verify_chain() -> Iterator[ChainProblem]:
    """Yield every problem in the stored chain, in order: the first names the first entry that
    fails, a deleted one included. Raises AuditKeyError when this server has no audit key."""
    key = audit_key(create=False)
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.key_id != audit_key_id(key):
        yield ChainProblem(
            None,
            "the audit key on this server is not the one the log was written with, so no entry "
            "can be checked; restore the audit key from the backup",
        )
        return
    expected, prev = 1, GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator():
        if entry.seq > expected:
            yield ChainProblem(expected, _missing(expected, entry.seq - 1))
            prev = entry.prev_hash  # the deleted entries' hashes are gone; go on from here
        if _entry_hash(key, entry) != entry.hash:
            yield ChainProblem(
                entry.seq,
                "it was changed or forged: its content does not match its hash",
                entry.pk,
            )
        elif entry.prev_hash != prev:
            yield ChainProblem(entry.seq, "its link to the previous entry is broken", entry.pk)
        prev, expected = entry.hash, entry.seq + 1
    yield from _verify_head(key, head, last_seq=expected - 1, last_hash=prev)


def _verify_head(
    key: bytes, head: AuditChainHead | None, *, last_seq: int, last_hash: str
) -> Iterator[ChainProblem]:
    if head is None:
        if last_seq:
            yield ChainProblem(None, "the head of the log is missing")
        return
    if head_digest(key, seq=head.seq, last_hash=head.last_hash, key_id=head.key_id) != head.mac:
        yield ChainProblem(
            last_seq + 1,
            "the head of the log was changed, so it cannot say where the log ends: entries "
            f"after {last_seq} may have been deleted",
        )
    elif head.seq > last_seq:
        yield ChainProblem(last_seq + 1, _missing(last_seq + 1, head.seq, " (at its end)"))
    elif head.seq < last_seq or head.last_hash != last_hash:
        yield ChainProblem(
            head.seq + 1, "the head of the log does not point at its last entry (an older head?)"
        )


def chain_head() -> AuditChainHead | None:
    return AuditChainHead.objects.filter(id=1).first()
