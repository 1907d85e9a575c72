"""Fixtures for the whole suite live in tests/personas.py, so that every app's tests see them."""

from __future__ import annotations

pytest_plugins = ["tests.personas"]
