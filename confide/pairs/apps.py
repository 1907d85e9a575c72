from __future__ import annotations

from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "confide.pairs"
    label = "pairs"
