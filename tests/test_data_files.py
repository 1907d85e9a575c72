"""The data folder, the SQLite database and its WAL and shared-memory files are the server's
user's alone, also when an operator made the folder first with a wider mode."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Starts Confide with its real settings, writes through Django's connection and reports the
# modes while the connection is still open (SQLite removes the WAL when the last one closes).
PROBE = """
import json, os, sys
import django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (n integer)")
    cursor.execute("INSERT INTO probe VALUES (1)")
name = settings.DATABASES["default"]["NAME"]
modes = {}
for path in (str(settings.DATA_DIR), name, name + "-wal", name + "-shm"):
    modes[os.path.basename(path)] = os.stat(path).st_mode & 0o777
json.dump(modes, sys.stdout)
"""


def run_probe(data_dir: Path) -> dict[str, int]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CONFIDE_", "DJANGO_")) and name != "DATABASE_URL"
    }
    env |= {"CONFIDE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "confide.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        umask=0o022,  # the usual default: files readable by everyone unless made otherwise
    )
    assert result.returncode == 0, result.stderr
    modes: dict[str, int] = json.loads(result.stdout)
    return modes


def test_a_new_database_and_its_wal_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"

    modes = run_probe(data)

    assert modes == {
        "data": 0o700,
        "confide.sqlite3": 0o600,
        "confide.sqlite3-wal": 0o600,
        "confide.sqlite3-shm": 0o600,
    }


@pytest.mark.parametrize("folder_mode", [0o755, 0o777, 0o750])
def test_a_folder_and_database_made_by_an_operator_are_made_private(
    tmp_path: Path, folder_mode: int
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(folder_mode)
    database = data / "confide.sqlite3"
    database.touch()
    database.chmod(0o644)

    modes = run_probe(data)

    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert set(modes.values()) == {0o700, 0o600}
    assert modes["confide.sqlite3"] == modes["confide.sqlite3-wal"] == 0o600
