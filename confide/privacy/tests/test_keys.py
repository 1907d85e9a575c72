"""Spaces, their data keys, the keyring from settings, and destroying keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from confide.core.models import AuditEntry
from confide.privacy import crypto, keycache, keys
from confide.privacy.crypto import DecryptionError, KeyDestroyedError, KeyringError
from confide.privacy.models import DataKey, Space
from confide.privacy.tests.factories import make_note, make_space
from confide.privacy.tests.testapp.models import Note

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


def test_space_create_makes_a_first_data_key_wrapped_under_the_master_key(key_file: Path) -> None:
    space = make_space(Space.Kind.PAIR)
    row = DataKey.objects.get(space=space)
    keyring = crypto.keyring_file_load_or_create(key_file)
    assert (row.version, row.master_key_id) == (1, keyring.current_id)
    version, key = keys.data_key_current(space_id=space.pk)
    assert version == 1
    assert crypto.encode_key(key) not in row.wrapped_key
    unwrapped = crypto.unwrap_data_key(
        master_key=keyring.current_key, wrapped=row.wrapped_key, space_id=str(space.pk), version=1
    )
    assert unwrapped == key


def test_each_space_has_its_own_key() -> None:
    first, second = make_space(), make_space()
    assert keys.data_key(space_id=first.pk, version=1) != keys.data_key(
        space_id=second.pk, version=1
    )


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown kind of space"):
        keys.space_create(kind="household")


def test_key_is_read_back_from_the_database_after_the_cache_is_cleared() -> None:
    space = make_space()
    _version, key = keys.data_key_current(space_id=space.pk)
    keycache.forget_cached_keys()
    assert keys.data_key(space_id=str(space.pk), version=1) == key


def test_a_space_without_keys_gets_version_1_when_first_written() -> None:
    space = Space.objects.create(kind=Space.Kind.CIRCLE)
    version, key = keys.data_key_current(space_id=space.pk)
    assert version == 1
    assert DataKey.objects.filter(space=space).count() == 1
    keycache.forget_cached_keys()
    assert keys.data_key(space_id=space.pk, version=1) == key


def test_a_missing_key_version_is_a_decryption_error() -> None:
    space = make_space()
    with pytest.raises(DecryptionError, match="key version"):
        keys.data_key(space_id=space.pk, version=2)


def test_the_key_file_is_created_on_first_use_with_mode_0600(key_file: Path) -> None:
    assert not key_file.exists()
    make_space()
    assert key_file.stat().st_mode & 0o777 == 0o600
    current = json.loads(key_file.read_text())["current"]
    assert DataKey.objects.get().master_key_id == current


def test_the_environment_key_wins_over_the_key_file(settings: Any, key_file: Path) -> None:
    master = crypto.new_key()
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(master)
    space = make_space()
    assert not key_file.exists()
    assert DataKey.objects.get(space=space).master_key_id == crypto.master_key_id(master)


def test_a_running_process_sees_a_rotated_key_file(key_file: Path) -> None:
    before = keycache.current_keyring()
    rotated = before.with_new_current()
    crypto.keyring_file_write(key_file, rotated)  # as `confide keys rotate` in another process
    assert keycache.current_keyring().current_id == rotated.current_id
    space = make_space()
    assert DataKey.objects.get(space=space).master_key_id == rotated.current_id


def test_a_data_key_under_an_unknown_master_key_is_a_clear_error(settings: Any) -> None:
    space = make_space()
    keycache.forget_cached_keys()
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(crypto.new_key())
    with pytest.raises(KeyringError, match="is not configured on this server"):
        keys.data_key(space_id=space.pk, version=1)


# --- destroying keys ----------------------------------------------------------------------


def test_destroyed_space_cannot_be_read_or_written() -> None:
    note = make_note(body="what I never told anyone")
    space = note.space
    keys.space_destroy_keys(space=space)
    space.refresh_from_db()
    assert space.destroyed_at is not None
    assert not DataKey.objects.filter(space=space).exists()
    with pytest.raises(KeyDestroyedError, match="The key for this space was destroyed"):
        assert Note.objects.get(pk=note.pk).body
    with pytest.raises(KeyDestroyedError, match="The key for this space was destroyed"):
        Note.objects.create(space=space, body="more")


def test_destroyed_keys_stay_destroyed_after_the_cache_is_cleared() -> None:
    space = make_space()
    keys.space_destroy_keys(space=space)
    keycache.forget_cached_keys()
    with pytest.raises(KeyDestroyedError):
        keys.data_key(space_id=space.pk, version=1)
    with pytest.raises(KeyDestroyedError):
        keys.data_key_current(space_id=space.pk)


def test_destroying_keys_is_audited_and_repeatable() -> None:
    space = make_space()
    keys.space_destroy_keys(space=space)
    keys.space_destroy_keys(space=space)
    entries = AuditEntry.objects.filter(action="privacy.space.keys_destroyed")
    assert [(e.target_id, e.data) for e in entries] == [
        (str(space.pk), {"keys": 1}),
        (str(space.pk), {"keys": 0}),
    ]


def test_other_spaces_stay_readable_after_one_is_destroyed() -> None:
    kept, gone = make_note(body="kept"), make_note(body="gone")
    keys.space_destroy_keys(space=gone.space)
    keycache.forget_cached_keys()
    assert Note.objects.get(pk=kept.pk).body == "kept"


def test_another_process_forgets_a_destroyed_key_within_the_cache_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    space = make_space()
    keys.data_key(space_id=space.pk, version=1)  # cached here
    # Another process destroys the keys: this process's cache is not told.
    DataKey.objects.filter(space=space).delete()
    Space.objects.filter(pk=space.pk).update(destroyed_at=space.created_at)
    assert keys.data_key(space_id=space.pk, version=1)
    now = keycache._clock()
    monkeypatch.setattr(keycache, "_clock", lambda: now + keycache.CACHE_SECONDS + 1)
    with pytest.raises(KeyDestroyedError):
        keys.data_key(space_id=space.pk, version=1)
