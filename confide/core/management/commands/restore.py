"""`confide restore PATH`: see confide/core/backup.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.core.backup import BackupError, ProgressLine, restore_plan, restore_run


class Command(BaseCommand):
    help = (
        "Restore a backup made by `confide backup` into an empty data folder (and an empty "
        "database on PostgreSQL), after checking its checksums and master key."
    )
    # The checks touch nothing before the backup is verified.
    requires_system_checks: list[str] = []  # noqa: RUF012 - Django's own attribute

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup folder.")
        parser.add_argument(
            "--without-keys",
            action="store_true",
            help="Do not restore the backup's key files; use the master key configured here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = ProgressLine(self._write)
        try:
            plan = restore_plan(path=options["path"], with_keys=not options["without_keys"])
            self.stdout.write("The backup is complete and matches its checksums; restoring.")
            restore_run(plan, progress=progress)
        except BackupError as error:
            raise CommandError(f"Not restored: {error}") from None
        finally:
            progress.end()
        if plan.manifest.get("key_store_needed") and "space-keys.json" not in plan.keys:
            self.stderr.write(
                "The database's private spaces need the key store (space-keys.json) that was "
                "beside the master key when the backup was made; without it their entries "
                "cannot be read. Put it in the data folder before starting Confide."
            )
        self.stdout.write(
            f"Restored the backup of {plan.manifest['created_at']}. Run `confide migrate` if "
            "this version is newer than the one that made it."
        )

    def _write(self, text: str) -> None:
        self.stdout.write(text, ending="")
        self.stdout.flush()
