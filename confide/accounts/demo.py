"""Demo two-step login: the demo facilitator has an authenticator already, and
`confide demo code EMAIL` prints its current code, so a newcomer can try the pages that need it
without an app on their phone. Never in production (the demo command refuses to run there)."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts.models import User

DEMO_DEVICE = "demo authenticator"


def demo_second_factor(user: User) -> TOTPDevice:
    """The person's confirmed authenticator, made once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, confirmed=True)


def demo_code(user: User) -> str | None:
    """The six digits the demo person's authenticator shows now, or None without one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True, name=DEMO_DEVICE).first()
    if device is None:
        return None
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)
