from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from confide.core.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load demo people and content. Safe to run again: nothing is created twice."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "confide demo refuses to run with CONFIDE_ENV=production: "
                "demo accounts share a published password."
            )
        people = demo_load(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for person in people:
            self.stdout.write(f"  {person.email:<24} {person.display_name}")
