from __future__ import annotations

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "confide.safety"
    label = "safety"
    verbose_name = _("Safety")

    def ready(self) -> None:
        from confide.safety.checks import check_safety_data
        from confide.safety.privacy import register as register_privacy

        checks.register(check_safety_data)
        register_privacy()
