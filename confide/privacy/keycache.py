"""Keys held in this process's memory: the master keyring and unwrapped data keys.

Data keys are unwrapped at most once a minute per process: `data_keys` keeps them for
`CACHE_SECONDS`, which bounds how long another process can still read a space after its keys
were destroyed (the destroying process forgets them at once).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from confide.privacy import crypto
from confide.privacy.crypto import Keyring

CACHE_SECONDS = 60.0
_CACHE_MAX_ENTRIES = 10_000
# Indirect, so tests can move the cache's clock without touching time.monotonic itself.
_clock = time.monotonic


# --- the master keyring -------------------------------------------------------------------

_keyring_lock = threading.Lock()
_keyring_cached: tuple[tuple[Any, ...], Keyring] | None = None


def key_file() -> Path:
    return Path(settings.CONFIDE_KEY_FILE)


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def current_keyring() -> Keyring:
    """The master keyring from settings: the environment if set, otherwise the key file.

    The key file is re-read whenever it changes on disk, so a running server picks up a
    rotation's new current key without a restart.
    """
    global _keyring_cached  # noqa: PLW0603 - a process-wide cache, guarded by the lock
    master = settings.CONFIDE_MASTER_KEY
    if master:
        signature: tuple[Any, ...] = ("env", master, settings.CONFIDE_MASTER_KEY_OLD)
    else:
        path = key_file()
        signature = ("file", str(path), _file_signature(path))
    with _keyring_lock:
        if _keyring_cached is not None and _keyring_cached[0] == signature:
            return _keyring_cached[1]
        if master:
            keyring = crypto.keyring_from_env(master, settings.CONFIDE_MASTER_KEY_OLD)
        else:
            keyring = crypto.keyring_file_load_or_create(path)
            if signature[2] is None:  # just created: remember the file that now exists
                signature = ("file", str(path), _file_signature(path))
        _keyring_cached = (signature, keyring)
        return keyring


def master_key(key_id: str) -> bytes:
    """The master key with this fingerprint; KeyringError if this server does not have it."""
    keyring = current_keyring()
    if key_id not in keyring.keys:
        # Another process may have rotated the key file since we cached it.
        _forget_keyring()
        keyring = current_keyring()
    return keyring.key(key_id)


# --- the data key cache -------------------------------------------------------------------


class KeyCache:
    """Unwrapped data keys by (space id, version), and each space's current version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, int], tuple[float, bytes]] = {}
        self._current: dict[str, tuple[float, int]] = {}

    def key(self, space_id: str, version: int) -> bytes | None:
        with self._lock:
            entry = self._keys.get((space_id, version))
        if entry is None or entry[0] < _clock():
            return None
        return entry[1]

    def current_version(self, space_id: str) -> int | None:
        with self._lock:
            entry = self._current.get(space_id)
        if entry is None or entry[0] < _clock():
            return None
        return entry[1]

    def remember(self, space_id: str, version: int, key: bytes, *, current: bool) -> None:
        expires = _clock() + CACHE_SECONDS
        with self._lock:
            if len(self._keys) >= _CACHE_MAX_ENTRIES:
                self._keys.clear()
                self._current.clear()
            self._keys[(space_id, version)] = (expires, key)
            if current:
                self._current[space_id] = (expires, version)

    def forget_space(self, space_id: str) -> None:
        with self._lock:
            self._current.pop(space_id, None)
            for cache_key in [k for k in self._keys if k[0] == space_id]:
                del self._keys[cache_key]

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()
            self._current.clear()


data_keys = KeyCache()


def _forget_keyring() -> None:
    global _keyring_cached  # noqa: PLW0603 - see current_keyring
    with _keyring_lock:
        _keyring_cached = None


def forget_cached_keys() -> None:
    """Drop every cached data key and the cached keyring (tests, and after a rotation)."""
    data_keys.clear()
    _forget_keyring()
