"""Per-space secrets kept outside the database, so that destroying a space beats old backups.

A person's private space has, besides its data keys in the database, one random secret in a
key store file beside the master key file (`space-keys.json`, mode 0600, replaced atomically).
Its data keys are wrapped under a key derived from the master key *and* that secret
(`crypto.space_wrapping_key`). Erasing the person deletes the secret from the file, so a copy
of the database taken before the erasure holds wrapped keys that nothing can unwrap any more,
even with the master key. (Backups of the data folder must therefore not be restored over
the key store; `docs/privacy.md` says so.)

The file is read again whenever it changes on disk, as the master key file is, so every
process sees a secret forgotten by another within one read.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from confide.privacy import crypto, keycache
from confide.privacy.crypto import KeyringError

STORE_NAME = "space-keys.json"

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], dict[str, bytes]] | None = None


def store_path() -> Path:
    return keycache.key_file().with_name(STORE_NAME)


def _signature(path: Path) -> tuple[Any, ...]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), None)
    return (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _parse(text: str, *, path: Path) -> dict[str, bytes]:
    try:
        data = json.loads(text)
        encoded = data["keys"]
        if not isinstance(encoded, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise KeyringError(f"The space key store {path} is damaged: it is not JSON.") from None
    return {
        str(space_id): crypto.decode_key(str(value), source=f"Space key {space_id} in {path}")
        for space_id, value in encoded.items()
    }


def _read(path: Path) -> dict[str, bytes]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise KeyringError(
            f"The space key store {path} cannot be read: {error.strerror}."
        ) from None
    return _parse(text, path=path)


def _write(path: Path, store: dict[str, bytes]) -> None:
    keys = {space_id: crypto.encode_key(key) for space_id, key in sorted(store.items())}
    text = json.dumps({"format": 1, "keys": keys}, indent=1) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = crypto._write_temp(path, text)  # noqa: SLF001 - the same atomic write as the key file
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    crypto._fsync_dir(path.parent)  # noqa: SLF001


def _forget_cache() -> None:
    global _cached  # noqa: PLW0603 - a process-wide cache, guarded by the lock
    with _lock:
        _cached = None


def _store() -> dict[str, bytes]:
    global _cached  # noqa: PLW0603 - see _forget_cache
    path = store_path()
    signature = _signature(path)
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
        store = _read(path)
        _cached = (signature, store)
        return store


def space_secret(space_id: str) -> bytes | None:
    """The space's secret, or None when it was destroyed (or never made)."""
    return _store().get(space_id)


def space_secret_create(space_id: str) -> bytes:
    """Make (or return the existing) secret of a space, written to disk before it is used."""
    path = store_path()
    with crypto.keyring_file_lock(path):
        store = _read(path)
        if space_id not in store:
            store[space_id] = crypto.new_key()
            _write(path, store)
    _forget_cache()
    return store[space_id]


def space_secrets_forget(space_ids: set[str]) -> int:
    """Delete these spaces' secrets from the store for good; returns how many were there."""
    path = store_path()
    with crypto.keyring_file_lock(path):
        store = _read(path)
        gone = [space_id for space_id in space_ids if space_id in store]
        for space_id in gone:
            del store[space_id]
        if gone:
            _write(path, store)
    _forget_cache()
    return len(gone)
