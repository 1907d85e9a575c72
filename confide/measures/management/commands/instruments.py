from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.measures.instrument import InstrumentError, load_instrument


class Command(BaseCommand):
    help = (
        "Work with instrument files. `confide instruments check FILE...` validates each file "
        "and prints every problem with its line number."
    )
    requires_system_checks: Any = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"])
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for path in options["files"]:
            try:
                instrument = load_instrument(path)
            except InstrumentError as error:
                failed += 1
                for problem in error.problems:
                    where = f"{path}:{problem.line}" if problem.line else str(path)
                    self.stderr.write(f"{where}: {problem.message}")
            else:
                self.stdout.write(
                    f"{path}: ok ({instrument.id} v{instrument.version}, "
                    f"{len(instrument.items)} items)"
                )
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} file(s) have problems.")
