"""`keys_rotate`: re-wrap every data key under a new master key, resumably."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from confide.core.models import AuditEntry
from confide.privacy import crypto, keycache, keys
from confide.privacy.keys import RotationError
from confide.privacy.models import DataKey
from confide.privacy.tests.factories import make_note
from confide.privacy.tests.testapp.models import Note

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


class Interrupted(Exception):
    pass


def stop_after(count: int) -> keys.Progress:
    def progress(done: int, total: int) -> None:
        if done == count:
            raise Interrupted

    return progress


def key_file_ids(path: Path) -> tuple[str, set[str]]:
    data = json.loads(path.read_text())
    return data["current"], set(data["keys"])


def make_notes(count: int) -> dict[Any, str]:
    return {make_note(body=f"entry {n}").pk: f"entry {n}" for n in range(count)}


def readable(notes: dict[Any, str]) -> bool:
    keycache.forget_cached_keys()  # read every key back through the keyring on disk
    return {note.pk: note.body for note in Note.objects.all()} == notes


def test_rotation_rewraps_every_key_under_a_new_master_key(key_file: Path) -> None:
    notes = make_notes(4)
    old_id, _ = key_file_ids(key_file)
    seen: list[tuple[int, int]] = []

    result = keys.keys_rotate(progress=lambda done, total: seen.append((done, total)))

    new_id, ids = key_file_ids(key_file)
    assert new_id != old_id
    assert ids == {new_id}
    assert (result.master_key_id, result.created_key, result.rewrapped) == (new_id, True, 4)
    assert result.dropped_key_ids == (old_id,)
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert readable(notes)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "privacy.keys.rotation_started",
        "privacy.keys.rotated",
    ]


def test_old_master_key_cannot_unwrap_the_rotated_keys(key_file: Path) -> None:
    make_notes(1)
    old = crypto.keyring_file_load_or_create(key_file)
    keys.keys_rotate()
    row = DataKey.objects.get()
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(
            master_key=old.current_key,
            wrapped=row.wrapped_key,
            space_id=str(row.space_id),
            version=row.version,
        )


@pytest.mark.parametrize("stop", [1, 3, 5], ids=["after 1 of 5", "after 3 of 5", "after all 5"])
def test_interrupted_rotation_resumes_without_a_third_key(key_file: Path, stop: int) -> None:
    notes = make_notes(5)
    old_id, _ = key_file_ids(key_file)

    with pytest.raises(Interrupted):
        keys.keys_rotate(progress=stop_after(stop))

    new_id, ids = key_file_ids(key_file)
    assert ids == {old_id, new_id}  # both kept while keys are under either
    assert DataKey.objects.filter(master_key_id=new_id).count() == stop
    assert readable(notes)  # nothing is unreadable half way

    result = keys.keys_rotate()

    assert not result.created_key
    assert result.rewrapped == 5 - stop
    assert key_file_ids(key_file) == (new_id, {new_id})
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    assert readable(notes)


def test_rotation_interrupted_before_any_rewrap_resumes_too(
    key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = make_notes(2)
    old_id, _ = key_file_ids(key_file)

    def crash(**kwargs: Any) -> bool:
        raise Interrupted

    with monkeypatch.context() as patch:
        patch.setattr(keys, "_rewrap_one", crash)
        with pytest.raises(Interrupted):
            keys.keys_rotate()
    new_id, ids = key_file_ids(key_file)
    assert ids == {old_id, new_id}

    keys.keys_rotate()

    assert key_file_ids(key_file) == (new_id, {new_id})
    assert readable(notes)


def test_a_finished_rotation_followed_by_another_makes_a_new_key(key_file: Path) -> None:
    notes = make_notes(2)
    first = keys.keys_rotate().master_key_id
    second = keys.keys_rotate()
    assert second.created_key
    assert second.master_key_id != first
    assert key_file_ids(key_file) == (second.master_key_id, {second.master_key_id})
    assert readable(notes)


def test_a_key_wrapped_under_the_old_master_while_it_is_dropped_is_rewrapped(
    key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = make_notes(2)
    old = crypto.keyring_file_load_or_create(key_file)
    real_write = crypto.keyring_file_write

    def write_then_stale_server_writes(path: Path, keyring: crypto.Keyring) -> None:
        real_write(path, keyring)
        if not keyring.old_ids:
            # A server that read the key file before the rotation began writes a new space
            # just as the old master key leaves the file.
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(keycache, "current_keyring", lambda: old)
                note = make_note(body="written mid-rotation")
            notes[note.pk] = note.body

    monkeypatch.setattr(crypto, "keyring_file_write", write_then_stale_server_writes)
    result = keys.keys_rotate()

    assert len(notes) == 3
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {result.master_key_id}
    assert readable(notes)


def test_rotation_refuses_to_start_when_a_master_key_is_missing(key_file: Path) -> None:
    make_notes(1)
    DataKey.objects.update(master_key_id="feedfacefeedface")
    with pytest.raises(RotationError, match="feedfacefeedface") as caught:
        keys.keys_rotate()
    assert "Nothing was changed" in str(caught.value)
    assert len(key_file_ids(key_file)[1]) == 1


# --- master keys from the environment -----------------------------------------------------


def test_env_rotation_rewraps_under_the_new_key_and_names_the_old_one(settings: Any) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(old)
    notes = make_notes(3)
    # The operator's part: the new key becomes current, the old one is kept for now.
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(new)
    settings.CONFIDE_MASTER_KEY_OLD = crypto.encode_key(old)

    with pytest.raises(Interrupted):
        keys.keys_rotate(progress=stop_after(1))
    result = keys.keys_rotate()

    assert (result.created_key, result.rewrapped) == (False, 2)
    assert result.removable_env_ids == (crypto.master_key_id(old),)
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {
        crypto.master_key_id(new)
    }
    settings.CONFIDE_MASTER_KEY_OLD = ""
    assert readable(notes)


def test_env_rotation_without_a_new_key_has_nothing_to_do(settings: Any) -> None:
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(crypto.new_key())
    make_notes(1)
    result = keys.keys_rotate()
    assert result.nothing_to_do
    assert not AuditEntry.objects.filter(action="privacy.keys.rotated").exists()
