from __future__ import annotations

from django.apps import AppConfig


class PrivacyTestAppConfig(AppConfig):
    """Concrete models for the privacy tests; installed by tests/settings.py only."""

    name = "confide.privacy.tests.testapp"
    label = "privacy_testapp"
    default_auto_field = "django.db.models.BigAutoField"
