from __future__ import annotations

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`confide bench`: the side-by-side benchmark. It gathers from every app (it loads the demo,
    drives the pages and the guided conversation, times the screener), so it has a room of its
    own above them; it has no models."""

    name = "confide.bench"
    label = "bench"
