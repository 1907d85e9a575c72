"""Fixtures for the whole suite live in tests/personas.py, so that every app's tests see them."""

from __future__ import annotations

pytest_plugins = ["tests.personas"]

import os  # noqa: E402

from hypothesis import settings  # noqa: E402

# Property tests explore at random while developing; in CI the same examples run every time,
# so a run's result does not depend on luck.
settings.register_profile("confide", deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("confide"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "confide")
