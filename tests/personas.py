"""Personas shared by every test: alex and blake (a pair), casey (an outsider who must see
nothing), dana (a circle facilitator), eli (a counsellor) and an operator."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, TestCase

from confide.accounts.models import User
from confide.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from confide.pairs.models import Pair

PERSONAS = ("alex", "blake", "casey", "dana", "eli", "operator")


class CommitClient(Client):
    """A test client whose requests run their on-commit callbacks (emails, tasks) at the end,
    as a real request's transaction would, although the test's own transaction never commits."""

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client() -> Client:
    return CommitClient()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def alex(db: None) -> User:
    return UserFactory.create(
        email="alex@example.org", display_name="Alex", time_zone="Europe/Berlin"
    )


@pytest.fixture
def blake(db: None) -> User:
    return UserFactory.create(email="blake@example.org", display_name="Blake")


@pytest.fixture
def casey(db: None) -> User:
    return UserFactory.create(email="casey@example.org", display_name="Casey")


@pytest.fixture
def dana(db: None) -> User:
    return UserFactory.create(email="dana@example.org", display_name="Dana")


@pytest.fixture
def eli(db: None) -> User:
    return UserFactory.create(email="eli@example.org", display_name="Eli")


@pytest.fixture
def operator(db: None) -> User:
    return UserFactory.create(email="operator@example.org", display_name="Operator", is_staff=True)


@pytest.fixture
def personas(
    alex: User, blake: User, casey: User, dana: User, eli: User, operator: User
) -> dict[str, User]:
    return {
        "alex": alex,
        "blake": blake,
        "casey": casey,
        "dana": dana,
        "eli": eli,
        "operator": operator,
    }


def client_for(user: User | None) -> Client:
    client = CommitClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def pair(alex: User, blake: User) -> Pair:
    """Alex and Blake's pair."""
    from confide.pairs.tests.factories import make_pair

    return make_pair(alex, blake)
