"""Make the audit log append-only in the database itself, not only in Python."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations

from confide.core import audit_guard


def _install(apps: Any, schema_editor: Any) -> None:
    # Off only in the test suite (see confide/core/audit_guard.py).
    if getattr(settings, "CONFIDE_AUDIT_DB_GUARD", True):
        with schema_editor.connection.cursor() as cursor:
            audit_guard.install_entry_guard(cursor, schema_editor.connection.vendor)


def _remove(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        audit_guard.remove(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_install, _remove)]
