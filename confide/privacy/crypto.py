"""Envelope encryption primitives: AES-256-GCM, master keyrings and sealed text.

Pure functions over bytes and files; no database. Each space has data keys (see `keys.py`),
and each data key is stored wrapped (encrypted) under a master key that lives outside the
database: in the environment (`CONFIDE_MASTER_KEY`) or in a key file created on first use.

Nothing here ever puts plain text or key bytes into an exception message, a repr or a log.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

logger = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16

# A sealed value is urlsafe base64 of: format byte, key version (uint32), nonce, ciphertext+tag.
# The format byte lets a later version change the layout while still reading old values.
TEXT_FORMAT = 1
_TEXT_HEADER = struct.Struct(">BI")
_TEXT_MIN_BYTES = _TEXT_HEADER.size + NONCE_BYTES + TAG_BYTES
# A wrapped data key is: format byte, nonce, ciphertext+tag.
WRAP_FORMAT = 1
_WRAPPED_BYTES = 1 + NONCE_BYTES + KEY_BYTES + TAG_BYTES
_MAX_KEY_VERSION = 2**32 - 1

# Distinct labels in the associated data keep a wrapped key from ever being accepted as a
# sealed field value (or the reverse), even under the same key.
_TEXT_LABEL = b"confide.field.v1"
_WRAP_LABEL = b"confide.data-key.v1"

KeySource = Literal["env", "file"]


class CryptoError(Exception):
    """Base class for every encryption problem; messages are safe to show to an operator."""


class DecryptionError(CryptoError):
    DEFAULT = (
        "This value cannot be decrypted: it was not written for this row, field, space "
        "or key version, or it was changed after it was written."
    )

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.DEFAULT)


class KeyDestroyedError(DecryptionError):
    DEFAULT = (
        "The key for this space was destroyed, so what was written in it can no longer be read "
        "or added to."
    )


class KeyringError(CryptoError):
    """The master keys are missing, malformed or do not include a key that is needed."""


@dataclass(frozen=True, slots=True)
class SealContext:
    """Where a sealed value belongs. Every part is bound into the ciphertext."""

    table: str
    row: str
    field: str
    space: str


# --- keys ---------------------------------------------------------------------------------


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def master_key_id(key: bytes) -> str:
    """A short public fingerprint that names a master key in the database and in messages."""
    return hashlib.sha256(key).hexdigest()[:16]


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str, *, source: str) -> bytes:
    """Parse a urlsafe base64 key. `source` names where it came from, for the error message."""
    try:
        key = base64.b64decode(text.strip().encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyringError(
            f"{source} is not a valid master key: it must be {KEY_BYTES} random bytes in urlsafe "
            "base64 (44 characters)."
        )
    return key


@dataclass(frozen=True)
class Keyring:
    """The master keys this process can use: one current key and older ones being retired."""

    current_id: str
    # repr=False: a keyring must never print its keys, not even in a traceback.
    keys: Mapping[str, bytes] = field(repr=False)
    source: KeySource

    def __post_init__(self) -> None:
        if self.current_id not in self.keys:
            raise KeyringError("The keyring's current master key is not among its keys.")

    @classmethod
    def of(cls, current: bytes, old: list[bytes], *, source: KeySource) -> Keyring:
        keys = {master_key_id(key): key for key in old}
        keys[master_key_id(current)] = current
        return cls(master_key_id(current), MappingProxyType(keys), source)

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current_id]

    @property
    def old_ids(self) -> tuple[str, ...]:
        return tuple(sorted(key_id for key_id in self.keys if key_id != self.current_id))

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(
                f"Master key {key_id} is not configured on this server, so data keys wrapped "
                "under it cannot be read. Restore the key file, or put that key in "
                "CONFIDE_MASTER_KEY_OLD."
            ) from None

    def with_new_current(self) -> Keyring:
        """A keyring that keeps every key and makes a fresh one current (rotation step 1)."""
        fresh = new_key()
        return Keyring.of(fresh, list(self.keys.values()), source=self.source)

    def without_old_keys(self) -> Keyring:
        return Keyring.of(self.current_key, [], source=self.source)


def keyring_from_env(current: str, old: str = "") -> Keyring:
    """The keyring given by CONFIDE_MASTER_KEY and the comma-separated CONFIDE_MASTER_KEY_OLD."""
    current_key = decode_key(current, source="CONFIDE_MASTER_KEY")
    old_keys = [
        decode_key(item, source=f"Key {position} in CONFIDE_MASTER_KEY_OLD")
        for position, item in enumerate((part for part in old.split(",") if part.strip()), 1)
    ]
    return Keyring.of(current_key, old_keys, source="env")


def keyring_to_json(keyring: Keyring) -> str:
    keys = {key_id: encode_key(key) for key_id, key in sorted(keyring.keys.items())}
    return json.dumps({"current": keyring.current_id, "keys": keys}, indent=2) + "\n"


def keyring_from_json(text: str, *, path: Path) -> Keyring:
    damaged = f"The key file {path} is damaged"
    try:
        data = json.loads(text)
        current = data["current"]
        encoded = data["keys"]
        if not isinstance(current, str) or not isinstance(encoded, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise KeyringError(f"{damaged}: it is not a keyring in JSON.") from None
    keys: dict[str, bytes] = {}
    for key_id, value in encoded.items():
        key = decode_key(str(value), source=f"Key {key_id} in {path}")
        if master_key_id(key) != key_id:
            raise KeyringError(f"{damaged}: key {key_id} does not match its fingerprint.")
        keys[key_id] = key
    if current not in keys:
        raise KeyringError(f"{damaged}: its current key {current} is missing.")
    return Keyring(current, MappingProxyType(keys), "file")


# --- the key file -------------------------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(path: Path, text: str) -> Path:
    """Write `text` to a new 0600 file beside `path` and flush it to disk."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def keyring_file_write(path: Path, keyring: Keyring) -> None:
    """Replace the key file atomically: readers see the old keyring or the new, never half."""
    temp = _write_temp(path, keyring_to_json(keyring))
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _keyring_file_create(path: Path) -> bool:
    """Create the key file with a fresh key unless it exists. True if this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = _write_temp(path, keyring_to_json(Keyring.of(new_key(), [], source="file")))
    try:
        # link() fails when the file exists, unlike rename(), so two processes starting at
        # once can never overwrite each other's key (data wrapped under it would be lost).
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError as error:
        raise KeyringError(f"The key file {path} cannot be created: {error.strerror}.") from None
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True


def keyring_file_load_or_create(path: Path) -> Keyring:
    """Read the key file, creating it (mode 0600, one fresh key) on first use."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if _keyring_file_create(path):
            logger.info("Created a new master key file at %s", path)
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KeyringError(f"The key file {path} cannot be read: {error.strerror}.") from None
    if path.stat().st_mode & 0o077:
        logger.warning("The key file %s can be read by other users; run chmod 600 on it.", path)
    return keyring_from_json(text, path=path)


@contextlib.contextmanager
def keyring_file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the key file, so two rotations never run at once."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path.with_name(f"{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# --- AES-GCM ------------------------------------------------------------------------------


def _frame(*parts: str) -> bytes:
    # Length-prefixed, so ("ab", "c") and ("a", "bc") can never give the same bytes.
    out = bytearray()
    for part in parts:
        raw = part.encode("utf-8")
        out += struct.pack(">I", len(raw)) + raw
    return bytes(out)


def _check_version(version: int) -> None:
    if not 1 <= version <= _MAX_KEY_VERSION:
        raise ValueError("A key version is a positive 32-bit number.")


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("An AES-256 key is 32 bytes.")


def _b64decode_strict(token: str) -> bytes:
    try:
        raw = base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        raise DecryptionError from None
    # Only the canonical spelling is accepted, so a value has exactly one stored form.
    if base64.urlsafe_b64encode(raw).decode("ascii") != token:
        raise DecryptionError
    return raw


_SPACE_WRAP_LABEL = b"confide.space-wrap.v1"


def space_wrapping_key(*, master_key: bytes, space_secret: bytes) -> bytes:
    """The key that wraps a person space's data keys: it needs both the master key and the
    space's own secret (kept outside the database, destroyed on erasure)."""
    _check_key(master_key)
    _check_key(space_secret)
    return hmac.new(space_secret, _SPACE_WRAP_LABEL + master_key, hashlib.sha256).digest()


def _wrap_aad(space_id: str, version: int) -> bytes:
    return _WRAP_LABEL + bytes([WRAP_FORMAT]) + _frame(space_id, str(version))


def wrap_data_key(*, master_key: bytes, data_key: bytes, space_id: str, version: int) -> str:
    """Encrypt a data key under a master key, bound to its space and version."""
    _check_key(master_key)
    _check_key(data_key)
    _check_version(version)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(master_key).encrypt(nonce, data_key, _wrap_aad(space_id, version))
    return base64.urlsafe_b64encode(bytes([WRAP_FORMAT]) + nonce + sealed).decode("ascii")


def unwrap_data_key(*, master_key: bytes, wrapped: str, space_id: str, version: int) -> bytes:
    _check_key(master_key)
    refused = DecryptionError(
        "This data key cannot be unwrapped: it was not wrapped under this master key for this "
        "space and key version."
    )
    try:
        raw = _b64decode_strict(wrapped)
    except DecryptionError:
        raise refused from None
    if len(raw) != _WRAPPED_BYTES or raw[0] != WRAP_FORMAT:
        raise refused
    nonce, sealed = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES :]
    try:
        return AESGCM(master_key).decrypt(nonce, sealed, _wrap_aad(space_id, version))
    except InvalidTag:
        raise refused from None


def _text_aad(header: bytes, context: SealContext) -> bytes:
    # The header carries the key version, so the version is bound along with the context.
    return _TEXT_LABEL + header + _frame(context.table, context.row, context.field, context.space)


def seal_text(*, key: bytes, key_version: int, context: SealContext, plaintext: str) -> str:
    """Encrypt text for one place (table, row, field, space) under one data key version."""
    _check_key(key)
    _check_version(key_version)
    header = _TEXT_HEADER.pack(TEXT_FORMAT, key_version)
    # A fresh random nonce per value: with 96 bits, collisions are negligible for far more
    # values than a server will ever hold, and no counter state can be lost or reset.
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), _text_aad(header, context))
    return base64.urlsafe_b64encode(header + nonce + sealed).decode("ascii")


def _split_token(token: str) -> tuple[bytes, int, bytes, bytes]:
    raw = _b64decode_strict(token)
    if len(raw) < _TEXT_MIN_BYTES:
        raise DecryptionError
    header = raw[: _TEXT_HEADER.size]
    text_format, version = _TEXT_HEADER.unpack(header)
    if text_format != TEXT_FORMAT or version < 1:
        raise DecryptionError
    body = raw[_TEXT_HEADER.size :]
    return header, version, body[:NONCE_BYTES], body[NONCE_BYTES:]


def token_key_version(token: str) -> int:
    """The data key version a sealed value says it was written with (not yet authenticated)."""
    return _split_token(token)[1]


def open_text(*, key: bytes, context: SealContext, token: str) -> str:
    """Decrypt a sealed value; raise DecryptionError unless it was sealed for `context`."""
    _check_key(key)
    header, _version, nonce, sealed = _split_token(token)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, _text_aad(header, context))
    except InvalidTag:
        raise DecryptionError from None
    return plain.decode("utf-8")
