"""Personas shared by every test: alex and blake (a pair), casey (an outsider who must see
nothing), dana (a circle facilitator), eli (a counsellor) and an operator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, TestCase

from confide.accounts.models import User
from confide.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from confide.pairs.models import Pair
from confide.safety.classifier import use_classifier


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass of CI runs the suite again for what depends on the database; a test
    that never touches it (pure screening, the SQLite-only live checks) ran already."""
    if connection_vendor() != "postgresql":
        return
    skip = pytest.mark.skip(reason="does not touch the suite's database; ran in the SQLite pass")
    for item in items:
        if item.get_closest_marker("same_on_every_database"):
            item.add_marker(skip)


def connection_vendor() -> str:
    from django.db import connection

    return str(connection.vendor)


PERSONAS = ("alex", "blake", "casey", "dana", "eli", "operator")


class CommitClient(Client):
    """A test client whose requests run their on-commit callbacks (emails, tasks) at the end,
    as a real request's transaction would, although the test's own transaction never commits."""

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: login throttles and write limits counted by an
    earlier test must not refuse this one's requests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _screening_by_rules(request: pytest.FixtureRequest) -> Iterator[None]:
    """App tests screen with the rules alone, so what they pin does not move when the learned
    heads are retrained; the screener's own tests (confide/safety) and tests marked
    `learned_screener` use the shipped model. `docs/safety.md` reports how the model does."""
    if request.node.get_closest_marker("learned_screener") or "confide/safety/" in str(
        request.node.path
    ):
        yield
        return
    with use_classifier(None, "switched off for app tests"):
        yield


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


def page_in_queries(client: Client, url: str, queries: int, assert_num_queries: Any) -> str:
    """The page at `url` read in exactly `queries` queries (asked for once before, so what a
    first visit writes is not counted); `assert_num_queries` is pytest-django's fixture."""
    client.get(url)
    with assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200  # noqa: PLR2004
    return response.content.decode()


def client_for(user: User | None, *, second_factor: bool | None = None) -> Client:
    """A client logged in as `user`. People whose role requires two-step login (facilitators,
    operators) also pass it, as at a real login, unless `second_factor=False`; True makes any
    person enrol and verify."""
    from confide.accounts.tests.factories import verify_second_factor
    from confide.accounts.twofactor import second_factor_required

    client = CommitClient()
    if user is not None:
        client.force_login(user)
        if second_factor is None:
            second_factor = second_factor_required(user)
        if second_factor:
            verify_second_factor(client, user)
    return client


@pytest.fixture
def pair(alex: User, blake: User) -> Pair:
    """Alex and Blake's pair."""
    from confide.pairs.tests.factories import make_pair

    return make_pair(alex, blake)
