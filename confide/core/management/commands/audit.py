from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.core.audit import verify_chain
from confide.core.models import AuditEntry


class Command(BaseCommand):
    help = "Work with the audit log. `confide audit verify` checks its hash chain for tampering."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        self.stdout.write(f"Checking {total} audit entries…")
        problems = list(verify_chain())
        if problems:
            for problem in problems:
                where = f"entry {problem.entry_id}" if problem.entry_id else "the log"
                self.stderr.write(f"  {where}: {problem.reason}")
            raise CommandError(f"The audit log has {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"All {total} entries are intact."))
