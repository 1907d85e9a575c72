"""Database triggers that make the audit log append-only below Django too.

Installed by migration core.0002. The test suite leaves them out (CONFIDE_AUDIT_DB_GUARD=False)
because transactional tests empty every table afterwards, and on SQLite that is a DELETE the
guard refuses; the audit tests install the guard themselves to check it.
"""

from __future__ import annotations

from typing import Any

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION core_auditentry_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
           FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse()""",
    ],
}
REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_update",
        "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
        "DROP FUNCTION IF EXISTS core_auditentry_refuse()",
    ],
}


def install(cursor: Any, vendor: str) -> None:
    for sql in INSTALL.get(vendor, []):
        cursor.execute(sql)


def remove(cursor: Any, vendor: str) -> None:
    for sql in REMOVE.get(vendor, []):
        cursor.execute(sql)
