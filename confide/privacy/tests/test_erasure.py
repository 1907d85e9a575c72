"""Erasure: refused without the password (and code), then everything in one transaction, and
the private space's keys destroyed so that even an older copy of the database stays shut."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts import twofactor
from confide.accounts.models import EmailToken, RecoveryCode, SessionRecord, User
from confide.accounts.tests.factories import DEFAULT_PASSWORD, current_code
from confide.core.models import AuditEntry
from confide.pairs.models import CheckIn, Pair
from confide.privacy import crypto, keycache, spacekeys
from confide.privacy.crypto import DecryptionError
from confide.privacy.erasure import ErasureRefused, account_erase
from confide.privacy.models import AccessRecord, DataKey, PersonSpace, Space
from confide.privacy.tests.richdata import record_access, rich_pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _erase(user: User, capture: Any, **kwargs: Any) -> None:
    with capture(execute=True):
        account_erase(user=user, **kwargs)


def _enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.totp_device_pending(user=user)
    return twofactor.totp_enrol_confirm(user=user, code=current_code(device))


# --- refusals -----------------------------------------------------------------------------


def test_a_wrong_password_is_refused_and_nothing_changes(
    alex: User, blake: User, pair: Pair
) -> None:
    rich_pair(pair, alex, blake)
    before = CheckIn.objects.filter(author=alex).count()
    with pytest.raises(ErasureRefused, match="password is not right"):
        account_erase(user=alex, password="not-my-password")
    alex.refresh_from_db()
    assert alex.is_active
    assert alex.email == "alex@example.org"
    assert CheckIn.objects.filter(author=alex).count() == before
    assert Space.objects.filter(destroyed_at__isnull=False).count() == 0


def test_with_two_step_login_a_wrong_code_is_refused(alex: User) -> None:
    _enrol(alex)
    for code in ("", "000000", "abcd-efgh-jkmn-pqrs"):
        with pytest.raises(ErasureRefused, match="code is not right"):
            account_erase(user=alex, password=DEFAULT_PASSWORD, code=code)
    alex.refresh_from_db()
    assert alex.is_active
    assert TOTPDevice.objects.filter(user=alex).exists()


def test_a_used_recovery_code_is_refused(alex: User) -> None:
    _device, codes = _enrol(alex)
    twofactor.second_factor_check(user=alex, code=codes[0])
    with pytest.raises(ErasureRefused, match="used already"):
        account_erase(user=alex, password=DEFAULT_PASSWORD, code=codes[0])
    alex.refresh_from_db()
    assert alex.is_active


def test_a_fresh_recovery_code_with_the_password_erases(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    _device, codes = _enrol(alex)
    _erase(alex, django_capture_on_commit_callbacks, password=DEFAULT_PASSWORD, code=codes[2])
    alex.refresh_from_db()
    assert not alex.is_active


def test_the_page_refuses_a_wrong_password_clearly(alex: User) -> None:
    client = client_for(alex)
    response = client.post(reverse("privacy:erase"), {"current_password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    # Said once, in the alert above the form (not a second time inside it).
    assert response.content.decode().count("That password is not right. Nothing was changed.") == 1
    alex.refresh_from_db()
    assert alex.is_active


def test_the_page_asks_for_a_code_when_two_step_login_is_on(alex: User) -> None:
    device, _codes = _enrol(alex)
    client = client_for(alex, second_factor=True)
    page = client.get(reverse("privacy:erase")).content.decode()
    assert 'name="code"' in page
    response = client.post(
        reverse("privacy:erase"), {"current_password": DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 400
    assert "Type the code." in response.content.decode()
    # The code just used to turn two-step login on is refused: a code works once.
    response = client.post(
        reverse("privacy:erase"),
        {"current_password": DEFAULT_PASSWORD, "code": current_code(device), "confirm": "on"},
    )
    assert response.status_code == 400
    assert "used already" in response.content.decode()
    fresh = current_code(device, steps_ahead=1)
    response = client.post(
        reverse("privacy:erase"),
        {"current_password": DEFAULT_PASSWORD, "code": fresh, "confirm": "on"},
    )
    assert response.status_code == 302
    alex.refresh_from_db()
    assert not alex.is_active


def test_the_page_needs_the_confirmation_ticked(alex: User) -> None:
    response = client_for(alex).post(
        reverse("privacy:erase"), {"current_password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert "Tick the box to confirm." in response.content.decode()
    alex.refresh_from_db()
    assert alex.is_active


# --- what erasure does --------------------------------------------------------------------


def test_erasing_from_the_page_logs_out_and_leaves_a_tombstone(
    alex: User, blake: User, pair: Pair, eli: User
) -> None:
    rich_pair(pair, alex, blake)
    record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    client = client_for(alex)
    response = client.post(
        reverse("privacy:erase"), {"current_password": DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response["Location"] == reverse("privacy:erased")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:settings")).status_code == 302  # to the login page
    alex.refresh_from_db()
    assert alex.email.startswith("erased-")
    assert alex.email.endswith("@erased.invalid")
    assert alex.display_name == "Removed"
    assert not alex.has_usable_password()
    assert not alex.is_active
    for model in (EmailToken, RecoveryCode, SessionRecord, TOTPDevice):
        assert not model.objects.filter(user=alex).exists()
    # The access log and the audit log still point at the row, which names nobody.
    assert AccessRecord.objects.filter(subject=alex).count() == 1
    entry = AuditEntry.objects.get(action="privacy.account.erased")
    assert entry.target_id == str(alex.pk)
    assert "alex" not in str(entry.data).lower()
    assert not client_for(None).login(email="alex@example.org", password=DEFAULT_PASSWORD)


def test_erasure_destroys_the_private_space_and_its_secret(
    alex: User, blake: User, pair: Pair, django_capture_on_commit_callbacks: Any
) -> None:
    rich_pair(pair, alex, blake)
    space = PersonSpace.objects.get(user=alex).space
    assert spacekeys.space_secret(str(space.pk)) is not None
    _erase(alex, django_capture_on_commit_callbacks, password=DEFAULT_PASSWORD)
    space.refresh_from_db()
    assert space.destroyed_at is not None
    assert not DataKey.objects.filter(space=space).exists()
    assert spacekeys.space_secret(str(space.pk)) is None
    blake_space = PersonSpace.objects.get(user=blake).space
    assert spacekeys.space_secret(str(blake_space.pk)) is not None


def test_a_failure_in_a_handler_changes_nothing(
    alex: User, blake: User, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confide.privacy import registry

    rich_pair(pair, alex, blake)
    broken = registry.privacy_handlers()[-1]

    def fail(user: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(
        registry._handlers,
        broken.app,
        broken.__class__(  # noqa: SLF001
            app=broken.app, models=broken.models, export=broken.export, erase=fail
        ),
    )
    with pytest.raises(RuntimeError):
        account_erase(user=alex, password=DEFAULT_PASSWORD)
    alex.refresh_from_db()
    assert alex.is_active
    assert CheckIn.objects.filter(author=alex).count() == 2
    space = PersonSpace.objects.get(user=alex).space
    assert spacekeys.space_secret(str(space.pk)) is not None


# --- an older copy of the database --------------------------------------------------------

_COPIED = ("privacy_space", "privacy_datakey", "pairs_checkin")


def _dump() -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    copy = {}
    with connection.cursor() as cursor:
        for table in _COPIED:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            columns = [column[0] for column in cursor.description]
            copy[table] = (columns, cursor.fetchall())
    return copy


def _restore(copy: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    """Put the copied tables back as they were, as restoring an older backup would."""
    with connection.cursor() as cursor:
        for table in reversed(_COPIED):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        for table in _COPIED:
            columns, rows = copy[table]
            marks = ", ".join(["%s"] * len(columns))
            names = ", ".join(columns)
            for row in rows:
                cursor.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", row)  # noqa: S608


def test_an_older_copy_of_the_database_cannot_open_the_erased_persons_entries(
    alex: User, blake: User, pair: Pair, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = rich_pair(pair, alex, blake)
    assert a.private_checkin is not None and b.private_checkin is not None
    copy = _dump()
    _erase(alex, django_capture_on_commit_callbacks, password=DEFAULT_PASSWORD)
    _restore(copy)
    keycache.forget_cached_keys()

    restored = CheckIn.objects.get(pk=a.private_checkin.pk)
    with pytest.raises(DecryptionError):
        assert restored.note
    # Not even the master key alone opens the copied data key: it needs the space's secret.
    row = DataKey.objects.get(space_id=restored.space_id)
    with pytest.raises(DecryptionError):
        crypto.unwrap_data_key(
            master_key=keycache.current_keyring().current_key,
            wrapped=row.wrapped_key,
            space_id=str(row.space_id),
            version=row.version,
        )
    # The partner's own private entry, and the pair's shared ones, still open.
    assert CheckIn.objects.get(pk=b.private_checkin.pk).note == b.canaries["private-checkin"]
    shared = CheckIn.objects.get(author=blake, visibility="shared")
    assert shared.note == b.canaries["shared-checkin"]


def test_repeated_wrong_passwords_are_throttled(alex: User) -> None:
    client = client_for(alex)
    statuses = [
        client.post(
            reverse("privacy:erase"), {"current_password": f"wrong-{n}", "confirm": "on"}
        ).status_code
        for n in range(12)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    response = client.post(
        reverse("privacy:erase"), {"current_password": DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 429
    alex.refresh_from_db()
    assert alex.is_active
