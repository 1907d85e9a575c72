"""EncryptedTextField on a real model: what is stored, what opens where, what is refused."""

from __future__ import annotations

import base64
import struct
import uuid
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.db.models import FETCH_PEERS
from django.test.utils import isolate_apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.privacy import crypto, keycache, keys
from confide.privacy.crypto import DecryptionError, KeyDestroyedError
from confide.privacy.fields import EncryptedTextField, SealedValue
from confide.privacy.models import DataKey, EncryptedModel, Space
from confide.privacy.tests.factories import make_note, make_space
from confide.privacy.tests.testapp.models import Letter, Note

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


def stored(model: type[models.Model], pk: Any, column: str = "body") -> Any:
    """The value as it sits in the database, read past the ORM."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk.hex])  # noqa: S608
        return cursor.fetchone()[0]


def store(model: type[models.Model], pk: Any, value: Any, column: str = "body") -> None:
    """Overwrite a stored value past the ORM, as someone with database access could."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk.hex])  # noqa: S608


def reload(note: Note) -> Note:
    keycache.forget_cached_keys()
    return Note.objects.get(pk=note.pk)


@pytest.mark.parametrize(
    "text", ["", "a", "We argued about the dishes again.", "ünïcødé 💬 שלום 你好", "line\n" * 2000]
)
def test_text_round_trips_through_the_database(text: str) -> None:
    note = make_note(body=text)
    assert reload(note).body == text


@settings(
    max_examples=30,
    deadline=None,
    # The database fixture is shared by all examples on purpose: every example adds new rows.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00")))
def test_any_text_round_trips_through_the_database(text: str) -> None:
    note = make_note(body=text)
    assert Note.objects.get(pk=note.pk).body == text


def test_the_database_holds_only_ciphertext() -> None:
    note = make_note(body="I relapsed on Friday")
    raw = stored(Note, note.pk)
    assert "relapsed" not in raw
    assert b"relapsed" not in base64.urlsafe_b64decode(raw)
    assert crypto.token_key_version(raw) == 1
    assert note.body == "I relapsed on Friday"  # the object itself keeps the plain text


def test_none_stays_none() -> None:
    note = make_note()
    assert stored(Note, note.pk, "summary") is None
    assert reload(note).summary is None
    assert Note.objects.filter(summary__isnull=True).get() == note


def test_value_is_decrypted_on_first_access_only(monkeypatch: pytest.MonkeyPatch) -> None:
    note = reload(make_note(body="later"))
    assert isinstance(note.__dict__["body"], SealedValue)
    calls: list[str] = []
    real_open = crypto.open_text

    def counting_open(**kwargs: Any) -> str:
        calls.append("open")
        return real_open(**kwargs)

    monkeypatch.setattr(crypto, "open_text", counting_open)
    assert (note.body, note.body) == ("later", "later")
    assert calls == ["open"]


def test_sealed_value_shows_nothing() -> None:
    make_note(body="a private thing")
    (value,) = Note.objects.values_list("body", flat=True)
    assert isinstance(value, SealedValue)
    assert repr(value) == "<SealedValue>"
    assert "private" not in repr(value)


# --- bound to its place -------------------------------------------------------------------


def test_value_copied_into_another_row_does_not_decrypt() -> None:
    space = make_space()
    source, target = make_note(space=space, body="source"), make_note(space=space, body="target")
    store(Note, target.pk, stored(Note, source.pk))
    with pytest.raises(DecryptionError, match="not written for this row, field, space"):
        assert reload(target).body


def test_value_copied_into_another_field_does_not_decrypt() -> None:
    note = make_note(body="body text")
    store(Note, note.pk, stored(Note, note.pk, "body"), column="summary")
    with pytest.raises(DecryptionError):
        assert reload(note).summary


def test_value_copied_into_another_table_does_not_decrypt() -> None:
    note = make_note(body="note text")
    # Same id, same space, same column name: only the table differs.
    letter = Letter.objects.create(id=note.pk, home=note.space, body="letter text")
    store(Letter, letter.pk, stored(Note, note.pk))
    keycache.forget_cached_keys()
    with pytest.raises(DecryptionError):
        assert Letter.objects.get(pk=letter.pk).body


def test_row_moved_to_another_space_in_the_database_does_not_decrypt() -> None:
    note, other = make_note(), make_space()
    Note.objects.filter(pk=note.pk).update(space=other)
    with pytest.raises(DecryptionError):
        assert reload(note).body


def test_value_does_not_decrypt_under_another_key_version() -> None:
    note = make_note(body="version one")
    space_id = str(note.space_id)
    # A version 2 that wraps the very same key: only the version sealed into the value differs.
    key = keys.data_key(space_id=space_id, version=1)
    keyring = keycache.current_keyring()
    DataKey.objects.create(
        space=note.space,
        version=2,
        wrapped_key=crypto.wrap_data_key(
            master_key=keyring.current_key, data_key=key, space_id=space_id, version=2
        ),
        master_key_id=keyring.current_id,
    )
    raw = base64.urlsafe_b64decode(stored(Note, note.pk))
    relabelled = struct.pack(">BI", crypto.TEXT_FORMAT, 2) + raw[5:]
    store(Note, note.pk, base64.urlsafe_b64encode(relabelled).decode())
    with pytest.raises(DecryptionError):
        assert reload(note).body


@pytest.mark.parametrize("position", [0, 3, 10, 30, -5, -1])
def test_changed_stored_value_does_not_decrypt(position: int) -> None:
    note = make_note(body="do not change me")
    raw = bytearray(base64.urlsafe_b64decode(stored(Note, note.pk)))
    raw[position] ^= 0x40
    store(Note, note.pk, base64.urlsafe_b64encode(bytes(raw)).decode())
    with pytest.raises(DecryptionError):
        assert reload(note).body


def test_destroyed_space_gives_the_clear_error() -> None:
    note = make_note()
    keys.space_destroy_keys(space=note.space)
    with pytest.raises(KeyDestroyedError, match="The key for this space was destroyed"):
        assert reload(note).body


# --- moving and copying through the app ---------------------------------------------------


def test_object_copied_to_a_new_row_is_encrypted_for_that_row() -> None:
    note = reload(make_note(body="copy me"))
    original = note.pk
    note.pk = uuid.uuid4()
    note._state.adding = True
    note.save()
    assert reload(note).body == "copy me"
    assert Note.objects.get(pk=original).body == "copy me"


def test_object_moved_to_another_space_is_encrypted_with_that_space_key() -> None:
    note, other = reload(make_note(body="move me")), make_space()
    note.space = other
    note.save()
    keys.space_destroy_keys(space=make_space())  # unrelated; keeps the audit chain busy
    assert reload(note).body == "move me"
    assert reload(note).space == other


def test_saving_an_untouched_value_keeps_the_stored_ciphertext() -> None:
    note = make_note(body="untouched")
    before = stored(Note, note.pk)
    loaded = reload(note)
    loaded.summary = "new summary"
    loaded.save()
    assert stored(Note, note.pk) == before
    assert reload(note).summary == "new summary"


def test_changed_value_is_sealed_again() -> None:
    note = reload(make_note(body="before"))
    note.body = "after"
    note.save(update_fields=["body"])
    assert reload(note).body == "after"


def test_deferred_value_loads_and_is_not_lost_on_save() -> None:
    note = make_note(body="deferred")
    keycache.forget_cached_keys()
    loaded = Note.objects.defer("body").get(pk=note.pk)
    loaded.save(update_fields=["body"])
    assert reload(note).body == "deferred"
    assert Note.objects.only("body").get(pk=note.pk).body == "deferred"


def test_values_fetched_for_peers_decrypt_for_each_row() -> None:
    space = make_space()
    texts = {make_note(space=space, body=f"note {n}").pk: f"note {n}" for n in range(3)}
    keycache.forget_cached_keys()
    loaded = list(Note.objects.all().fetch_mode(FETCH_PEERS).defer("body"))
    assert {note.pk: note.body for note in loaded} == texts


def test_bulk_create_encrypts_each_row() -> None:
    space = make_space()
    notes = Note.objects.bulk_create([Note(space=space, body=f"bulk {n}") for n in range(3)])
    keycache.forget_cached_keys()
    assert sorted(Note.objects.values_list("id", flat=True)) == sorted(n.pk for n in notes)
    assert sorted(n.body for n in Note.objects.all()) == ["bulk 0", "bulk 1", "bulk 2"]
    assert all("bulk" not in stored(Note, n.pk) for n in notes)


# --- refused ------------------------------------------------------------------------------


def test_update_would_store_plain_text_so_it_is_refused() -> None:
    note = make_note()
    # Each inside its own savepoint: the refusal rolls back the statement it was part of.
    with pytest.raises(TypeError, match="cannot be compared in a query"), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(body="plain")
    note.body = "plain"
    with pytest.raises(TypeError, match="bulk_update"), transaction.atomic():
        Note.objects.bulk_update([note], ["body"])
    assert "plain" not in stored(Note, note.pk)


@pytest.mark.parametrize("lookup", ["body__icontains", "body__startswith", "body__lower"])
def test_searching_encrypted_text_is_refused(lookup: str) -> None:
    with pytest.raises(FieldError):
        list(Note.objects.filter(**{lookup: "x"}))


def test_comparing_encrypted_text_is_refused() -> None:
    with pytest.raises(TypeError):
        list(Note.objects.filter(body="x"))


def test_fixtures_are_refused() -> None:
    note = make_note()
    with pytest.raises(TypeError):
        Note._meta.get_field("body").value_to_string(note)


def test_primary_key_is_needed_before_sealing() -> None:
    # Only a model without a pk default gets here through save(); EncryptedModel never does.
    note = Note(space=make_space(), body="text")
    note.pk = None
    with pytest.raises(ValueError, match="needs its primary key"):
        Note._meta.get_field("body").pre_save(note, add=True)


def test_space_is_needed_before_saving() -> None:
    with pytest.raises(ValueError, match="needs its space"):
        Note(body="text").save()


@isolate_apps("confide.privacy.tests.testapp")
def test_system_checks_name_a_missing_space_and_an_auto_primary_key() -> None:
    class Unbound(models.Model):  # noqa: DJ008 - never shown
        body = EncryptedTextField()

        class Meta:
            app_label = "privacy_testapp"

    class Fine(EncryptedModel):  # noqa: DJ008 - never shown
        space = models.ForeignKey(Space, on_delete=models.CASCADE)
        body = EncryptedTextField()

        class Meta:
            app_label = "privacy_testapp"

    assert {message.id for message in Unbound.check()} == {"privacy.E001", "privacy.W001"}
    # Space lives outside the isolated registry, so only this field's own checks count here.
    assert [
        message.id for message in Fine.check() if (message.id or "").startswith("privacy.")
    ] == []
