"""`confide keys rotate` and `confide keys status`: manage the master keys of encryption at rest."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.privacy import keys
from confide.privacy.crypto import CryptoError

PROGRESS_EVERY = 100
NEW_KEY_HINT = (
    'python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
)


class Command(BaseCommand):
    help = "Manage the master keys that wrap each space's data keys."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{rotate,status}")
        actions.add_parser(
            "rotate",
            help="Re-wrap every data key under a new master key (safe to interrupt and rerun).",
        )
        actions.add_parser("status", help="Show the master keys and what each one wraps.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "rotate":
                self._rotate()
            else:
                self._status()
        except CryptoError as error:
            raise CommandError(str(error)) from None

    def _progress(self, done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            self.stdout.write(f"Re-wrapped {done}/{total} data keys")

    def _rotate(self) -> None:
        before = keys.keys_status()
        if before.source == "file":
            self.stdout.write(
                "Resuming an unfinished rotation."
                if before.unfinished
                else "Starting a rotation: adding a new master key to the key file."
            )
        result = keys.keys_rotate(progress=self._progress)
        if result.created_key:
            self.stdout.write(f"Added master key {result.master_key_id} to the key file.")
        if result.dropped_key_ids:
            dropped = ", ".join(result.dropped_key_ids)
            self.stdout.write(f"Removed old master key(s) {dropped} from the key file.")
        if result.removable_env_ids:
            removable = ", ".join(result.removable_env_ids)
            self.stdout.write(
                f"No data key needs master key(s) {removable} any more: remove them from "
                "CONFIDE_MASTER_KEY_OLD."
            )
        elif result.nothing_to_do:
            self.stdout.write(
                f"Every data key is already wrapped under master key {result.master_key_id}. "
                "To rotate, set CONFIDE_MASTER_KEY_OLD to the current key and "
                f"CONFIDE_MASTER_KEY to a new one ({NEW_KEY_HINT}), restart, and run this again."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Rotation finished: {result.rewrapped} data keys re-wrapped; every data key is "
                f"now wrapped under master key {result.master_key_id}."
            )
        )

    def _status(self) -> None:
        status = keys.keys_status()
        source = "CONFIDE_MASTER_KEY" if status.source == "env" else "the key file"
        self.stdout.write(f"Current master key: {status.current_id} (from {source})")
        for key_id in sorted({*status.keyring_ids, *status.data_keys_by_master}):
            role = "current" if key_id == status.current_id else "old"
            if key_id not in status.keyring_ids:
                role = "MISSING"
            count = status.data_keys_by_master.get(key_id, 0)
            self.stdout.write(f"  {key_id}  {role:<8} wraps {count} data keys")
        if status.unknown_ids:
            raise CommandError(
                "Some data keys are wrapped under a master key this server does not have."
            )
        if status.unfinished:
            self.stdout.write("A rotation is unfinished: run `confide keys rotate` to finish it.")
