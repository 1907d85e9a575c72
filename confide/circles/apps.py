from __future__ import annotations

from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "confide.circles"
    label = "circles"
