from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from confide.pairs.models import Pair
from confide.together.models import Plan, TogetherTime

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    return Plan.objects.count(), TogetherTime.objects.count()


def test_the_demo_pair_has_time_together_and_a_second_run_adds_nothing() -> None:
    call_command("demo", stdout=StringIO())
    pair = Pair.objects.get()
    now = timezone.now()
    coming = Plan.objects.filter(pair=pair, status=Plan.Status.PLANNED, starts_at__gt=now)
    assert coming.count() == 2
    assert Plan.objects.filter(pair=pair, status=Plan.Status.DONE).count() == 2
    assert Plan.objects.filter(pair=pair, status=Plan.Status.CANCELLED).count() == 1
    times = TogetherTime.objects.filter(pair=pair)
    assert times.filter(source=TogetherTime.Source.TIMER).count() == 6
    assert not times.filter(stopped_at__isnull=True).exists()  # no timer left running
    assert all(t.started_at < now for t in times)
    assert all(isinstance(p.what, str) and p.what for p in Plan.objects.all())  # they decrypt
    counts = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == counts
