from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from confide.privacy import keycache


@pytest.fixture
def key_file(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """A fresh key file keyring per test, and no cached keys from earlier tests."""
    settings.CONFIDE_MASTER_KEY = ""
    settings.CONFIDE_MASTER_KEY_OLD = ""
    settings.CONFIDE_KEY_FILE = tmp_path / "keys" / "master.key"
    keycache.forget_cached_keys()
    yield settings.CONFIDE_KEY_FILE
    keycache.forget_cached_keys()
