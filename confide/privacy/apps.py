from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "confide.privacy"
    label = "privacy"

    def ready(self) -> None:
        from confide.core.scheduler import register_sweep
        from confide.privacy.handler import register
        from confide.privacy.sweep import exports_due, exports_expire_due

        register()
        register_sweep("privacy-exports", find=exports_due, send=exports_expire_due)
