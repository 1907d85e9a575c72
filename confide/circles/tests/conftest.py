from __future__ import annotations

from collections.abc import Iterator

import pytest
from channels.layers import channel_layers

from confide.accounts.models import User
from confide.circles.models import Circle, Membership
from confide.circles.tests.factories import join, make_circle, owner_of


@pytest.fixture
def circle(dana: User) -> Circle:
    """Dana's circle (Dana is the owner, "Lantern")."""
    return make_circle(dana)


@pytest.fixture
def facilitator(circle: Circle) -> Membership:
    return owner_of(circle)


@pytest.fixture
def alex_member(circle: Circle, alex: User) -> Membership:
    return join(circle, alex, "Harbour")


@pytest.fixture
def blake_member(circle: Circle, blake: User) -> Membership:
    return join(circle, blake, "Willow")


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Iterator[None]:
    """Each test's event loop gets its own in-memory channel layer."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
