from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from confide.pairs.models import CheckIn, ListeningReply, Pair, PromptRound

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return (CheckIn.objects.count(), ListeningReply.objects.count(), PromptRound.objects.count())


def test_the_demo_gives_the_pair_three_weeks_and_runs_twice_without_duplicates() -> None:
    call_command("demo", stdout=StringIO())
    pair = Pair.objects.get()
    days = set(CheckIn.objects.filter(pair=pair).values_list("day", flat=True))
    assert len(days) >= 20
    assert ListeningReply.objects.exists()
    assert CheckIn.objects.filter(understood__isnull=False).exists()
    assert PromptRound.objects.filter(revealed_at__isnull=False).count() >= 5
    counts = _counts()
    call_command("demo", stdout=StringIO())
    assert Pair.objects.count() == 1
    assert _counts() == counts
    # Every demo note still decrypts.
    assert all(isinstance(c.note, str) for c in CheckIn.objects.all())


def test_the_demo_refuses_production(settings: object) -> None:
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="production"):
        call_command("demo")
