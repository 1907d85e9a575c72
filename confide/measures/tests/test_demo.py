from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from confide.accounts.models import User
from confide.measures import scoring
from confide.measures.models import MeasureResponse, NormsCalibration
from confide.measures.selectors import norms_for, own_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _weekly_change(email: str) -> str | None:
    person = User.objects.get(email=email)
    [series] = [s for s in own_series(person=person) if s.instrument.id == "weekly-closeness"]
    assert len(series.responses) == 8
    change = series.change(norms_for([series.instrument])["weekly-closeness"])
    return change.label if change else None


def test_the_demo_pair_has_eight_weeks_showing_alex_reliably_closer() -> None:
    call_command("demo", stdout=StringIO())
    calibration = NormsCalibration.objects.get(instrument_id="weekly-closeness")
    assert calibration.n >= scoring.MIN_CALIBRATION
    assert _weekly_change("alex@example.com") == scoring.BETTER
    assert _weekly_change("blake@example.com") == scoring.SAME
    alex = User.objects.get(email="alex@example.com")
    assert (
        MeasureResponse.objects.filter(person=alex, instrument_id="closeness-picture").count() == 8
    )
    # The people who only calibrate the norms cannot log in.
    assert not User.objects.get(email="robin@example.com").has_usable_password()


def test_running_the_demo_twice_creates_nothing_twice() -> None:
    call_command("demo", stdout=StringIO())
    count = MeasureResponse.objects.count()
    call_command("demo", stdout=StringIO())
    assert MeasureResponse.objects.count() == count
    assert User.objects.filter(email__in=["robin@example.com", "sam@example.com"]).count() == 2
