from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.accounts.models import User
from confide.core import audit_guard
from confide.core.audit import audit_log, verify_chain
from confide.core.models import AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_entries_chain_to_each_other_and_verify(alex: User) -> None:
    first = audit_log(actor=alex, action="accounts.password.changed", target=alex)
    second = audit_log(actor=None, action="core.test", data={"n": 1})
    assert second.prev_hash == first.hash
    assert (first.actor_id, first.target_type, first.target_id) == (
        alex.pk,
        "accounts.user",
        str(alex.pk),
    )
    assert list(verify_chain()) == []


def test_entries_cannot_be_changed_or_deleted_through_the_orm(alex: User) -> None:
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


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET action = 'x'",
        "DELETE FROM core_auditentry",
    ],
)
def test_the_database_itself_refuses_changes(alex: User, sql: str) -> None:
    with connection.cursor() as cursor:
        audit_guard.install(cursor, connection.vendor)  # as migration core.0002 does
    audit_log(actor=alex, action="core.test")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.filter(action="core.test").count() == 1


def test_a_forged_entry_is_detected(alex: User) -> None:
    audit_log(actor=alex, action="core.test")
    last = AuditEntry.objects.last()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditentry (at, actor_id, action, target_type, target_id, data,"
            " prev_hash, hash) VALUES (%s, %s, %s, '', '', %s, %s, %s)",
            [last.at, alex.pk, "accounts.login", "{}", last.hash, "f" * 64],
        )
    problems = list(verify_chain())
    assert problems
    assert "does not match its hash" in problems[0].reason


@settings(max_examples=25, deadline=None)
@given(
    actions=st.lists(
        st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}", fullmatch=True), min_size=1, max_size=6
    ),
    data=st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=12), max_size=3),
)
def test_any_sequence_of_entries_verifies(actions: list[str], data: dict[str, object]) -> None:
    for action in actions:
        audit_log(action=action, data=data)
    assert list(verify_chain()) == []


def test_the_audit_verify_command_reports_tampering(alex: User) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    audit_log(actor=alex, action="core.test")
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "All 1 entries are intact." in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditentry (at, actor_id, action, target_type, target_id, data,"
            " prev_hash, hash) VALUES (%s, NULL, 'x.y', '', '', '{}', %s, %s)",
            [AuditEntry.objects.get().at, "0" * 64, "e" * 64],
        )
    with pytest.raises(CommandError, match="problem"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
