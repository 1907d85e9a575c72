"""WebSocket routes. Every route here needs an entry in the authorisation matrix test."""

from __future__ import annotations

from typing import Any

from django.urls import path

from confide.circles.consumers import RoundConsumer
from confide.dialogue.consumers import DialogueConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/dialogue/<uuid:session_id>/", DialogueConsumer.as_asgi()),
    path("ws/circles/rounds/<uuid:round_id>/", RoundConsumer.as_asgi()),
]
