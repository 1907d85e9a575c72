from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def link_in_last_email(to: str) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no email to {to}"
    match = re.search(r"http://testserver(/\S+)", str(messages[-1].body))
    assert match, "no link in the email"
    return match.group(1)
