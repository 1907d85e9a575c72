"""The care lists that grow with use come a page at a time, in a fixed order, with the same
number of queries for 3 rows as for 60: the console's applications and verified counsellors,
a counsellor's notes, and the notes on one client's page. A bad page number is the first page,
one past the end the last (Django's `get_page`, as on every paginated page)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.care.models import CareRelationship, Homework, Scope
from confide.care.selectors import (
    CASES_PAGE,
    CONSOLE_PAGE,
    HISTORY_PAGE,
    HOMEWORK_PAGE,
    NOTES_PAGE,
    TOPICS_PAGE,
)
from confide.care.services import consent_set, homework_assign, note_add, relationship_invite
from confide.care.tests.factories import make_care, make_counsellor
from confide.pairs.models import Pair
from confide.privacy.models import AccessRecord
from tests.personas import client_for, page_in_queries

pytestmark = pytest.mark.django_db

# Pinned: the same for 3 rows and for 60.
APPLICATIONS_QUERIES = 6
COUNSELLORS_QUERIES = 6
NOTES_QUERIES = 9
CASE_QUERIES = 18
HOMEWORK_QUERIES = {"care:case": 18, "care:relationship": 15}
CLIENTS_QUERIES = 10
CLIENT_QUERIES = 16
RELATIONSHIP_QUERIES = 14
INDEX_QUERIES = 9


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


def _notes(
    relationship: CareRelationship, counsellor: User, n: int, *, same_instant: bool = False
) -> None:
    """Notes "Note 00" to "Note n-1", a minute apart (or all at one instant)."""
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    for i in range(n):
        with time_machine.travel(start + timedelta(minutes=0 if same_instant else i), tick=False):
            note_add(relationship=relationship, counsellor=counsellor, text=f"Note {i:02}")


@pytest.mark.parametrize("rows", [3, 60])
def test_the_applications_list_keeps_a_fixed_number_of_queries(
    operator: User, rows: int, django_assert_num_queries: Any
) -> None:
    _people(rows, verified=False)
    console = client_for(operator)
    url = reverse("console:applications")
    page = page_in_queries(console, url, APPLICATIONS_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"Verify Counsellor \d\d")) == min(rows, CONSOLE_PAGE)


@pytest.mark.parametrize("rows", [3, 60])
def test_the_verified_list_keeps_a_fixed_number_of_queries(
    operator: User, rows: int, django_assert_num_queries: Any
) -> None:
    _people(rows, verified=True)
    console = client_for(operator)
    url = reverse("console:counsellors")
    page = page_in_queries(console, url, COUNSELLORS_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"Withdraw Counsellor \d\d")) == min(rows, CONSOLE_PAGE)


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
    assert 'href="?page=2" rel="next"' in first
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
    page = page_in_queries(counsellor, url, NOTES_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"Note \d\d")) == min(rows, NOTES_PAGE)


@pytest.mark.parametrize("rows", [3, 60])
def test_a_clients_page_keeps_a_fixed_number_of_queries_with_many_notes(
    pair: Pair, alex: User, eli: User, rows: int, django_assert_num_queries: Any
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    _notes(relationship, eli, rows)
    counsellor = client_for(eli)
    url = reverse("care:case", args=[relationship.pk])
    page = page_in_queries(counsellor, url, CASE_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"Note \d\d")) == min(rows, NOTES_PAGE)


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


def test_notes_written_at_one_instant_each_come_once_across_the_pages(
    pair: Pair, alex: User, eli: User
) -> None:
    """The id breaks ties in time, so no note is shown twice or skipped between pages."""
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    total = NOTES_PAGE * 2 + 3
    _notes(relationship, eli, total, same_instant=True)
    counsellor = client_for(eli)
    url = reverse("care:notes")
    shown = [
        n for page in (1, 2, 3) for n in _names(counsellor, f"{url}?page={page}", r"Note \d\d")
    ]
    assert sorted(shown) == [f"Note {i:02}" for i in range(total)]
    again = [
        n for page in (1, 2, 3) for n in _names(counsellor, f"{url}?page={page}", r"Note \d\d")
    ]
    assert again == shown


def _clients(counsellor: User, n: int) -> list[CareRelationship]:
    """People "Client 00" to "Client n-1" each invite the counsellor, a minute apart."""
    start = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)
    made = []
    for i in range(n):
        person = UserFactory.create(
            email=f"client{i:02}@example.org", display_name=f"Client {i:02}"
        )
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            made.append(
                relationship_invite(inviter=person, counsellor_email=counsellor.email, pair=None)
            )
    return made


@pytest.mark.parametrize("rows", [3, 60])
def test_the_clients_page_keeps_a_fixed_number_of_queries(
    eli: User, rows: int, django_assert_num_queries: Any
) -> None:
    make_counsellor(eli)
    _clients(eli, rows)
    counsellor = client_for(eli)
    url = reverse("care:counsellor")
    page = page_in_queries(counsellor, url, CLIENTS_QUERIES, django_assert_num_queries)
    shown = set(_shown(page, r"Client \d\d"))
    assert len(shown) == min(rows, CASES_PAGE)


def test_clients_come_a_page_at_a_time_the_newest_first(eli: User) -> None:
    make_counsellor(eli)
    total = CASES_PAGE + 3
    _clients(eli, total)
    counsellor = client_for(eli)
    url = reverse("care:counsellor")
    first = counsellor.get(url).content.decode()
    assert "Page 1 of 2" in first
    # Only the clients on the page are recorded as seen, once each.
    assert AccessRecord.objects.filter(kind="care.overview").count() == CASES_PAGE

    def names(query: str) -> list[str]:
        return list(dict.fromkeys(_names(counsellor, f"{url}{query}", r"Client \d\d")))

    pages = [names("?page=1"), names("?page=2")]
    assert pages[0] + pages[1] == [f"Client {i:02}" for i in reversed(range(total))]
    assert names("?page=abc") == pages[0]
    assert names("?page=999") == pages[1]


def _homework(relationship: CareRelationship, counsellor: User, n: int) -> list[Homework]:
    """Homework due one day apart from 1 March 2030, the earliest first."""
    return [
        homework_assign(
            relationship=relationship,
            counsellor=counsellor,
            kind="measure",
            target="weekly-closeness",
            due_on=date(2030, 3, 1) + timedelta(days=i),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("rows", [3, 60])
@pytest.mark.parametrize(("who", "name"), [("eli", "care:case"), ("alex", "care:relationship")])
def test_the_homework_pages_keep_a_fixed_number_of_queries(
    pair: Pair,
    alex: User,
    blake: User,
    eli: User,
    rows: int,
    who: str,
    name: str,
    django_assert_num_queries: Any,
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    _homework(relationship, eli, rows)
    client = client_for(eli if who == "eli" else alex)
    url = reverse(name, args=[relationship.pk])
    page = page_in_queries(client, url, HOMEWORK_QUERIES[name], django_assert_num_queries)
    assert page.count("not done yet") == min(rows, HOMEWORK_PAGE)


@pytest.mark.parametrize(("who", "name"), [("eli", "care:case"), ("alex", "care:relationship")])
def test_homework_comes_a_page_at_a_time_the_latest_due_first(
    pair: Pair, alex: User, blake: User, eli: User, who: str, name: str
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    made = _homework(relationship, eli, HOMEWORK_PAGE + 3)
    client = client_for(eli if who == "eli" else alex)
    url = reverse(name, args=[relationship.pk])
    first = client.get(url).content.decode()
    assert 'aria-label="Pages of homework"' in first
    assert 'href="?homework=2" rel="next">Earlier<' in first

    def due(query: str) -> list[str]:
        return _names(client, f"{url}{query}", r"due (\d+ March)")

    pages = [due("?homework=1"), due("?homework=2")]
    assert pages[0] + pages[1] == [f"{h.due_on.day} March" for h in reversed(made)]
    assert due("?homework=abc") == pages[0]
    assert due("?homework=999") == pages[1]


def _topics(pair: Pair, person: User, n: int) -> None:
    """Topics "Topic 00" to "Topic n-1", raised a minute apart."""
    from confide.dialogue.services.topics import topic_create

    start = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)
    for i in range(n):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            topic_create(pair=pair, raised_by=person, title=f"Topic {i:02}")


@pytest.mark.parametrize("rows", [3, 60])
def test_a_clients_topics_keep_a_fixed_number_of_queries(
    pair: Pair, alex: User, eli: User, rows: int, django_assert_num_queries: Any
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS})
    _topics(pair, alex, rows)
    counsellor = client_for(eli)
    url = reverse("care:client", args=[relationship.pk, alex.pk])
    page = page_in_queries(counsellor, url, CLIENT_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"Topic \d\d")) == min(rows, TOPICS_PAGE)


def test_a_clients_topics_come_a_page_at_a_time_the_latest_first(
    pair: Pair, alex: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS})
    total = TOPICS_PAGE + 3
    _topics(pair, alex, total)
    counsellor = client_for(eli)
    url = reverse("care:client", args=[relationship.pk, alex.pk])
    assert "Page 1 of 2" in counsellor.get(url).content.decode()
    pages = [_names(counsellor, f"{url}?page={n}", r"Topic \d\d") for n in (1, 2)]
    assert pages[0] + pages[1] == [f"Topic {i:02}" for i in reversed(range(total))]
    assert _names(counsellor, f"{url}?page=abc", r"Topic \d\d") == pages[0]
    assert _names(counsellor, f"{url}?page=999", r"Topic \d\d") == pages[1]


def _changes(relationship: CareRelationship, person: User, n: int) -> None:
    """n changes of the person's consent, a minute apart, ending on "measures only"."""
    start = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)
    scopes = [Scope.MEASURES_TOPICS, Scope.MEASURES]
    for i in range(n):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            consent_set(
                relationship=relationship,
                person=person,
                actor=person,
                scope=scopes[(n - 1 - i) % 2],
                until=None,
            )


@pytest.mark.parametrize("rows", [3, 60])
def test_the_changes_to_consent_keep_a_fixed_number_of_queries(
    pair: Pair, alex: User, eli: User, rows: int, django_assert_num_queries: Any
) -> None:
    relationship = make_care(eli, pair)
    _changes(relationship, alex, rows)
    client = client_for(alex)
    url = reverse("care:relationship", args=[relationship.pk])
    page = page_in_queries(client, url, RELATIONSHIP_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"You: Measures")) == min(rows, HISTORY_PAGE)


def test_the_changes_to_consent_come_a_page_at_a_time_the_latest_first(
    pair: Pair, alex: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    total = HISTORY_PAGE + 3
    _changes(relationship, alex, total)
    client = client_for(alex)
    url = reverse("care:relationship", args=[relationship.pk])
    first = client.get(url).content.decode()
    assert 'aria-label="Pages of changes to consent"' in first
    assert 'href="?page=2" rel="next"' in first

    def times(query: str) -> list[str]:
        return _names(client, f"{url}{query}", r"\d\d:(\d\d) · You")  # the minutes

    pages = [times("?page=1"), times("?page=2")]
    expected = [f"{i:02}" for i in reversed(range(total))]
    assert pages[0] + pages[1] == expected
    assert times("?page=abc") == pages[0]
    assert times("?page=999") == pages[1]


def _counsellors_of(person: User, n: int) -> None:
    """The person invites counsellors "Counsellor 00" to "Counsellor n-1", a minute apart."""
    start = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)
    for i, counsellor in enumerate(_people(n, verified=True)):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            relationship_invite(inviter=person, counsellor_email=counsellor.email, pair=None)


@pytest.mark.parametrize("rows", [3, 60])
def test_a_persons_care_page_keeps_a_fixed_number_of_queries(
    alex: User, rows: int, django_assert_num_queries: Any
) -> None:
    _counsellors_of(alex, rows)
    client = client_for(alex)
    url = reverse("care:index")
    page = page_in_queries(client, url, INDEX_QUERIES, django_assert_num_queries)
    assert len(_shown(page, r"Counsellor \d\d")) == min(rows, CASES_PAGE)


def test_a_persons_counsellors_come_a_page_at_a_time_the_latest_first(alex: User) -> None:
    total = CASES_PAGE + 3
    _counsellors_of(alex, total)
    client = client_for(alex)
    url = reverse("care:index")
    assert "Page 1 of 2" in client.get(url).content.decode()
    pages = [_names(client, f"{url}?page={n}", r"Counsellor \d\d") for n in (1, 2)]
    assert pages[0] + pages[1] == [f"Counsellor {i:02}" for i in reversed(range(total))]
    assert _names(client, f"{url}?page=abc", r"Counsellor \d\d") == pages[0]
    assert _names(client, f"{url}?page=999", r"Counsellor \d\d") == pages[1]
