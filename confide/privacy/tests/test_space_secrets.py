"""Person spaces' secrets in the key store beside the master key (spacekeys.py)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from confide.privacy import crypto, keycache, keys, spacekeys
from confide.privacy.crypto import DecryptionError, KeyDestroyedError
from confide.privacy.models import DataKey, Space
from confide.privacy.tests.factories import make_note, make_space
from confide.privacy.tests.testapp.models import Note

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


def _unwrap_with_master_only(row: DataKey) -> bytes:
    return crypto.unwrap_data_key(
        master_key=keycache.current_keyring().current_key,
        wrapped=row.wrapped_key,
        space_id=str(row.space_id),
        version=row.version,
    )


def test_a_person_space_key_needs_the_master_key_and_the_spaces_secret(key_file: Path) -> None:
    space = make_space(Space.Kind.PERSON)
    row = DataKey.objects.get(space=space)
    assert row.space_secret
    with pytest.raises(DecryptionError):
        _unwrap_with_master_only(row)
    secret = spacekeys.space_secret(str(space.pk))
    assert secret is not None
    wrapping = crypto.space_wrapping_key(
        master_key=keycache.current_keyring().current_key, space_secret=secret
    )
    key = crypto.unwrap_data_key(
        master_key=wrapping, wrapped=row.wrapped_key, space_id=str(space.pk), version=1
    )
    assert keys.data_key(space_id=space.pk, version=1) == key


def test_pair_and_circle_spaces_need_no_secret(key_file: Path) -> None:
    for kind in (Space.Kind.PAIR, Space.Kind.CIRCLE):
        space = make_space(kind)
        row = DataKey.objects.get(space=space)
        assert not row.space_secret
        assert _unwrap_with_master_only(row)
        assert spacekeys.space_secret(str(space.pk)) is None


def test_the_store_is_a_0600_file_beside_the_master_key(key_file: Path) -> None:
    space = make_space(Space.Kind.PERSON)
    store = key_file.with_name("space-keys.json")
    assert store.stat().st_mode & 0o777 == 0o600
    assert str(space.pk) in json.loads(store.read_text())["keys"]


def test_a_person_space_stays_readable_across_processes(key_file: Path) -> None:
    note = make_note(space=make_space(Space.Kind.PERSON), body="mine alone")
    keycache.forget_cached_keys()
    spacekeys._forget_cache()  # noqa: SLF001 - as a fresh process would start
    assert Note.objects.get(pk=note.pk).body == "mine alone"


def test_destroying_deletes_the_secret_once_committed(
    key_file: Path, django_capture_on_commit_callbacks: Any
) -> None:
    space = make_space(Space.Kind.PERSON)
    with django_capture_on_commit_callbacks(execute=True):
        keys.space_destroy_keys(space=space)
    assert spacekeys.space_secret(str(space.pk)) is None


def test_a_rolled_back_destruction_keeps_the_secret(key_file: Path) -> None:
    note = make_note(space=make_space(Space.Kind.PERSON), body="still here")
    with pytest.raises(RuntimeError), transaction.atomic():
        keys.space_destroy_keys(space=note.space)
        raise RuntimeError
    keycache.forget_cached_keys()
    assert spacekeys.space_secret(str(note.space_id)) is not None
    assert Note.objects.get(pk=note.pk).body == "still here"


def test_without_its_secret_a_copied_key_row_opens_nothing(key_file: Path) -> None:
    note = make_note(space=make_space(Space.Kind.PERSON), body="gone for good")
    spacekeys.space_secrets_forget({str(note.space_id)})
    keycache.forget_cached_keys()
    with pytest.raises(KeyDestroyedError):
        assert Note.objects.get(pk=note.pk).body


def test_rotation_rewraps_person_keys_with_their_secret(key_file: Path) -> None:
    note = make_note(space=make_space(Space.Kind.PERSON), body="rotated")
    before = DataKey.objects.get(space=note.space).wrapped_key
    result = keys.keys_rotate()
    assert result.rewrapped == 1
    row = DataKey.objects.get(space=note.space)
    assert row.wrapped_key != before and row.space_secret
    keycache.forget_cached_keys()
    assert Note.objects.get(pk=note.pk).body == "rotated"
    with pytest.raises(DecryptionError):
        _unwrap_with_master_only(row)


def test_rotation_forgets_secrets_an_interrupted_erasure_left(key_file: Path) -> None:
    space = make_space(Space.Kind.PERSON)
    keys.space_destroy_keys(space=space)  # its on-commit step never ran
    assert spacekeys.space_secret(str(space.pk)) is not None
    keys.keys_rotate()
    assert spacekeys.space_secret(str(space.pk)) is None


def test_the_migration_gives_older_person_keys_a_secret(key_file: Path) -> None:
    space = make_space(Space.Kind.PERSON)
    note = make_note(space=space, body="from before")
    row = DataKey.objects.get(space=space)
    key = keys.data_key(space_id=space.pk, version=1)
    # As a person space was stored before space secrets existed: under the master key only.
    DataKey.objects.filter(pk=row.pk).update(
        space_secret=False,
        wrapped_key=crypto.wrap_data_key(
            master_key=keycache.current_keyring().current_key,
            data_key=key,
            space_id=str(space.pk),
            version=1,
        ),
    )
    spacekeys.space_secrets_forget({str(space.pk)})
    migration = importlib.import_module("confide.privacy.migrations.0004_space_secret_and_export")
    migration.wrap_person_keys_with_space_secrets(apps, None)
    row.refresh_from_db()
    assert row.space_secret
    with pytest.raises(DecryptionError):
        _unwrap_with_master_only(row)
    keycache.forget_cached_keys()
    assert Note.objects.get(pk=note.pk).body == "from before"
