from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.core.audit import chain_head, verify_chain
from confide.core.auditkey import AuditKeyError
from confide.core.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Work with the audit log. `confide audit verify` checks its keyed hash chain and names "
        "the first entry that fails, a deleted one included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        self.stdout.write(f"Checking {total} audit entries…")
        try:
            problems = list(verify_chain())
        except AuditKeyError as error:
            raise CommandError(str(error)) from None
        if problems:
            for problem in problems:
                where = f"entry {problem.seq}" if problem.seq is not None else "the log"
                self.stderr.write(f"  {where}: {problem.reason}")
            first = problems[0]
            named = f"entry {first.seq}" if first.seq is not None else "the log as a whole"
            raise CommandError(
                f"The audit log has {len(problems)} problem(s); the first is at {named}."
            )
        head = chain_head()
        self.stdout.write(self.style.SUCCESS(f"All {total} entries are intact."))
        if head is not None and head.seq:
            # Noted down elsewhere, this shows later whether the database was put back.
            self.stdout.write(f"Head: entry {head.seq}, {head.last_hash}")
