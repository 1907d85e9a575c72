"""Two-step login services: enrolment, codes of both kinds, turning it off, who must use it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts import twofactor
from confide.accounts.models import RecoveryCode, User
from confide.accounts.tests.factories import DEFAULT_PASSWORD, current_code
from confide.accounts.twofactor import TwoFactorError
from confide.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.totp_device_pending(user=user)
    return twofactor.totp_enrol_confirm(user=user, code=current_code(device))


def test_enrolment_shows_the_same_secret_until_confirmed(alex: User) -> None:
    first = twofactor.totp_device_pending(user=alex)
    assert twofactor.totp_device_pending(user=alex).pk == first.pk
    assert not twofactor.has_second_factor(alex)


def test_a_first_valid_code_turns_it_on_with_ten_hashed_recovery_codes(alex: User) -> None:
    device, codes = _enrol(alex)
    assert device.confirmed and twofactor.has_second_factor(alex)
    assert len(codes) == len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=alex).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(
        code in hashed or code.replace("-", "") in hashed for code in codes for hashed in stored
    )
    assert AuditEntry.objects.filter(action="accounts.two_factor.enabled").count() == 1


@pytest.mark.parametrize("code", ["000000", "12345", "not a code", "", "1234567"])
def test_a_wrong_first_code_changes_nothing(alex: User, code: str) -> None:
    device = twofactor.totp_device_pending(user=alex)
    if code == "000000" and current_code(device) == code:
        code = "000001"
    with pytest.raises(TwoFactorError):
        twofactor.totp_enrol_confirm(user=alex, code=code)
    assert not twofactor.has_second_factor(alex)
    assert not RecoveryCode.objects.filter(user=alex).exists()


def test_enrolling_twice_is_refused(alex: User) -> None:
    _enrol(alex)
    with pytest.raises(TwoFactorError):
        twofactor.totp_device_pending(user=alex)


def test_a_totp_code_works_once_per_time_step(alex: User, _frozen: time_machine.Traveller) -> None:
    device, _ = _enrol(alex)
    _frozen.shift(30)
    code = current_code(device)
    assert not twofactor.second_factor_check(user=alex, code=code).by_recovery_code
    with pytest.raises(TwoFactorError, match="used already"):
        twofactor.second_factor_check(user=alex, code=code)
    # The code of the next step is new, and works.
    _frozen.shift(30)
    twofactor.second_factor_check(user=alex, code=current_code(device))


def test_the_enrolment_code_itself_cannot_be_used_again_to_log_in(alex: User) -> None:
    device = twofactor.totp_device_pending(user=alex)
    code = current_code(device)
    twofactor.totp_enrol_confirm(user=alex, code=code)
    with pytest.raises(TwoFactorError):
        twofactor.second_factor_check(user=alex, code=code)


def test_a_recovery_code_works_once(alex: User) -> None:
    _, codes = _enrol(alex)
    assert twofactor.second_factor_check(user=alex, code=codes[3].upper()).by_recovery_code
    assert twofactor.recovery_codes_left(alex) == 9
    with pytest.raises(TwoFactorError):
        twofactor.second_factor_check(user=alex, code=codes[3])
    assert twofactor.recovery_codes_left(alex) == 9
    assert AuditEntry.objects.filter(action="accounts.two_factor.recovery_code_used").count() == 1


@pytest.mark.parametrize("code", ["999999", "abcd-efgh-jkmn-pqrs", "", "x" * 40])
def test_wrong_codes_are_refused(alex: User, code: str) -> None:
    device, _ = _enrol(alex)
    if code == current_code(device):
        code = "999998"
    with pytest.raises(TwoFactorError):
        twofactor.second_factor_check(user=alex, code=code)
    assert twofactor.recovery_codes_left(alex) == 10


def test_someone_elses_codes_do_not_work(alex: User, blake: User) -> None:
    _, codes = _enrol(alex)
    _enrol(blake)
    with pytest.raises(TwoFactorError):
        twofactor.second_factor_check(user=blake, code=codes[0])


def test_a_person_without_two_step_login_has_no_code_to_check(alex: User) -> None:
    with pytest.raises(TwoFactorError):
        twofactor.second_factor_check(user=alex, code="123456")


@pytest.mark.parametrize(
    ("password", "right_code", "turned_off"),
    [
        (DEFAULT_PASSWORD, True, True),
        ("wrong password!", True, False),
        (DEFAULT_PASSWORD, False, False),
    ],
)
def test_turning_it_off_needs_the_password_and_a_code(
    alex: User, _frozen: time_machine.Traveller, password: str, right_code: bool, turned_off: bool
) -> None:
    device, _ = _enrol(alex)
    _frozen.shift(30)
    code = current_code(device) if right_code else "abcd-abcd-abcd-abcd"
    if turned_off:
        twofactor.second_factor_disable(user=alex, password=password, code=code)
    else:
        with pytest.raises(TwoFactorError):
            twofactor.second_factor_disable(user=alex, password=password, code=code)
    assert twofactor.has_second_factor(alex) is not turned_off
    assert RecoveryCode.objects.filter(user=alex).exists() is not turned_off


def test_new_recovery_codes_replace_the_old_ones(alex: User) -> None:
    _, old = _enrol(alex)
    new = twofactor.recovery_codes_renew(user=alex, code=old[0])
    assert not set(old) & set(new)
    with pytest.raises(TwoFactorError):
        twofactor.second_factor_check(user=alex, code=old[1])
    assert twofactor.second_factor_check(user=alex, code=new[1]).by_recovery_code


def test_who_must_use_two_step_login(alex: User, dana: User, operator: User) -> None:
    from confide.circles.tests.factories import join, make_circle

    circle = make_circle(dana)
    join(circle, alex, "Harbour")
    assert twofactor.second_factor_required(dana)  # facilitates a circle
    assert twofactor.second_factor_required(operator)  # staff
    assert not twofactor.second_factor_required(alex)  # a member
