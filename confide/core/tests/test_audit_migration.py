"""Migration core.0004 re-chains a log written before the audit key existed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from confide.core.audit import audit_log, verify_chain
from confide.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("core", "0003_scheduled_send")]
AFTER = [("core", "0004_audit_keyed_chain")]


def legacy_hash(prev: str, row: dict[str, Any]) -> str:
    body = {"prev": prev, **{k: row[k] for k in ("at", "actor", "action", "target_type")}}
    body |= {"target_id": row["target_id"], "data": row["data"]}
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_0004() -> Iterator[Any]:
    apps = migrate(BEFORE)
    yield apps
    # Whatever the test did, leave the schema as the rest of the suite expects: the latest.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("core"))


def write_legacy_log(apps: Any, count: int, *, break_at: int | None = None) -> None:
    entries = apps.get_model("core", "AuditEntry").objects
    prev = "0" * 64
    for n in range(1, count + 1):
        row = {
            "at": timezone.now().isoformat(),
            "actor": None,
            "action": "core.legacy",
            "target_type": "",
            "target_id": "",
            "data": {"n": n},
        }
        digest = legacy_hash(prev, row) if n != break_at else "b" * 64
        entries.create(
            at=row["at"], action="core.legacy", data={"n": n}, prev_hash=prev, hash=digest
        )
        prev = digest
    apps.get_model("core", "AuditChainHead").objects.create(id=1, last_hash=prev)


def test_an_intact_legacy_log_is_numbered_keyed_and_marked(before_0004: Any) -> None:
    write_legacy_log(before_0004, 3)

    migrate(AFTER)

    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "action")) == [
        (1, "core.legacy"),
        (2, "core.legacy"),
        (3, "core.legacy"),
        (4, "core.audit.keyed"),
    ]
    marker = AuditEntry.objects.get(seq=4)
    assert marker.data == {"entries": 3, "legacy_chain_intact": True, "first_broken_id": None}
    assert AuditChainHead.objects.get().seq == 4
    assert list(verify_chain()) == []
    assert audit_log(action="core.after").seq == 5
    assert list(verify_chain()) == []


def test_a_broken_legacy_log_is_keyed_and_says_where_it_was_broken(before_0004: Any) -> None:
    write_legacy_log(before_0004, 4, break_at=2)
    broken_id = before_0004.get_model("core", "AuditEntry").objects.order_by("id")[1].pk

    migrate(AFTER)

    marker = AuditEntry.objects.get(action="core.audit.keyed")
    assert marker.data == {
        "entries": 4,
        "legacy_chain_intact": False,
        "first_broken_id": broken_id,
    }
    assert list(verify_chain()) == []


def test_an_empty_log_stays_empty(before_0004: Any) -> None:
    migrate(AFTER)

    assert not AuditEntry.objects.exists()
    assert not AuditChainHead.objects.exists()
    assert audit_log(action="core.first").seq == 1
