from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "confide.accounts"
    label = "accounts"

    def ready(self) -> None:
        from confide.accounts.privacy import register

        register()
