from __future__ import annotations

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "confide.measures"
    label = "measures"

    def ready(self) -> None:
        from confide.measures.privacy import measures_privacy_register

        measures_privacy_register()

        from confide.core.scheduler import register_sweep
        from confide.measures.services import norms_deliver, norms_due

        register_sweep("measures.norms", find=norms_due, send=norms_deliver)
