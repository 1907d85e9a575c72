"""Malformed query strings get a page, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.pairs.models import Pair
from tests.personas import client_for


@pytest.mark.django_db
def test_malformed_query_strings_never_cause_a_server_error(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    urls = [
        reverse("safety:support") + "?kind=fear&pair=not-a-uuid",
        reverse("safety:support") + "?kind=fear&pair=" + "9" * 300,
        reverse("pairs:history", args=[pair.pk]) + "?page=abc",
        reverse("pairs:history", args=[pair.pk]) + "?page=99999",
        reverse("pairs:prompts", args=[pair.pk]) + "?page=-1",
        reverse("measures:progress") + "?pair=zzz",
        reverse("notifications:list") + "?page=x",
        reverse("core:crisis") + "?country=%00%ff",
        reverse("circles:list") + "?page=x",
    ]
    for url in urls:
        assert client.get(url).status_code < 500, url
