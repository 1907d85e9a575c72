from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "confide.core"
    label = "core"
