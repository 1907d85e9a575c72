"""The measures export and erasure handlers (see confide/measures/privacy.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import models

from confide.accounts.models import User
from confide.measures.models import MeasureResponse, NormsCalibration, ShareConsent
from confide.measures.privacy import measures_erase, measures_export
from confide.measures.services import sharing_set
from confide.measures.tests.helpers import ITEMS, answer_weekly
from confide.pairs.models import Pair
from confide.privacy.registry import privacy_handlers
from confide.privacy.tests.schema import SCHEMA_PATH, validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def answered(pair: Pair, alex: User, blake: User) -> Pair:
    answer_weekly(alex, pair, 4, 5, 2, 4, 3, 5)
    answer_weekly(blake, pair, 1, 2, 3, 2, 1, 2)
    sharing_set(pair=pair, person=alex, shared=True)
    sharing_set(pair=pair, person=blake, shared=True)
    return pair


def test_measures_registers_its_handler() -> None:
    handler = next(h for h in privacy_handlers() if h.app == "measures")
    assert (handler.export, handler.erase) == (measures_export, measures_erase)
    assert set(handler.models) == {MeasureResponse, ShareConsent}


def test_the_export_holds_alex_s_answers_and_scores_only(
    answered: Pair, alex: User, blake: User
) -> None:
    data = measures_export(alex)
    assert json.loads(json.dumps(data)) == data
    (response,) = data["responses"]
    assert response["instrument"] == "weekly-closeness"
    assert response["taken_on"] == "2026-03-04"
    assert response["answers"] == dict(zip(ITEMS, [4, 5, 2, 4, 3, 5], strict=True))
    assert response["scores"]["total"] is not None
    assert response["context"] == f"pair:{answered.pk}"
    assert data["share_consents"] == [
        {"pair_id": str(answered.pk), "shared": True, "updated_at": "2026-03-04T12:00:00+00:00"}
    ]
    dumped = json.dumps(data)
    blake_response = MeasureResponse.objects.get(person=blake)
    assert str(blake_response.pk) not in dumped
    assert blake.email not in dumped and blake.display_name not in dumped


def test_erasure_deletes_alex_s_responses_and_consents_and_keeps_blake_s(
    answered: Pair, alex: User, blake: User
) -> None:
    norms = list(NormsCalibration.objects.values())
    measures_erase(alex)
    assert not MeasureResponse.objects.filter(person=alex).exists()
    assert not ShareConsent.objects.filter(person=alex).exists()
    assert MeasureResponse.objects.get(person=blake).answers["understood"] == 1
    assert ShareConsent.objects.get(person=blake).shared
    assert list(NormsCalibration.objects.values()) == norms  # aggregates stay


def test_norm_calibrations_point_at_nobody() -> None:
    """Kept on erasure, so they must hold nothing about any one person."""
    relations = [f for f in NormsCalibration._meta.concrete_fields if f.is_relation]
    assert relations == []
    assert {f.name for f in NormsCalibration._meta.concrete_fields} == {
        "id",
        "instrument_id",
        "n",
        "sd",
        "reliability",
        "computed_at",
    }
    assert not any(isinstance(f, models.TextField) for f in NormsCalibration._meta.fields)


def _section_schema(app: str) -> dict[str, Any]:
    """The app's section in docs/export-schema.json."""
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    section: dict[str, Any] = schema["properties"]["sections"]["properties"][app]
    return section


def test_the_export_follows_the_documented_schema(answered: Pair, alex: User) -> None:
    assert validate(measures_export(alex), _section_schema("measures")) == []
