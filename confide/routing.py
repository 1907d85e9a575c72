"""WebSocket routes. Every route here needs an entry in the authorisation matrix test."""

from __future__ import annotations

from typing import Any

websocket_urlpatterns: list[Any] = []
