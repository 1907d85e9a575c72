"""The accounts app's export and erasure handler (see confide/privacy/registry.py).

Erasure keeps the User row as a tombstone: the access log and other records point at it, so
it stays, with nothing left in it that names or reaches the person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts.models import EmailToken, NoticeSeen, RecoveryCode, SessionRecord, User
from confide.accounts.sessions import sessions_end_others
from confide.privacy.document import iso
from confide.privacy.registry import privacy_handler_register

TOMBSTONE_NAME = "Removed"
TOMBSTONE_DOMAIN = "erased.invalid"


def accounts_export(user: User) -> dict[str, object]:
    sessions = SessionRecord.objects.filter(user=user).order_by("-last_seen_at")
    return {
        "email_confirmed": user.email_verified,
        "country": user.country,
        "two_step_login": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "recovery_codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        "sessions": [
            {
                "device": record.device,
                "started_at": iso(record.created_at),
                "last_seen_at": iso(record.last_seen_at),
            }
            for record in sessions
        ],
    }


def accounts_erase(user: User) -> None:
    """End every session and turn the account into a tombstone that can never log in."""
    # An empty "current" hash ends them all, and closes their open sockets after commit.
    sessions_end_others(user=user, current_key_hash="")
    SessionRecord.objects.filter(user=user).delete()
    EmailToken.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    # Which notices were acknowledged is page state, not something the person wrote: erased,
    # and left out of the export.
    NoticeSeen.objects.filter(user=user).delete()
    user.email = f"erased-{uuid.uuid4().hex}@{TOMBSTONE_DOMAIN}"
    user.display_name = TOMBSTONE_NAME
    user.time_zone = "UTC"
    user.locale = settings.LANGUAGE_CODE
    user.country = ""
    user.email_verified_at = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    # Unusable, which also changes the session hash: every session still open ends.
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def register() -> None:
    privacy_handler_register(
        app="accounts",
        models=(User, EmailToken, RecoveryCode, SessionRecord, TOTPDevice, NoticeSeen),
        export=accounts_export,
        erase=accounts_erase,
    )
