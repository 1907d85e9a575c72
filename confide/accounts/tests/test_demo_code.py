"""`confide demo code EMAIL`: the demo facilitator's current two-step login code, never in
production, and a code that the login's second step accepts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts.models import User
from confide.accounts.twofactor import second_factor_check

pytestmark = pytest.mark.django_db


def test_the_demo_gives_dana_an_authenticator_and_prints_a_working_code() -> None:
    call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "code", "dana@example.com", stdout=out)
    code = out.getvalue().strip()
    assert code.isdigit() and len(code) == 6
    dana = User.objects.get(email="dana@example.com")
    assert TOTPDevice.objects.filter(user=dana, confirmed=True).count() == 1
    second_factor_check(user=dana, code=code)  # raises if the login would refuse it


def test_no_code_for_someone_without_a_demo_authenticator() -> None:
    call_command("demo", stdout=StringIO())
    for email in ("alex@example.com", "nobody@example.com", ""):
        with pytest.raises(CommandError, match="not a demo person"):
            call_command("demo", "code", email, stdout=StringIO())


@override_settings(PRODUCTION=True)
def test_never_in_production() -> None:
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "code", "dana@example.com", stdout=StringIO())
