from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "confide.care"
    label = "care"
    verbose_name = "Care"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from confide.accounts.twofactor import register_second_factor_role
        from confide.care.access import is_verified_counsellor
        from confide.care.due import due_today
        from confide.care.privacy import CARE_MODELS, care_aliases, care_erase, care_export
        from confide.care.services import findings_tally
        from confide.core.due import register_due
        from confide.privacy.accesslog import access_kind_register
        from confide.privacy.registry import privacy_handler_register
        from confide.safety.services import register_stored_listener

        access_kind_register("care.overview", _("your name, your consent and homework done"))
        access_kind_register("care.measures", _("your measures"))
        access_kind_register("care.topics", _("your measures, topics and figures over time"))
        access_kind_register(
            "care.shared", _("your measures, topics, figures and what you shared in your pair")
        )
        access_kind_register("care.application", _("your application to counsel"))
        register_second_factor_role(is_verified_counsellor)
        register_due("care", due_today)
        register_stored_listener(findings_tally)
        privacy_handler_register(
            app="care",
            models=CARE_MODELS,
            export=care_export,
            erase=care_erase,
            aliases=care_aliases,
        )
