"""Database triggers that make the audit log append-only below Django too.

Entries can be inserted, never updated or deleted (nor, on PostgreSQL, truncated). The head row
is created once, at the start of an empty log, and afterwards only moves one entry forward, to
an entry that exists with that number and hash; it can never be deleted or moved back.

Installed by migrations core.0002 (entries) and core.0004 (entries and head). The test suite
leaves them out (CONFIDE_AUDIT_DB_GUARD=False) because transactional tests empty every table
afterwards, and on SQLite that is a DELETE the guard refuses; the audit tests install the guard
themselves to check it.
"""

from __future__ import annotations

from typing import Any

_APPEND_ONLY = "the audit log is append-only"
_FORWARD_ONLY = "the audit chain head only moves one entry forward"
# The head may change only as audit_log moves it: to the next number, naming that entry.
_HEAD_MOVE_IS_WRONG = """NEW.id <> OLD.id OR NEW.key_id <> OLD.key_id OR NEW.seq <> OLD.seq + 1
    OR NOT EXISTS (SELECT 1 FROM core_auditentry WHERE seq = NEW.seq AND hash = NEW.last_hash)"""
_HEAD_START_IS_WRONG = "NEW.seq <> 0 OR EXISTS (SELECT 1 FROM core_auditentry)"

ENTRIES_INSTALL = {
    "sqlite": [
        f"""CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END""",
        f"""CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END""",
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION core_auditentry_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
           FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse()""",
        """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse()""",
    ],
}
HEAD_INSTALL = {
    "sqlite": [
        f"""CREATE TRIGGER core_auditchainhead_no_delete BEFORE DELETE ON core_auditchainhead
           BEGIN SELECT RAISE(ABORT, '{_FORWARD_ONLY}'); END""",
        f"""CREATE TRIGGER core_auditchainhead_forward_only BEFORE UPDATE ON core_auditchainhead
           WHEN {_HEAD_MOVE_IS_WRONG}
           BEGIN SELECT RAISE(ABORT, '{_FORWARD_ONLY}'); END""",
        f"""CREATE TRIGGER core_auditchainhead_one_start BEFORE INSERT ON core_auditchainhead
           WHEN {_HEAD_START_IS_WRONG}
           BEGIN SELECT RAISE(ABORT, '{_FORWARD_ONLY}'); END""",
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION core_auditchainhead_guard() RETURNS trigger AS $$
           BEGIN
             IF TG_OP = 'INSERT' THEN
               IF NOT ({_HEAD_START_IS_WRONG}) THEN RETURN NEW; END IF;
             ELSIF TG_OP = 'UPDATE' THEN
               IF NOT ({_HEAD_MOVE_IS_WRONG}) THEN RETURN NEW; END IF;
             END IF;
             RAISE EXCEPTION '{_FORWARD_ONLY}';
           END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER core_auditchainhead_forward_only
           BEFORE INSERT OR UPDATE OR DELETE ON core_auditchainhead
           FOR EACH ROW EXECUTE FUNCTION core_auditchainhead_guard()""",
        """CREATE TRIGGER core_auditchainhead_no_truncate BEFORE TRUNCATE ON core_auditchainhead
           FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse()""",
    ],
}
REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_update",
        "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
        "DROP TRIGGER IF EXISTS core_auditchainhead_no_delete",
        "DROP TRIGGER IF EXISTS core_auditchainhead_forward_only",
        "DROP TRIGGER IF EXISTS core_auditchainhead_one_start",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
        "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
        "DROP TRIGGER IF EXISTS core_auditchainhead_forward_only ON core_auditchainhead",
        "DROP TRIGGER IF EXISTS core_auditchainhead_no_truncate ON core_auditchainhead",
        "DROP FUNCTION IF EXISTS core_auditchainhead_guard()",
        "DROP FUNCTION IF EXISTS core_auditentry_refuse()",
    ],
}


def install_entry_guard(cursor: Any, vendor: str) -> None:
    """The entries' guard alone: what migration core.0002 installs, before the head had the
    columns that its guard reads."""
    for sql in ENTRIES_INSTALL.get(vendor, []):
        cursor.execute(sql)


def install(cursor: Any, vendor: str) -> None:
    install_entry_guard(cursor, vendor)
    for sql in HEAD_INSTALL.get(vendor, []):
        cursor.execute(sql)


def remove(cursor: Any, vendor: str) -> None:
    for sql in REMOVE.get(vendor, []):
        cursor.execute(sql)
