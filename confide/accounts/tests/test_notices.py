"""Notices shown once: who can see what, before a first check-in, circle post and measure."""

from __future__ import annotations

import pytest
from django.urls import reverse

from confide.accounts.models import NoticeSeen, User
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db
TAKE = "Who sees your answers"


def test_the_measure_notice_shows_until_it_is_acknowledged(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    url = reverse("measures:take_pair", args=[pair.pk, "weekly-closeness"])
    page = client.get(url).content.decode()
    assert TAKE in page
    assert "Only you see your answers and scores." in page
    response = client.post(reverse("accounts:notice_seen"), {"key": "privacy.measure", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert TAKE not in client.get(url).content.decode()
    # Acknowledging twice records it once.
    client.post(reverse("accounts:notice_seen"), {"key": "privacy.measure", "next": url})
    assert NoticeSeen.objects.filter(user=alex).count() == 1


def test_the_checkin_notice_says_who_sees_a_checkin(alex: User, pair: Pair) -> None:
    page = client_for(alex).get(reverse("pairs:checkin", args=[pair.pk])).content.decode()
    assert "Who sees your check-in" in page


def test_an_unknown_notice_or_a_foreign_next_changes_nothing(alex: User) -> None:
    client = client_for(alex)
    response = client.post(
        reverse("accounts:notice_seen"), {"key": "nonsense", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert not NoticeSeen.objects.exists()


def test_each_person_acknowledges_for_themselves(alex: User, blake: User, pair: Pair) -> None:
    client_for(alex).post(reverse("accounts:notice_seen"), {"key": "privacy.checkin"})
    page = client_for(blake).get(reverse("pairs:checkin", args=[pair.pk])).content.decode()
    assert "Who sees your check-in" in page
