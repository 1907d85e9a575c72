"""Key the audit chain with the audit key, number its entries, and guard its head.

Entries written before this were chained with plain SHA-256, which anyone able to write to the
database could recompute. This migration checks that old chain, then numbers every entry and
re-chains all of them under the audit key (created beside the master key if it does not exist
yet), and appends one entry, `core.audit.keyed`, that records how many entries there were and
whether the old chain was intact (and if not, the id of its first broken entry). Later checks
of the log rest on the keyed chain from its first entry.

Going back (migrating to 0003) drops the new columns and leaves the keyed hashes: the older
code would then report every entry as changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from confide.core import audit_guard

GENESIS = "0" * 64
BATCH = 500


def _remove_guard(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        audit_guard.remove(cursor, schema_editor.connection.vendor)


def _install_guard(apps: Any, schema_editor: Any) -> None:
    # Off only in the test suite (see confide/core/audit_guard.py).
    if getattr(settings, "CONFIDE_AUDIT_DB_GUARD", True):
        with schema_editor.connection.cursor() as cursor:
            audit_guard.install(cursor, schema_editor.connection.vendor)


def _install_entry_guard(apps: Any, schema_editor: Any) -> None:
    """Back to what 0002 installed: the head's guard reads columns that 0003 does not have."""
    if getattr(settings, "CONFIDE_AUDIT_DB_GUARD", True):
        with schema_editor.connection.cursor() as cursor:
            audit_guard.install_entry_guard(cursor, schema_editor.connection.vendor)


def _legacy_digest(prev_hash: str, entry: Any) -> str:
    """How entries were hashed before this migration (frozen here: it is no longer used)."""
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


def _first_broken_legacy_entry(entries: Any, head: Any) -> int | None:
    """The id of the first entry the old chain fails at; 0 for its head; None if intact."""
    prev = GENESIS
    for entry in entries.order_by("id").iterator():
        if entry.prev_hash != prev or _legacy_digest(prev, entry) != entry.hash:
            return int(entry.pk)
        prev = entry.hash
    if head is not None and head.last_hash != prev:
        return 0
    return None


def _rekey(apps: Any, schema_editor: Any) -> None:
    from confide.core.audit import entry_digest, head_digest
    from confide.core.auditkey import audit_key, audit_key_id

    entries = apps.get_model("core", "AuditEntry").objects
    heads = apps.get_model("core", "AuditChainHead").objects
    head = heads.filter(id=1).first()
    if not entries.exists():
        heads.all().delete()  # audit_log starts a fresh head under the key
        return
    broken = _first_broken_legacy_entry(entries, head)
    key = audit_key()

    def digest(entry: Any) -> str:
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

    prev, seq, batch = GENESIS, 0, []
    for entry in entries.order_by("id").iterator():
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = prev = digest(entry)
        batch.append(entry)
        if len(batch) >= BATCH:
            entries.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    entries.bulk_update(batch, ["seq", "prev_hash", "hash"])

    marker = entries.model(
        seq=seq + 1,
        at=timezone.now(),
        actor_id=None,
        action="core.audit.keyed",
        target_type="",
        target_id="",
        data={"entries": seq, "legacy_chain_intact": broken is None, "first_broken_id": broken},
        prev_hash=prev,
    )
    marker.hash = digest(marker)
    marker.save()
    key_id = audit_key_id(key)
    heads.update_or_create(
        id=1,
        defaults={
            "seq": marker.seq,
            "last_hash": marker.hash,
            "key_id": key_id,
            "mac": head_digest(key, seq=marker.seq, last_hash=marker.hash, key_id=key_id),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_scheduled_send")]

    operations = [
        migrations.RunPython(_remove_guard, _install_entry_guard),
        migrations.AddField(
            model_name="auditchainhead",
            name="key_id",
            field=models.CharField(default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(_rekey, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.RunPython(_install_guard, _remove_guard),
    ]
