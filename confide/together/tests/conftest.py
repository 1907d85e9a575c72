"""Frozen time for the time-together tests: Tuesday 10 March 2026, 12:00 UTC (13:00 in Berlin,
Alex's zone; Blake's zone is UTC)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
