"""PostgreSQL's side of `confide backup` / `confide restore` (see confide/core/backup.py):
`pg_dump --format=custom` and `pg_restore`, with the connection taken from the settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

Progress = Callable[[str], None]


class PostgresToolError(Exception):
    """pg_dump or pg_restore is missing or failed; the message says which and why."""


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    database: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for setting, name in names.items():
        if database.get(setting):
            env[name] = str(database[setting])
    return ["--dbname", str(database["NAME"])], env


def _pg_run(command: list[str], progress: Progress, what: str, *, grows: Path | None) -> None:
    """Run a PostgreSQL client tool, reporting the seconds taken (and the size of `grows`)."""
    args, env = _pg_environment()
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - fixed program, our own arguments
        [*command, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    while True:
        try:
            _out, errors = process.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            line = f"{what}: {time.monotonic() - started:.0f} s"
            if grows is not None and grows.exists():
                line += f", {grows.stat().st_size / 1e6:.1f} MB written"
            progress(line)
    if process.returncode != 0:
        tail = errors.decode(errors="replace").strip().splitlines()[-3:]
        raise PostgresToolError(f"{command[0]} failed: {' '.join(tail)}")


def pg_dump(target: Path, progress: Progress) -> None:
    if shutil.which("pg_dump") is None:
        raise PostgresToolError("pg_dump is not installed; install PostgreSQL's client tools.")
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)]
    _pg_run(command, progress, "Dumping the database", grows=target)


def pg_restore(dump: Path, progress: Progress) -> None:
    if shutil.which("pg_restore") is None:
        raise PostgresToolError("pg_restore is not installed; install PostgreSQL's client tools.")
    command = ["pg_restore", "--no-owner", "--exit-on-error", str(dump)]
    _pg_run(command, progress, "Restoring the database", grows=None)
