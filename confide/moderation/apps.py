from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "confide.moderation"
    label = "moderation"

    def ready(self) -> None:
        from confide.moderation.privacy import moderation_privacy_register
        from confide.privacy.accesslog import access_kind_register

        access_kind_register("moderation.report", _("a report about something you wrote"))
        moderation_privacy_register()

        from confide.core.due import register_due
        from confide.moderation.due import reports_due

        register_due("moderation", reports_due)
