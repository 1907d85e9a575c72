"""Shared helpers for the measures tests."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import TestCase
from django.urls import reverse

from confide.accounts.models import User
from confide.measures.registry import all_instruments
from confide.measures.services import response_submit
from confide.pairs.models import Pair

# A Wednesday; its ISO week is 2026-W10 (Monday 2 March to Sunday 8 March).
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
ITEMS = ["understood", "heard", "held-back", "turned-toward", "time-together", "appreciated"]

PERSON_INSTRUMENT = """
id = "my-calm"
version = 1
title = "My calm"
instructions = "About you alone."
audience = "person"
cadence = "weekly"
higher_is_better = true

[scale]
min = 0
max = 3
anchors = [
    { value = 0, label = "Never" },
    { value = 1, label = "Sometimes" },
    { value = 2, label = "Often" },
    { value = 3, label = "Always" },
]

[[items]]
id = "calm"
text = "I felt calm."

[[items]]
id = "rested"
text = "I felt rested."

[scoring]
method = "sum"
max_missing = 0
range = [0, 6]

[norms]
sd = 1.5
reliability = 0.8
source = "A made-up test norm."
"""


def weekly_post(*values: int | str | None) -> dict[str, str]:
    return {f"item-{k}": str(v) for k, v in zip(ITEMS, values, strict=True) if v is not None}


def take_url(pair: Pair, instrument_id: str = "weekly-closeness") -> str:
    return reverse("measures:take_pair", args=[pair.pk, instrument_id])


def answer_weekly(person: User, pair: Pair, *values: int | None) -> None:
    """Answer as a request would: the norms task runs after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response_submit(
            person=person,
            instrument=all_instruments()["weekly-closeness"],
            answers=dict(zip(ITEMS, values, strict=True)),
            pair=pair,
        )
