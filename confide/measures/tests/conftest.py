"""Fixtures for the measures tests: frozen time and an operator's instrument folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings

from confide.measures.registry import forget_instruments
from confide.measures.tests.helpers import NOW, PERSON_INSTRUMENT


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def operator_instruments(tmp_path: Path) -> Iterator[Path]:
    """An operator's folder holding one person-level instrument (and a broken file)."""
    (tmp_path / "my-calm.toml").write_text(PERSON_INSTRUMENT)
    (tmp_path / "broken.toml").write_text("id = [\n")
    forget_instruments()
    with override_settings(CONFIDE_INSTRUMENTS_DIR=str(tmp_path)):
        yield tmp_path
    forget_instruments()
