from __future__ import annotations

from collections.abc import Iterator

import pytest
from channels.layers import channel_layers


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Iterator[None]:
    """Each test's event loop gets its own in-memory channel layer."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
