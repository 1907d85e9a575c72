from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.core.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load demo people and content (safe to run again: nothing is created twice); "
        "`confide demo code EMAIL` prints a demo person's current two-step login code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["code"], help="code: print a code")
        parser.add_argument("email", nargs="?", help="the demo person (with `code`)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "confide demo refuses to run with CONFIDE_ENV=production: "
                "demo accounts share a published password."
            )
        if options["action"] == "code":
            self._code(options["email"] or "")
            return
        people = demo_load(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for person in people:
            self.stdout.write(f"  {person.email:<24} {person.display_name}")
        self.stdout.write(
            "  dana@example.com facilitates the demo circle with two-step login; "
            "`confide demo code dana@example.com` prints her current code."
        )
        self.stdout.write(
            "  eli@example.com counsels Alex and Blake with two-step login; "
            "`confide demo code eli@example.com` prints the current code."
        )

    def _code(self, email: str) -> None:
        from confide.accounts.demo import demo_code
        from confide.accounts.models import User

        user = User.objects.filter(email__iexact=email.strip()).first()
        code = demo_code(user) if user is not None else None
        if code is None:
            raise CommandError(
                f"{email or 'an email address'}: not a demo person with a demo authenticator. "
                "Run `confide demo` first; it gives dana@example.com and eli@example.com one."
            )
        self.stdout.write(code)
