"""Two-factor login: every read and write about a person's authenticator and recovery codes.

The TOTP device is django-otp's; a code already used (the same time step, or an earlier one)
is refused by its `last_t`. Recovery codes are this app's own, stored as salted hashes
(django-otp's static plugin would keep them in clear). Who *must* use a second factor is
decided by `second_factor_required`, which apps above this one extend through
`register_second_factor_role` (circles: facilitators), so accounts imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts import otp
from confide.accounts.models import RecoveryCode, User
from confide.core.audit import audit_log

DEVICE_NAME = "authenticator"


class TwoFactorError(ValidationError):
    """A refusal to show the person; nothing was changed."""


_role_checks: list[Callable[[User], bool]] = []


def register_second_factor_role(check: Callable[[User], bool]) -> None:
    """Add a rule "people for whom `check(user)` is true must use a second factor"."""
    if check not in _role_checks:
        _role_checks.append(check)


def second_factor_required(user: User) -> bool:
    """Operators (staff) always; anyone else whom a registered role rule names."""
    return user.is_staff or user.is_superuser or any(check(user) for check in _role_checks)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def totp_device_pending(*, user: User) -> TOTPDevice:
    """The not-yet-confirmed authenticator whose secret the enrolment page shows. Opening the
    page again shows the same secret, so a scan already made stays good."""
    if has_second_factor(user):
        raise TwoFactorError(_("Two-step login is already on for your account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _recovery_codes_replace(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [otp.recovery_code_make() for _ in range(otp.RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=otp.recovery_code_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def totp_enrol_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-step login with the first valid code from the app. Returns the device and
    ten recovery codes, in clear this once; only their hashes are kept."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None or has_second_factor(user):
        raise TwoFactorError(_("Open the set-up page again to get a new secret."))
    if not otp.looks_like_totp(code) or not device.verify_token(otp.code_normalise(code)):
        raise TwoFactorError(
            _("That code does not match. Check the time on your phone and type the newest code.")
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _recovery_codes_replace(user)
    audit_log(actor=user, action="accounts.two_factor.enabled", target=user)
    return device, codes


@dataclass(frozen=True)
class Verified:
    device: TOTPDevice
    by_recovery_code: bool


@transaction.atomic
def second_factor_check(*, user: User, code: str) -> Verified:
    """Check a code from the app or a recovery code. A used code of either kind is refused.

    The rows are locked so that two requests racing with the same code cannot both win.
    """
    refused = TwoFactorError(_("That code is not right, or it has been used already."))
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise refused
    if otp.looks_like_totp(code):
        if device.verify_token(otp.code_normalise(code)):
            return Verified(device, by_recovery_code=False)
        raise refused
    for recovery in RecoveryCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True
    ):
        if otp.recovery_code_matches(code, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            audit_log(actor=user, action="accounts.two_factor.recovery_code_used", target=user)
            return Verified(device, by_recovery_code=True)
    raise refused


@transaction.atomic
def second_factor_disable(*, user: User, password: str, code: str) -> None:
    """Turn two-step login off: needs the password and a current code (or a recovery code)."""
    if not user.check_password(password):
        raise TwoFactorError(_("That password is not right. Nothing was changed."))
    second_factor_check(user=user, code=code)
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_log(actor=user, action="accounts.two_factor.disabled", target=user)


@transaction.atomic
def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """Ten new recovery codes for a current code; the old ones stop working."""
    second_factor_check(user=user, code=code)
    codes = _recovery_codes_replace(user)
    audit_log(actor=user, action="accounts.two_factor.recovery_codes_renewed", target=user)
    return codes
