"""The consent matrix: each scope × each kind of data × consent active, withdrawn, expired, or
the relationship ended — through the one access function, and through the counsellor's page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from confide.accounts.models import User
from confide.care.access import NEEDS, DataKind, access_client_data, effective_scope
from confide.care.models import CareConsent, CareRelationship, Scope
from confide.care.services import consent_set, relationship_end
from confide.care.tests.factories import make_care
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db

STATES = ("active", "withdrawn", "expired", "ended")

# What each section of the client page is headed by, and the least scope that shows it.
SECTIONS = {
    DataKind.MEASURES: "Measures",
    DataKind.TOPICS: "Topics they raised",
    DataKind.PATTERNS: "Patterns by week",
    DataKind.SHARED: "What they shared with their partner",
}


def _setup(pair: Pair, alex: User, eli: User, scope: Scope, state: str) -> CareRelationship:
    until = timezone.localdate() + timedelta(days=1) if state == "expired" else None
    relationship = make_care(eli, pair, {alex: scope}, until=until)
    if state == "withdrawn":
        consent_set(
            relationship=relationship, person=alex, actor=alex, scope=Scope.NOTHING, until=None
        )
    elif state == "ended":
        relationship_end(relationship=relationship, actor=alex)
        relationship.refresh_from_db()
    return relationship


def _allowed(scope: Scope, state: str, kind: DataKind) -> bool:
    if state == "ended":
        return False
    effective = Scope.NOTHING if state in ("withdrawn", "expired") else scope
    return effective >= NEEDS[kind]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("scope", list(Scope))
@pytest.mark.parametrize("kind", list(DataKind))
def test_the_access_function_follows_consent(
    pair: Pair, alex: User, eli: User, scope: Scope, state: str, kind: DataKind
) -> None:
    relationship = _setup(pair, alex, eli, scope, state)
    with time_machine.travel(timezone.now() + timedelta(days=3 if state == "expired" else 0)):
        if _allowed(scope, state, kind):
            client, granted = access_client_data(eli, relationship, alex.pk, kind)
            assert client == alex
            assert granted == (Scope.NOTHING if state != "active" else scope)
        else:
            with pytest.raises(Http404):
                access_client_data(eli, relationship, alex.pk, kind)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("scope", list(Scope))
def test_the_counsellors_page_shows_only_what_consent_allows(
    pair: Pair, alex: User, eli: User, scope: Scope, state: str
) -> None:
    relationship = _setup(pair, alex, eli, scope, state)
    url = reverse("care:client", args=[relationship.pk, alex.pk])
    with time_machine.travel(timezone.now() + timedelta(days=3 if state == "expired" else 0)):
        response = client_for(eli).get(url)
    if state == "ended":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    for kind, heading in SECTIONS.items():
        assert (heading in body) is _allowed(scope, state, kind), (kind, heading)
    if not _allowed(scope, state, DataKind.MEASURES):
        assert "Nothing to show" in body


def test_the_other_partners_data_follows_their_own_consent(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.MEASURES})
    access_client_data(eli, relationship, alex.pk, DataKind.SHARED)
    with pytest.raises(Http404):
        access_client_data(eli, relationship, blake.pk, DataKind.TOPICS)


def test_another_counsellor_or_an_outsider_reaches_nothing(
    pair: Pair, alex: User, casey: User, dana: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    make_care(dana, pair, {})
    for person in (casey, dana):
        with pytest.raises(Http404):
            access_client_data(person, relationship, alex.pk, DataKind.OVERVIEW)
    assert (
        client_for(dana).get(reverse("care:client", args=[relationship.pk, alex.pk])).status_code
        == 404
    )
    with pytest.raises(Http404):
        access_client_data(eli, relationship, casey.pk, DataKind.OVERVIEW)


def test_private_and_held_back_entries_never_reach_the_counsellor(
    pair: Pair, alex: User, eli: User
) -> None:
    from confide.pairs.services.checkins import checkin_submit

    with time_machine.travel(timezone.now() - timedelta(days=1)):
        checkin_submit(
            pair=pair,
            author=alex,
            mood=3,
            feelings=[],
            needs=[],
            note="A private thought",
            visibility="private",
        )
    checkin_submit(
        pair=pair,
        author=alex,
        mood=4,
        feelings=[],
        needs=[],
        note="A shared evening walk",
        visibility="shared",
    )
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    body = (
        client_for(eli)
        .get(reverse("care:client", args=[relationship.pk, alex.pk]))
        .content.decode()
    )
    assert "A shared evening walk" in body
    assert "A private thought" not in body


@pytest.mark.parametrize(
    ("scope", "until", "today", "active", "expected"),
    [
        (Scope.FULL, None, date(2026, 3, 1), True, Scope.FULL),
        (Scope.FULL, date(2026, 3, 1), date(2026, 3, 1), True, Scope.FULL),  # the last day holds
        (Scope.FULL, date(2026, 3, 1), date(2026, 3, 2), True, Scope.NOTHING),
        (Scope.MEASURES, None, date(2026, 3, 1), False, Scope.NOTHING),
        (Scope.NOTHING, None, date(2026, 3, 1), True, Scope.NOTHING),
    ],
)
def test_effective_scope_table(
    scope: Scope, until: date | None, today: date, active: bool, expected: Scope
) -> None:
    consent = CareConsent(scope=scope, until=until)
    assert effective_scope(consent, today=today, active=active) == expected


@given(
    scope=st.sampled_from(list(Scope)),
    until=st.none() | st.dates(),
    today=st.dates(),
    active=st.booleans(),
)
def test_effective_scope_never_grants_more_than_was_consented(
    scope: Scope, until: date | None, today: date, active: bool
) -> None:
    granted = effective_scope(CareConsent(scope=scope, until=until), today=today, active=active)
    assert granted <= scope
    assert granted in (scope, Scope.NOTHING)
    if not active or (until is not None and today > until):
        assert granted == Scope.NOTHING
    assert effective_scope(None, today=today, active=active) == Scope.NOTHING
