"""Error pages speak to people, keep the crisis link, and load nothing from elsewhere."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from confide.accounts.models import User
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_plain_words_with_the_safety_bar(alex: User) -> None:
    response = client_for(alex).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "This page is not here" in body
    assert "Crisis resources" in body
    assert "Quick exit" in body


def test_a_server_error_page_renders_on_its_own_without_the_request() -> None:
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "/help/crisis/" in body
    assert "http://" not in body and "https://" not in body
