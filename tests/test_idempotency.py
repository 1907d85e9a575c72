"""A form posted twice with the same one-time key writes once (confide/core/idempotency.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.circles.models import Thread
from confide.circles.tests.factories import join, make_circle
from confide.core.idempotency import FIELD, IdempotencyMiddleware, idempotency_keys_purge
from confide.core.models import IdempotencyKey
from confide.pairs.models import CheckIn, Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db
KEY_INPUT = re.compile(r'<input type="hidden" name="idempotency_key" value="([A-Za-z0-9_-]{22})">')


def _key_on(page: str) -> str:
    found = KEY_INPUT.findall(page)
    assert found, "the form carries no idempotency key"
    return found[0]


def _checkin(note: str, key: str) -> dict[str, object]:
    return {"mood": "3", "feelings": ["tired"], "needs": ["rest"], "note": note,
            "visibility": "shared", FIELD: key}  # fmt: skip


def test_every_form_gets_a_fresh_key_beside_its_csrf_input(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    url = reverse("pairs:checkin", args=[pair.pk])
    first, second = (client.get(url).content.decode() for _ in range(2))

    assert 'name="csrfmiddlewaretoken"' in first
    assert _key_on(first) != _key_on(second)


def test_pages_for_people_not_signed_in_carry_no_key(client: Client) -> None:
    page = client.get(reverse("accounts:login")).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page
    assert "idempotency_key" not in page


def test_the_same_checkin_posted_twice_with_one_key_is_written_once(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    url = reverse("pairs:checkin", args=[pair.pk])
    key = _key_on(client.get(url).content.decode())

    first = client.post(url, _checkin("Slept well.", key))
    retry = client.post(url, _checkin("Something else.", key))

    assert first.status_code == 302
    assert retry.status_code == 302 and retry["Location"] == first["Location"]
    assert retry["Idempotent-Replay"] == "true"
    checkin = CheckIn.objects.get()
    assert checkin.note == "Slept well."  # the retry did not run the view again


def test_the_same_circle_post_twice_with_one_key_makes_one_thread_and_a_new_key_another(
    alex: User, dana: User
) -> None:
    circle = make_circle(dana)
    join(circle, alex, "Harbour")
    client = client_for(alex)
    url = reverse("circles:thread_new", args=[circle.pk])
    key = _key_on(client.get(url).content.decode())
    form = {"title": "Hello", "body": "First time here.", "content_note": "", FIELD: key}

    answers = [client.post(url, form) for _ in range(3)]
    assert {answer.status_code for answer in answers} == {302}
    assert len({answer["Location"] for answer in answers}) == 1
    assert Thread.objects.count() == 1

    client.post(url, {**form, FIELD: _key_on(client.get(url).content.decode())})
    assert Thread.objects.count() == 2


def test_a_form_with_errors_keeps_no_claim_so_the_corrected_form_goes_through(
    alex: User, pair: Pair
) -> None:
    client = client_for(alex)
    url = reverse("pairs:checkin", args=[pair.pk])
    key = _key_on(client.get(url).content.decode())

    refused = client.post(url, {**_checkin("", key), "mood": "9"})
    assert refused.status_code in {200, 400}
    assert not CheckIn.objects.exists()
    assert not IdempotencyKey.objects.exists()

    assert client.post(url, _checkin("Better now.", key)).status_code == 302
    assert CheckIn.objects.count() == 1


def test_the_same_key_from_another_person_is_their_own(alex: User, blake: User, pair: Pair) -> None:
    url = reverse("pairs:checkin", args=[pair.pk])
    key = "k" * 22
    client_for(alex).post(url, _checkin("Mine.", key))
    client_for(blake).post(url, _checkin("Mine too.", key))

    assert CheckIn.objects.count() == 2


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "has spaces in it ok", "ключ" * 6])
def test_a_missing_or_malformed_key_is_ignored_and_the_post_runs_each_time(
    alex: User, dana: User, key: str
) -> None:
    circle = make_circle(dana)
    join(circle, alex, "Harbour")
    client = client_for(alex)
    url = reverse("circles:thread_new", args=[circle.pk])
    for _ in range(2):
        client.post(url, {"title": "Hi", "body": "Hello.", "content_note": "", FIELD: key})

    assert Thread.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_server_error_keeps_nothing_of_the_request(alex: User) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        User.objects.filter(pk=alex.pk).update(display_name="Changed")
        return HttpResponse(status=500)

    request = RequestFactory().post("/x/", {FIELD: "e" * 22})
    request.user = alex
    IdempotencyMiddleware(view)(request)

    alex.refresh_from_db()
    assert alex.display_name != "Changed"
    assert not IdempotencyKey.objects.exists()


def test_a_claim_that_vanished_under_a_conflict_is_an_error_not_a_silent_pass(
    alex: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def conflict(**kwargs: object) -> None:
        raise IntegrityError

    monkeypatch.setattr(IdempotencyKey.objects, "create", conflict)
    request = RequestFactory().post("/x/", {FIELD: "c" * 22})
    request.user = alex

    with pytest.raises(IntegrityError):
        IdempotencyMiddleware(lambda request: HttpResponse())(request)


def test_keys_are_forgotten_after_a_day(alex: User) -> None:
    now = timezone.now()
    IdempotencyKey.objects.create(
        scope="u:1", key="old", status=302, created_at=now - timedelta(days=2)
    )
    IdempotencyKey.objects.create(scope="u:1", key="new", status=302, created_at=now)

    with time_machine.travel(now, tick=False):
        assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
