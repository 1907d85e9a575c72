"""Where instruments come from: the files shipped here, and an operator's folder.

Operators add their own (licensed) instruments as `.toml` files in `CONFIDE_INSTRUMENTS_DIR`
(default: `instruments/` in the data folder). A file with problems is left out and logged by
name; `confide instruments check FILE` says what is wrong with it.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404

from confide.measures.instrument import Instrument, InstrumentError, load_instrument

BUILTIN_DIR = Path(__file__).resolve().parent / "instruments"
logger = logging.getLogger(__name__)


def operator_dir() -> Path:
    configured = getattr(settings, "CONFIDE_INSTRUMENTS_DIR", None) or os.environ.get(
        "CONFIDE_INSTRUMENTS_DIR"
    )
    return Path(configured) if configured else Path(settings.DATA_DIR) / "instruments"


def _load_folder(folder: Path, found: dict[str, Instrument]) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.toml")):
        try:
            instrument = load_instrument(path)
        except InstrumentError as error:
            logger.warning("instrument file %s left out: %d problem(s)", path, len(error.problems))
            continue
        if instrument.id in found:
            logger.warning("instrument file %s left out: id %s is taken", path, instrument.id)
            continue
        found[instrument.id] = instrument


@cache
def _instruments(operator_folder: Path) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    _load_folder(BUILTIN_DIR, found)
    _load_folder(operator_folder, found)
    return found


def all_instruments() -> dict[str, Instrument]:
    """Every usable instrument by id: the shipped ones first, then the operator's."""
    return _instruments(operator_dir())


def forget_instruments() -> None:
    """Read the folders again on next use (tests, or after an operator adds a file)."""
    _instruments.cache_clear()


def get_instrument(instrument_id: str) -> Instrument:
    instrument = all_instruments().get(instrument_id)
    if instrument is None:
        raise Http404
    return instrument
