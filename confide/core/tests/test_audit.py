from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_django import Settings

from confide.accounts.models import User
from confide.core import audit_guard
from confide.core.audit import (
    AuditKeyMismatch,
    ChainProblem,
    audit_log,
    entry_digest,
    head_digest,
    verify_chain,
)
from confide.core.auditkey import AuditKeyError, audit_key, audit_key_id
from confide.core.models import AuditChainHead, AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db

# What someone with write access to the database but without the audit key would use: the
# published algorithm under a key of their own.
ATTACKER_KEY = b"k" * 32


def write(count: int) -> list[AuditEntry]:
    return [audit_log(action="core.test", data={"n": n}) for n in range(1, count + 1)]


def sql(statement: str, params: list[Any] | None = None) -> None:
    """A change made below Django, as someone with the database's password could make it (the
    test database has no guard; see confide/core/audit_guard.py)."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def rehash_from(seq: int, *, key: bytes) -> None:
    """Recompute every hash from entry `seq` on, and the head, under `key`."""
    previous = AuditEntry.objects.filter(seq=seq - 1).first()
    prev = previous.hash if previous is not None else "0" * 64
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        new = entry_digest(
            key,
            seq=entry.seq,
            prev_hash=prev,
            at=entry.at,
            actor_id=entry.actor_id,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            data=entry.data,
        )
        sql(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev, new, entry.pk],
        )
        prev = new
    move_head(key=key)


def move_head(*, key: bytes) -> None:
    """Point the head at the last entry there is, with a MAC under `key`."""
    last = AuditEntry.objects.order_by("seq").last()
    assert last is not None
    head = AuditChainHead.objects.get()
    mac = head_digest(key, seq=last.seq, last_hash=last.hash, key_id=head.key_id)
    sql(
        "UPDATE core_auditchainhead SET seq = %s, last_hash = %s, mac = %s",
        [last.seq, last.hash, mac],
    )


def verify_command() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), f"{err.getvalue()}{error}"
    return out.getvalue(), err.getvalue()


# --- writing --------------------------------------------------------------------------------


def test_entries_are_numbered_chain_to_each_other_and_verify(alex: User) -> None:
    first = audit_log(actor=alex, action="accounts.password.changed", target=alex)
    second = audit_log(actor=None, action="core.test", data={"n": 1})
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    assert (first.actor_id, first.target_type, first.target_id) == (
        alex.pk,
        "accounts.user",
        str(alex.pk),
    )
    head = AuditChainHead.objects.get()
    assert (head.seq, head.last_hash) == (2, second.hash)
    assert list(verify_chain()) == []


def test_the_hash_is_keyed_so_plain_sha256_does_not_reproduce_it() -> None:
    entry = audit_log(action="core.test")
    assert entry.hash != entry_digest(
        ATTACKER_KEY,
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        data=entry.data,
    )


@settings(max_examples=25, deadline=None)
@given(
    actions=st.lists(
        st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}", fullmatch=True), min_size=1, max_size=6
    ),
    # No NUL: PostgreSQL's jsonb cannot hold it (and audit data is ids and short facts).
    data=st.dictionaries(
        st.text(st.characters(exclude_characters="\x00"), max_size=8),
        st.integers() | st.text(st.characters(exclude_characters="\x00"), max_size=12),
        max_size=3,
    ),
)
def test_any_sequence_of_entries_verifies(actions: list[str], data: dict[str, object]) -> None:
    for action in actions:
        audit_log(action=action, data=data)
    assert list(verify_chain()) == []


# --- tampering is detected and the first failing entry is named -----------------------------


def test_editing_entry_5_and_recomputing_every_hash_and_the_head_is_detected() -> None:
    write(8)
    fifth = AuditEntry.objects.get(seq=5)
    sql("UPDATE core_auditentry SET data = %s WHERE id = %s", ['{"n": 99}', fifth.pk])
    rehash_from(5, key=ATTACKER_KEY)

    problems = list(verify_chain())

    assert problems[0] == ChainProblem(
        5, "it was changed or forged: its content does not match its hash", fifth.pk
    )
    assert {problem.seq for problem in problems} >= {5, 6, 7, 8}
    out, err = verify_command()
    assert "entry 5: it was changed" in err
    assert "the first is at entry 5." in err
    assert "intact" not in out


@pytest.mark.parametrize("head_mac", ["kept", "attacker's", "cleared"])
def test_deleting_the_last_entry_and_moving_the_head_back_is_detected(head_mac: str) -> None:
    entries = write(8)
    sql("DELETE FROM core_auditentry WHERE seq = 8")
    head = AuditChainHead.objects.get()
    mac = {
        "kept": head.mac,
        "attacker's": head_digest(
            ATTACKER_KEY, seq=7, last_hash=entries[6].hash, key_id=head.key_id
        ),
        "cleared": "",
    }[head_mac]
    sql(
        "UPDATE core_auditchainhead SET seq = 7, last_hash = %s, mac = %s",
        [entries[6].hash, mac],
    )

    problems = list(verify_chain())

    assert [problem.seq for problem in problems] == [8]
    assert "entries after 7 may have been deleted" in problems[0].reason
    assert "the first is at entry 8." in verify_command()[1]


def test_a_deleted_last_entry_is_named_when_the_head_was_left_alone() -> None:
    write(8)
    sql("DELETE FROM core_auditentry WHERE seq = 8")

    assert list(verify_chain()) == [ChainProblem(8, "it was deleted from the log (at its end)")]


def test_a_deleted_middle_entry_is_named_not_the_one_after_it() -> None:
    write(8)
    sql("DELETE FROM core_auditentry WHERE seq = 5")

    assert list(verify_chain()) == [ChainProblem(5, "it was deleted from the log")]
    out, err = verify_command()
    assert "entry 5: it was deleted from the log" in err
    assert "entry 6" not in err


def test_several_deleted_entries_are_named_from_the_first() -> None:
    write(8)
    sql("DELETE FROM core_auditentry WHERE seq IN (3, 4, 5)")

    assert list(verify_chain()) == [
        ChainProblem(3, "it and the 2 entries after it were deleted from the log")
    ]


def test_a_forged_entry_is_detected() -> None:
    write(1)
    last = AuditEntry.objects.get()
    sql(
        "INSERT INTO core_auditentry (seq, at, actor_id, action, target_type, target_id, data,"
        " prev_hash, hash) VALUES (2, %s, NULL, 'accounts.login', '', '', '{}', %s, %s)",
        [last.at, last.hash, "f" * 64],
    )
    problems = list(verify_chain())
    assert problems[0].seq == 2
    assert "does not match its hash" in problems[0].reason


def test_renumbering_to_hide_a_deleted_entry_is_detected() -> None:
    write(4)
    sql("DELETE FROM core_auditentry WHERE seq = 2")
    sql("UPDATE core_auditentry SET seq = seq - 1 WHERE seq > 2")
    problems = list(verify_chain())
    assert problems[0].seq == 2
    assert "does not match its hash" in problems[0].reason


def test_the_audit_verify_command_says_when_all_is_well() -> None:
    entries = write(3)
    out, err = verify_command()
    assert "All 3 entries are intact." in out
    assert f"Head: entry 3, {entries[-1].hash}" in out
    assert err == ""


# --- the key ----------------------------------------------------------------------------------


@pytest.fixture
def key_file(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "audit.key"
    settings.CONFIDE_AUDIT_KEY = ""
    settings.CONFIDE_AUDIT_KEY_FILE = path
    return path


def test_the_key_file_is_made_0600_on_first_use_and_kept_out_of_the_database(
    key_file: Path,
) -> None:
    assert not key_file.exists()
    entry = audit_log(action="core.test")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    key = audit_key()
    assert AuditChainHead.objects.get().key_id == audit_key_id(key)
    assert key.hex() not in str(list(AuditChainHead.objects.values())) + str(entry.__dict__)
    assert list(verify_chain()) == []


def test_verifying_without_the_key_file_refuses_and_makes_no_new_key(key_file: Path) -> None:
    with pytest.raises(AuditKeyError, match="missing"):
        list(verify_chain())
    assert "is missing" in verify_command()[1]
    assert not key_file.exists()


def test_a_key_from_the_environment_is_used_and_another_key_is_refused(
    settings: Settings,
) -> None:
    settings.CONFIDE_AUDIT_KEY = "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc="
    write(2)
    assert list(verify_chain()) == []

    settings.CONFIDE_AUDIT_KEY = "b3RoZXIta2V5LWZvci10ZXN0cy0zMi1ieXRlcy1sb24="
    [problem] = verify_chain()
    assert problem.seq is None
    assert "not the one the log was written with" in problem.reason
    with pytest.raises(AuditKeyMismatch):
        audit_log(action="core.test")


def test_a_malformed_key_is_refused_with_a_clear_message(settings: Settings) -> None:
    settings.CONFIDE_AUDIT_KEY = "too-short"
    with pytest.raises(AuditKeyError, match="CONFIDE_AUDIT_KEY is not a valid audit key"):
        audit_log(action="core.test")


# --- append-only, in Python and in the database -------------------------------------------------


def test_entries_and_the_head_cannot_be_changed_or_deleted_through_the_orm(alex: User) -> None:
    entry = audit_log(actor=alex, action="core.test")
    entry.action = "core.other"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditChainHead.objects.get().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditChainHead.objects.all().delete()


def install_guard() -> None:
    with connection.cursor() as cursor:
        audit_guard.install(cursor, connection.vendor)  # as migration core.0004 does


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditentry SET action = 'x'",
        "DELETE FROM core_auditentry",
        "DELETE FROM core_auditentry WHERE seq = 3",
        "DELETE FROM core_auditchainhead",
        "UPDATE core_auditchainhead SET seq = 2, last_hash = (SELECT hash FROM core_auditentry"
        " WHERE seq = 2)",
        "UPDATE core_auditchainhead SET last_hash = 'f'",
        "UPDATE core_auditchainhead SET seq = 4",
        "UPDATE core_auditchainhead SET key_id = 'other'",
        "INSERT INTO core_auditchainhead (id, seq, last_hash, mac, key_id)"
        " VALUES (2, 0, '0', '', '')",
    ],
)
def test_the_database_itself_refuses_changes(statement: str) -> None:
    install_guard()
    write(3)
    before = (list(AuditEntry.objects.values()), list(AuditChainHead.objects.values()))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert (list(AuditEntry.objects.values()), list(AuditChainHead.objects.values())) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.parametrize("table", ["core_auditentry", "core_auditchainhead"])
def test_postgresql_refuses_truncating_the_log(table: str) -> None:
    install_guard()
    write(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")  # noqa: S608 - a fixed table name


def test_with_the_guard_the_head_still_moves_forward_entry_by_entry() -> None:
    install_guard()
    write(3)
    audit_log(action="core.after")
    assert AuditChainHead.objects.get().seq == 4
    assert list(verify_chain()) == []
