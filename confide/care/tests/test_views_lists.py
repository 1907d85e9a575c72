"""The care lists that grow with use come a page at a time, in a fixed order, with the same
number of queries for 3 rows as for 60: the console's applications and verified counsellors,
a counsellor's notes, and the notes on one client's page. A bad page number is the first page,
one past the end the last (Django's `get_page`, as on every paginated page)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.care.models import CareRelationship, Scope
from confide.care.selectors import CONSOLE_PAGE, NOTES_PAGE
from confide.care.services import note_add
from confide.care.tests.factories import make_care, make_counsellor
from confide.pairs.models import Pair
from confide.privacy.models import AccessRecord
from tests.personas import client_for

pytestmark = pytest.mark.django_db

# Pinned: the same for 3 rows and for 60.
APPLICATIONS_QUERIES = 9
COUNSELLORS_QUERIES = 9
NOTES_QUERIES = 9
CASE_QUERIES = 17


def _people(n: int, *, verified: bool) -> list[User]:
    people = []
    for i in range(n):
        # Names sort in creation order (the verified list is by name).
        person = UserFactory.create(email=f"c{i:02}@example.org", display_name=f"Counsellor {i:02}")
        make_counsellor(person, verified=verified)
        people.append(person)
    return people


def _shown(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


def _notes(relationship: CareRelationship, counsellor: User, n: int) -> None:
    # One instant for all: the order falls back on the newest row first, never at random.
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False):
        for i in range(n):
            note_add(relationship=relationship, counsellor=counsellor, text=f"Note {i:02}")


@pytest.mark.parametrize("rows", [3, 60])
def test_the_applications_list_keeps_a_fixed_number_of_queries(
    operator: User, rows: int, django_assert_num_queries: Any
) -> None:
    _people(rows, verified=False)
    console = client_for(operator)
    url = reverse("console:applications")
    console.get(url)
    with django_assert_num_queries(APPLICATIONS_QUERIES):
        response = console.get(url)
    assert response.status_code == 200
    assert len(_shown(response.content.decode(), r"Verify Counsellor \d\d")) == min(
        rows, CONSOLE_PAGE
    )


@pytest.mark.parametrize("rows", [3, 60])
def test_the_verified_list_keeps_a_fixed_number_of_queries(
    operator: User, rows: int, django_assert_num_queries: Any
) -> None:
    _people(rows, verified=True)
    console = client_for(operator)
    url = reverse("console:counsellors")
    console.get(url)
    with django_assert_num_queries(COUNSELLORS_QUERIES):
        response = console.get(url)
    assert response.status_code == 200
    assert len(_shown(response.content.decode(), r"Withdraw Counsellor \d\d")) == min(
        rows, CONSOLE_PAGE
    )


def _names(console: Client, url: str, pattern: str) -> list[str]:
    response = console.get(url)
    assert response.status_code == 200
    return _shown(response.content.decode(), pattern)


@pytest.mark.parametrize(
    ("name", "verified", "pattern"),
    [
        ("console:applications", False, r"Verify (Counsellor \d\d)"),
        ("console:counsellors", True, r"Withdraw (Counsellor \d\d)"),
    ],
)
def test_the_console_lists_come_a_page_at_a_time_and_record_only_who_is_shown(
    operator: User, name: str, verified: bool, pattern: str
) -> None:
    people = _people(CONSOLE_PAGE + 5, verified=verified)
    console = client_for(operator)
    url = reverse(name)
    first = console.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert f'href="?page=2" rel="next"' in first
    # Only the people on the page are recorded as seen.
    seen = set(AccessRecord.objects.filter(role="operator").values_list("subject_id", flat=True))
    assert seen == {p.pk for p in people[:CONSOLE_PAGE]}
    second = _names(console, f"{url}?page=2", pattern)
    assert second == [f"Counsellor {i:02}" for i in range(CONSOLE_PAGE, CONSOLE_PAGE + 5)]
    everyone = _names(console, url, pattern) + second
    assert everyone == [p.display_name for p in people]
    # A bad page number: the first page; one past the end: the last, as elsewhere.
    assert _names(console, f"{url}?page=abc", pattern) == everyone[:CONSOLE_PAGE]
    assert _names(console, f"{url}?page=999", pattern) == second


def test_a_short_console_list_has_no_page_links(operator: User) -> None:
    _people(2, verified=False)
    page = client_for(operator).get(reverse("console:applications")).content.decode()
    assert 'class="pagination"' not in page


@pytest.mark.parametrize("rows", [3, 60])
def test_the_notes_page_keeps_a_fixed_number_of_queries(
    pair: Pair, alex: User, eli: User, rows: int, django_assert_num_queries: Any
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    _notes(relationship, eli, rows)
    counsellor = client_for(eli)
    url = reverse("care:notes")
    counsellor.get(url)
    with django_assert_num_queries(NOTES_QUERIES):
        response = counsellor.get(url)
    assert response.status_code == 200
    assert len(_shown(response.content.decode(), r"Note \d\d")) == min(rows, NOTES_PAGE)


@pytest.mark.parametrize("rows", [3, 60])
def test_a_clients_page_keeps_a_fixed_number_of_queries_with_many_notes(
    pair: Pair, alex: User, eli: User, rows: int, django_assert_num_queries: Any
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    _notes(relationship, eli, rows)
    counsellor = client_for(eli)
    url = reverse("care:case", args=[relationship.pk])
    counsellor.get(url)
    with django_assert_num_queries(CASE_QUERIES):
        response = counsellor.get(url)
    assert response.status_code == 200
    assert len(_shown(response.content.decode(), r"Note \d\d")) == min(rows, NOTES_PAGE)


@pytest.mark.parametrize("name", ["care:notes", "care:case"])
def test_notes_come_newest_first_a_page_at_a_time(
    pair: Pair, alex: User, eli: User, name: str
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    total = NOTES_PAGE * 2 + 3
    _notes(relationship, eli, total)
    counsellor = client_for(eli)
    url = reverse(name, args=[relationship.pk] if name == "care:case" else [])
    pages = [_names(counsellor, f"{url}?page={n}", r"Note \d\d") for n in (1, 2, 3)]
    # Every note once, the newest first, across the pages.
    assert [note for page in pages for note in page] == [
        f"Note {i:02}" for i in reversed(range(total))
    ]
    assert "Page 3 of 3" in counsellor.get(f"{url}?page=3").content.decode()
    assert _names(counsellor, f"{url}?page=abc", r"Note \d\d") == pages[0]
    assert _names(counsellor, f"{url}?page=999", r"Note \d\d") == pages[2]
    assert _names(counsellor, f"{url}?page=-1", r"Note \d\d") == pages[2]
