from __future__ import annotations

import pytest

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, Thread
from confide.circles.services.posts import thread_create
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


@pytest.fixture
def thread(alex_member: Membership) -> Thread:
    return thread_create(
        membership=alex_member, title="A hard week", body="It was a lot.", content_note=""
    )
