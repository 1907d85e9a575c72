"""`confide bench [--json] [--size small|large]`: Confide's pages side by side with the
framework floor and the authenticated floor, measured in one run (see docs/performance.md)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.bench.report import as_json, format_table

MAX_PACE = 600


class Command(BaseCommand):
    help = (
        "Start real server processes on 127.0.0.1 with a throw-away data set and measure "
        "requests/s and p50/p95 for the key pages next to the framework floor and the "
        "authenticated floor, the dialogue step round trip and the screener's time per text."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seconds", type=float, default=3.0, help="Measured time per page.")
        parser.add_argument("--connections", type=int, default=8, help="Concurrent connections.")
        parser.add_argument(
            "--page",
            action="append",
            default=None,
            help="Measure only this page (by its name in the table; repeatable).",
        )
        parser.add_argument(
            "--sessions", type=int, default=100, help="Concurrent conversations (x2 sockets)."
        )
        parser.add_argument("--rounds", type=int, default=2, help="Full rounds per conversation.")
        parser.add_argument(
            "--pace",
            type=float,
            default=0.0,
            help="Seconds a person takes between moves (0: as fast as the server lets them).",
        )
        parser.add_argument("--no-dialogue", action="store_true", help="Skip the conversations.")
        parser.add_argument("--no-screener", action="store_true", help="Skip the screener.")

    def handle(self, *args: Any, **options: Any) -> None:
        from confide.bench.run import pin_this_process, run_dialogue, run_pages, run_screener

        if options["seconds"] <= 0 or options["connections"] < 1 or options["sessions"] < 1:
            raise CommandError("--seconds, --connections and --sessions must be positive.")
        if not 0 <= options["pace"] <= MAX_PACE:
            raise CommandError(f"--pace is seconds between moves, from 0 to {MAX_PACE}.")

        def say(line: str) -> None:  # progress on stderr, so --json stays one object
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

        if not pin_this_process():
            say("Could not pin to one core: load and server share the CPUs.")
        try:
            result = run_pages(
                size=options["size"],
                connections=options["connections"],
                seconds=options["seconds"],
                only=options["page"],
                say=say,
            )
            if not options["no_dialogue"]:
                run_dialogue(
                    result,
                    sessions=options["sessions"],
                    rounds=options["rounds"],
                    pace=options["pace"],
                    say=say,
                )
            if not options["no_screener"]:
                run_screener(result, say=say)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(as_json(result), indent=2))
        else:
            self.stdout.write("\n".join(format_table(result)))
