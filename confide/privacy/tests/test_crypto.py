"""The pure primitives: sealing text, wrapping keys, keyrings. No database."""

from __future__ import annotations

import base64
import json
import os
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.privacy import crypto
from confide.privacy.crypto import DecryptionError, KeyringError, SealContext

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
CONTEXT = SealContext(table="pairs_checkin", row="row-1", field="note", space="space-1")

# Text as it can reach the server: any Unicode that UTF-8 can encode (no lone surrogates).
utf8_text = st.text(alphabet=st.characters(codec="utf-8"))
contexts = st.builds(SealContext, table=utf8_text, row=utf8_text, field=utf8_text, space=utf8_text)
keys_32 = st.binary(min_size=32, max_size=32)
versions = st.integers(min_value=1, max_value=2**32 - 1)


def _seal(text: str = "I felt unheard today", *, version: int = 1) -> str:
    return crypto.seal_text(key=KEY, key_version=version, context=CONTEXT, plaintext=text)


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token)


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


# --- sealing text -------------------------------------------------------------------------


@given(
    text=st.text(alphabet=st.characters(codec="utf-8")),
    context=contexts,
    key=keys_32,
    version=versions,
)
def test_any_text_round_trips(text: str, context: SealContext, key: bytes, version: int) -> None:
    token = crypto.seal_text(key=key, key_version=version, context=context, plaintext=text)
    assert crypto.token_key_version(token) == version
    assert crypto.open_text(key=key, context=context, token=token) == text


@pytest.mark.parametrize(
    "text", ["", " ", "a", "\x00", "ünïcødé 💬 שלום 你好", "line\nbreak" * 500]
)
def test_edge_texts_round_trip(text: str) -> None:
    assert crypto.open_text(key=KEY, context=CONTEXT, token=_seal(text)) == text


def test_sealed_text_is_ascii_and_hides_the_text() -> None:
    token = _seal("I felt unheard today")
    assert token.isascii()
    assert "unheard" not in token
    assert b"unheard" not in _raw(token)


@given(data=st.data(), text=st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
def test_flipping_any_byte_is_detected(data: st.DataObject, text: str) -> None:
    raw = bytearray(_raw(_seal(text)))
    index = data.draw(st.integers(min_value=0, max_value=len(raw) - 1), label="index")
    raw[index] ^= data.draw(st.integers(min_value=1, max_value=255), label="mask")
    with pytest.raises(DecryptionError):
        crypto.open_text(key=KEY, context=CONTEXT, token=_token(bytes(raw)))


_STORED_TOKEN = crypto.seal_text(
    key=KEY, key_version=1, context=CONTEXT, plaintext="so tired of this"
)


@given(data=st.data())
def test_changing_any_character_of_the_stored_text_is_detected(data: st.DataObject) -> None:
    # One sealed value for every example: a fresh seal has a fresh nonce, and examples must
    # draw from the same data to be replayable.
    token = _STORED_TOKEN
    index = data.draw(st.integers(min_value=0, max_value=len(token) - 1), label="index")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ !"
    char = data.draw(st.sampled_from(alphabet).filter(lambda c: c != token[index]))
    with pytest.raises(DecryptionError):
        crypto.open_text(key=KEY, context=CONTEXT, token=token[:index] + char + token[index + 1 :])


@pytest.mark.parametrize(
    "other",
    [
        SealContext(table="pairs_reply", row="row-1", field="note", space="space-1"),
        SealContext(table="pairs_checkin", row="row-2", field="note", space="space-1"),
        SealContext(table="pairs_checkin", row="row-1", field="topic", space="space-1"),
        SealContext(table="pairs_checkin", row="row-1", field="note", space="space-2"),
        # Moving a boundary between parts must not give the same associated data.
        SealContext(table="pairs_checkinr", row="ow-1", field="note", space="space-1"),
    ],
    ids=["other table", "other row", "other field", "other space", "shifted boundary"],
)
def test_value_opens_only_in_its_own_place(other: SealContext) -> None:
    with pytest.raises(DecryptionError, match="not written for this row, field, space"):
        crypto.open_text(key=KEY, context=other, token=_seal())


@pytest.mark.parametrize("claimed_version", [2, 7, 2**32 - 1])
def test_value_does_not_open_under_another_key_version(claimed_version: int) -> None:
    raw = _raw(_seal(version=1))
    relabelled = struct.pack(">BI", crypto.TEXT_FORMAT, claimed_version) + raw[5:]
    token = _token(relabelled)
    assert crypto.token_key_version(token) == claimed_version
    with pytest.raises(DecryptionError):
        crypto.open_text(key=KEY, context=CONTEXT, token=token)


def test_value_does_not_open_with_another_key() -> None:
    with pytest.raises(DecryptionError):
        crypto.open_text(key=OTHER_KEY, context=CONTEXT, token=_seal())


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not base64 at all!",
        _token(b"\x01\x00\x00\x00\x01short"),
        _token(b"\x02" + b"\x00\x00\x00\x01" + bytes(40)),  # unknown format
        _token(b"\x01" + b"\x00\x00\x00\x00" + bytes(40)),  # version 0
        "ÄÖÜ",
    ],
    ids=["empty", "not base64", "too short", "unknown format", "version 0", "not ascii"],
)
def test_malformed_values_are_refused(token: str) -> None:
    with pytest.raises(DecryptionError):
        crypto.open_text(key=KEY, context=CONTEXT, token=token)


def test_many_seals_of_the_same_text_never_reuse_a_nonce() -> None:
    tokens = [_seal("same words") for _ in range(2000)]
    nonces = {_raw(token)[5:17] for token in tokens}
    assert len(nonces) == len(tokens)
    assert len(set(tokens)) == len(tokens)


def test_nonce_comes_from_the_system_random_source(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def fake_urandom(size: int) -> bytes:
        calls.append(size)
        return bytes([len(calls)]) * size

    monkeypatch.setattr(crypto.os, "urandom", fake_urandom)
    first, second = _raw(_seal("x")), _raw(_seal("x"))
    assert calls == [12, 12]
    assert (first[5:17], second[5:17]) == (b"\x01" * 12, b"\x02" * 12)


def test_error_message_names_no_secret() -> None:
    token = _seal("my partner hit me")
    with pytest.raises(DecryptionError) as caught:
        crypto.open_text(key=OTHER_KEY, context=CONTEXT, token=token)
    message = str(caught.value)
    assert "partner" not in message
    assert token not in message
    assert caught.value.__cause__ is None  # no chained exception carrying internals


# --- wrapping data keys -------------------------------------------------------------------


@given(master=keys_32, data_key=keys_32, space=utf8_text, version=versions)
def test_wrapped_key_round_trips(master: bytes, data_key: bytes, space: str, version: int) -> None:
    wrapped = crypto.wrap_data_key(
        master_key=master, data_key=data_key, space_id=space, version=version
    )
    assert data_key not in base64.urlsafe_b64decode(wrapped)
    unwrapped = crypto.unwrap_data_key(
        master_key=master, wrapped=wrapped, space_id=space, version=version
    )
    assert unwrapped == data_key


@pytest.mark.parametrize(
    ("master", "space", "version"),
    [(OTHER_KEY, "space-1", 1), (KEY, "space-2", 1), (KEY, "space-1", 2)],
    ids=["wrong master key", "other space", "other version"],
)
def test_wrapped_key_unwraps_only_as_wrapped(master: bytes, space: str, version: int) -> None:
    wrapped = crypto.wrap_data_key(
        master_key=KEY, data_key=OTHER_KEY, space_id="space-1", version=1
    )
    with pytest.raises(DecryptionError, match="cannot be unwrapped"):
        crypto.unwrap_data_key(master_key=master, wrapped=wrapped, space_id=space, version=version)


def test_a_wrapped_key_is_never_accepted_as_sealed_text() -> None:
    wrapped = crypto.wrap_data_key(master_key=KEY, data_key=OTHER_KEY, space_id="s", version=1)
    with pytest.raises(DecryptionError):
        crypto.open_text(key=KEY, context=CONTEXT, token=wrapped)


# --- keyrings -----------------------------------------------------------------------------


def test_master_key_id_is_a_short_fingerprint() -> None:
    assert crypto.master_key_id(KEY) == crypto.master_key_id(bytes(KEY))
    assert len(crypto.master_key_id(KEY)) == 16
    assert crypto.master_key_id(KEY) != crypto.master_key_id(OTHER_KEY)


def test_keyring_from_env_has_current_and_old_keys() -> None:
    current, old1, old2 = os.urandom(32), os.urandom(32), os.urandom(32)
    keyring = crypto.keyring_from_env(
        crypto.encode_key(current), f" {crypto.encode_key(old1)} ,{crypto.encode_key(old2)},"
    )
    assert keyring.current_key == current
    assert keyring.source == "env"
    assert set(keyring.old_ids) == {crypto.master_key_id(old1), crypto.master_key_id(old2)}
    assert keyring.key(crypto.master_key_id(old2)) == old2


@pytest.mark.parametrize(
    "value",
    [
        "short",
        base64.urlsafe_b64encode(bytes(31)).decode(),
        base64.urlsafe_b64encode(bytes(33)).decode(),
        "x" * 44,
        "€" * 44,
    ],
)
def test_malformed_env_key_is_refused_without_echoing_it(value: str) -> None:
    with pytest.raises(
        KeyringError, match="CONFIDE_MASTER_KEY is not a valid master key"
    ) as caught:
        crypto.keyring_from_env(value)
    assert value not in str(caught.value)


def test_malformed_old_env_key_is_named_by_position() -> None:
    with pytest.raises(KeyringError, match="Key 2 in CONFIDE_MASTER_KEY_OLD"):
        crypto.keyring_from_env(crypto.encode_key(KEY), f"{crypto.encode_key(OTHER_KEY)},nope")


def test_keyring_repr_shows_no_key() -> None:
    keyring = crypto.Keyring.of(KEY, [OTHER_KEY], source="env")
    for key in (KEY, OTHER_KEY):
        assert crypto.encode_key(key) not in repr(keyring)
        assert repr(key) not in repr(keyring)


def test_unknown_master_key_id_is_a_clear_error() -> None:
    keyring = crypto.Keyring.of(KEY, [], source="env")
    with pytest.raises(KeyringError, match="Master key 0123456789abcdef is not configured"):
        keyring.key("0123456789abcdef")


def test_new_current_key_keeps_the_old_ones() -> None:
    keyring = crypto.Keyring.of(KEY, [], source="file")
    rotated = keyring.with_new_current()
    assert rotated.current_id != keyring.current_id
    assert rotated.old_ids == (keyring.current_id,)
    assert rotated.without_old_keys().keys == {rotated.current_id: rotated.current_key}


# --- the key file -------------------------------------------------------------------------


def test_key_file_is_created_with_mode_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "master.key"
    first = crypto.keyring_file_load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    data = json.loads(path.read_text())
    assert data == {
        "current": first.current_id,
        "keys": {first.current_id: crypto.encode_key(first.current_key)},
    }
    second = crypto.keyring_file_load_or_create(path)
    assert second.current_id == first.current_id
    assert second.current_key == first.current_key
    assert [p.name for p in path.parent.iterdir()] == ["master.key"]  # no temp file left


def test_key_file_creation_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    winner = crypto.Keyring.of(KEY, [], source="file")
    crypto.keyring_file_write(path, winner)
    # As if another process created the file between our read and our create.
    assert crypto._keyring_file_create(path) is False
    assert crypto.keyring_file_load_or_create(path).current_key == KEY


def test_key_file_rewrite_keeps_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    keyring = crypto.keyring_file_load_or_create(path)
    rotated = keyring.with_new_current()
    crypto.keyring_file_write(path, rotated)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = crypto.keyring_file_load_or_create(path)
    assert (loaded.current_id, set(loaded.keys)) == (rotated.current_id, set(rotated.keys))


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"current": "abc", "keys": {}}',
        json.dumps(
            {"current": "0000000000000000", "keys": {"0000000000000000": crypto.encode_key(KEY)}}
        ),
        json.dumps({"current": "x", "keys": {"x": "short"}}),
    ],
    ids=["not json", "not an object", "current missing", "fingerprint mismatch", "bad key"],
)
def test_damaged_key_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "master.key"
    path.write_text(content)
    with pytest.raises(KeyringError, match="master.key"):
        crypto.keyring_file_load_or_create(path)
