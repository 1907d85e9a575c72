"""`confide backup PATH [--with-keys]`: see confide/core/backup.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.core.backup import BackupError, ProgressLine, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to a new folder, with a manifest of checksums. "
        "The key material is written only with --with-keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A new (or empty) folder for the backup.")
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help=(
                "Also write the master keyring, the audit key and the key store (mode 0600) to "
                "PATH/keys/. Whoever holds them and the database can read everything: keep "
                "them apart."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = ProgressLine(self._write)
        try:
            manifest = backup_create(
                path=options["path"], with_keys=options["with_keys"], progress=progress
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.end()
        database = manifest["database"]
        self.stdout.write(
            f"Backed up the {manifest['engine']} database ({database['bytes']} bytes, "
            f"SHA-256 {database['sha256'][:16]}…) to {options['path']}."
        )
        self.stdout.write(f"It needs master key {', '.join(manifest['master_key_ids'])}.")
        if manifest["keys"]:
            self.stdout.write(
                f"Key files in {options['path']}/keys: {', '.join(manifest['keys'])}. "
                "Store them apart from the database copy."
            )
        else:
            self.stdout.write("Key material not included (use --with-keys to include it).")

    def _write(self, text: str) -> None:
        self.stdout.write(text, ending="")
        self.stdout.flush()
