"""`confide backup` and `confide restore`: a consistent copy of the database, and (only when
asked) the key material, checked before anything is restored.

A backup is a folder:

    manifest.json          what is in it, SHA-256 of every file, which master keys it needs,
                           under an HMAC keyed by the master key that was current
    database.sqlite3       SQLite's online backup API: a consistent copy while the server runs
    database.pgdump        or, on PostgreSQL, `pg_dump --format=custom`
    keys/                  only with --with-keys: master.key (the keyring), audit.key,
                           space-keys.json; mode 0600. Store it apart from the rest.

Why an HMAC and not only checksums: a checksum finds a truncated or damaged file, but someone
who changes a file can change its checksum too. The manifest's HMAC is keyed by a key derived
from the master key, so a changed manifest fails, and a backup made under another master key
is named as such before anything is written.

Restore writes only into an empty data folder (and an empty database on PostgreSQL), and
checks everything first: the manifest, every checksum, the HMAC, that every master key the
database needs is at hand (restored with the backup's keys, or configured). A refusal writes
nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from confide.core.backup_pg import PostgresToolError, pg_dump, pg_restore

FORMAT = "confide-backup/1"
MANIFEST = "manifest.json"
KEYS = "keys"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
PAGES_PER_STEP = 256
CHUNK = 1 << 20
# Files a data folder may hold and still count as empty: made by any start (the session
# secret, an empty database file SQLite would create anyway) or derived (caches, static).
DERIVED = frozenset({"secret_key", "cache", "static"})

Progress = Callable[[str], None]


class ProgressLine:
    """Writes progress to a terminal stream: a line that counts up is rewritten in place (same
    phase, the text before the colon); a new phase starts a new line."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.phase = ""

    def __call__(self, line: str) -> None:
        phase = line.split(":", 1)[0]
        if self.phase and phase != self.phase:
            self.write("\n")
        self.phase = phase
        self.write(f"\r{line}")

    def end(self) -> None:
        if self.phase:
            self.write("\n")
            self.phase = ""


class BackupError(Exception):
    """A backup or a restore cannot go on; the message says why and what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": sha256_of(path)}


def _mac_key(master_key: bytes) -> bytes:
    return hmac.new(master_key, b"confide.backup.manifest", hashlib.sha256).digest()


def _canonical(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()


def manifest_mac(manifest: dict[str, Any], master_key: bytes) -> str:
    return hmac.new(_mac_key(master_key), _canonical(manifest), hashlib.sha256).hexdigest()


def _private_file(path: Path) -> Path:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# --- backup ---------------------------------------------------------------------------------


def _sqlite_copy(target: Path, progress: Progress) -> None:
    """SQLite's online backup: a copy of one moment, made page by page beside running writers
    (a write during the copy makes SQLite start the copy again)."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
    copy = sqlite3.connect(_private_file(target))
    try:

        def step(status: int, remaining: int, total: int) -> None:
            done = total - remaining
            progress(f"Copying the database: {done * 100 // max(total, 1)}% ({done}/{total} pages)")

        source.backup(copy, pages=PAGES_PER_STEP, progress=step)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()


def _key_sources() -> dict[str, bytes]:
    """The key material to write with --with-keys: every key file in the data folder's key
    area (beside master.key), and keys given by the environment, written as files."""
    from confide.privacy import keycache  # noqa: PLC0415 - privacy sits beside core
    from confide.privacy.crypto import keyring_to_json  # noqa: PLC0415

    found = {"master.key": keyring_to_json(keycache.current_keyring()).encode()}
    if settings.CONFIDE_AUDIT_KEY:
        found["audit.key"] = (settings.CONFIDE_AUDIT_KEY + "\n").encode()
    area = keycache.key_file().parent
    for path in sorted(area.iterdir()):
        if path.name in found or not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix == ".key" or path.name.endswith("keys.json"):
            found[path.name] = path.read_bytes()
    return found


def _needed_master_keys() -> tuple[str, list[str]]:
    from confide.privacy import keycache  # noqa: PLC0415
    from confide.privacy.models import DataKey  # noqa: PLC0415

    current = keycache.current_keyring().current_id
    used = set(DataKey.objects.values_list("master_key_id", flat=True).distinct())
    return current, sorted(used | {current})


def _key_store_needed() -> bool:
    from confide.privacy.models import DataKey  # noqa: PLC0415

    return DataKey.objects.filter(space_secret=True).exists()


def backup_create(*, path: Path, with_keys: bool, progress: Progress) -> dict[str, Any]:
    """Write a backup folder at `path` (new, or empty); returns its manifest."""
    from confide.core.models import AuditChainHead  # noqa: PLC0415
    from confide.privacy import keycache  # noqa: PLC0415

    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} already exists and is not an empty folder; choose a new one.")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = _engine()
    database = path / (PG_FILE if engine == "postgresql" else SQLITE_FILE)
    if engine == "postgresql":
        try:
            pg_dump(database, progress)
        except PostgresToolError as error:
            raise BackupError(str(error)) from None
    else:
        _sqlite_copy(database, progress)
    current, needed = _needed_master_keys()
    head = AuditChainHead.objects.filter(pk=1).values_list("key_id", flat=True).first()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": {"file": database.name, **_entry(database)},
        "master_key_id": current,
        "master_key_ids": needed,
        "audit_key_id": head or "",
        # Person spaces' keys also need the key store (space-keys.json) to be read.
        "key_store_needed": _key_store_needed(),
        "keys": {},
    }
    if with_keys:
        folder = path / KEYS
        folder.mkdir(mode=0o700)
        for name, content in _key_sources().items():
            target = _private_file(folder / name)
            target.write_bytes(content)
            manifest["keys"][name] = _entry(target)
            progress(f"Wrote key file {KEYS}/{name}")
    signed = {"manifest": manifest, "mac": manifest_mac(manifest, keycache.master_key(current))}
    _private_file(path / MANIFEST).write_text(json.dumps(signed, indent=2) + "\n")
    return manifest


# --- restore --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A checked backup, ready to restore: nothing is written before this exists."""

    manifest: dict[str, Any]
    database: Path
    keys: dict[str, Path]  # key files to restore (name -> file in the backup)


def _read_manifest(path: Path) -> tuple[dict[str, Any], str]:
    try:
        signed = json.loads((path / MANIFEST).read_text())
        manifest, mac = signed["manifest"], signed["mac"]
        if not isinstance(manifest, dict) or not isinstance(mac, str):
            raise TypeError
    except FileNotFoundError:
        raise BackupError(f"{path} is not a Confide backup: it has no {MANIFEST}.") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BackupError(f"{path}/{MANIFEST} is damaged: it is not a backup manifest.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of a format this version cannot read.")
    return manifest, mac


def _check_file(path: Path, expected: dict[str, Any]) -> None:
    if not path.is_file():
        raise BackupError(f"The backup is incomplete: {path.name} is missing.")
    if path.stat().st_size != expected.get("bytes"):
        raise BackupError(
            f"The backup is damaged: {path.name} has {path.stat().st_size} bytes, the manifest "
            f"says {expected.get('bytes')} (truncated or changed)."
        )
    if not hmac.compare_digest(sha256_of(path), str(expected.get("sha256"))):
        raise BackupError(f"The backup is damaged: {path.name} does not match its checksum.")


def _keyring_for(manifest: dict[str, Any], keys: dict[str, Path]) -> Any:
    """The keyring the restored server will use: the backup's own, when its keys are restored;
    else the one configured in the environment; else none (a key file would be new)."""
    from confide.privacy.crypto import (  # noqa: PLC0415
        KeyringError,
        keyring_from_env,
        keyring_from_json,
    )

    try:
        if "master.key" in keys:
            path = keys["master.key"]
            return keyring_from_json(path.read_text(), path=path)
        if settings.CONFIDE_MASTER_KEY:
            return keyring_from_env(settings.CONFIDE_MASTER_KEY, settings.CONFIDE_MASTER_KEY_OLD)
    except KeyringError as error:
        raise BackupError(str(error)) from None
    return None


def _check_master_keys(manifest: dict[str, Any], mac: str, keys: dict[str, Path]) -> None:
    keyring = _keyring_for(manifest, keys)
    current = str(manifest.get("master_key_id", ""))
    if keyring is None or current not in keyring.keys:
        have = "none is configured" if keyring is None else f"this server has {keyring.current_id}"
        raise BackupError(
            f"This backup was made with master key {current}, and {have}. Restore it with its "
            "keys (a backup made with --with-keys), or set CONFIDE_MASTER_KEY to that key."
        )
    if not hmac.compare_digest(manifest_mac(manifest, keyring.key(current)), mac):
        raise BackupError(
            "The backup's manifest has been changed since it was made; not restoring."
        )
    missing = [
        key_id for key_id in manifest.get("master_key_ids", []) if key_id not in keyring.keys
    ]
    if missing:
        raise BackupError(
            f"The backup's database needs master keys {', '.join(missing)}, which are not at hand."
        )


def _data_folder_is_empty(folder: Path) -> list[str]:
    """What in the data folder is not allowed before a restore (empty list: it is empty)."""
    database = Path(settings.DATABASES["default"]["NAME"]) if _engine() == "sqlite" else None
    sides = set()
    if database is not None:
        sides = {database.name, *(database.name + end for end in ("-wal", "-shm", "-journal"))}
    found = []
    for path in sorted(folder.iterdir()) if folder.exists() else []:
        if path.name in DERIVED:
            continue
        if path.name in sides and path.is_file() and path.stat().st_size == 0:
            continue
        found.append(path.name)
    return found


def restore_plan(*, path: Path, with_keys: bool = True) -> Plan:
    """Check a backup against this server; BackupError (nothing written) if it cannot be
    restored here."""
    data = Path(settings.DATA_DIR)
    present = _data_folder_is_empty(data)
    if present:
        raise BackupError(
            f"The data folder {data} is not empty ({', '.join(present[:5])}); restore only into "
            "an empty data folder (set CONFIDE_DATA_DIR to a new folder)."
        )
    if _engine() == "postgresql" and connection.introspection.table_names():
        raise BackupError("The database is not empty; restore only into an empty database.")
    manifest, mac = _read_manifest(path)
    if manifest.get("engine") != _engine():
        raise BackupError(
            f"This is a backup of a {manifest.get('engine')} database; "
            f"this server uses {_engine()}."
        )
    database = path / str(manifest["database"]["file"])
    _check_file(database, manifest["database"])
    keys: dict[str, Path] = {}
    if with_keys:
        for name, expected in dict(manifest.get("keys", {})).items():
            if Path(name).name != name:
                raise BackupError(f"The backup's manifest names an unsafe key file: {name!r}.")
            _check_file(path / KEYS / name, expected)
            keys[name] = path / KEYS / name
    _check_master_keys(manifest, mac, keys)
    return Plan(manifest, database, keys)


def _sqlite_restore(plan: Plan, progress: Progress) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    temp = _private_file(target.with_name(f".{target.name}.{secrets.token_hex(8)}.restore"))
    try:
        with plan.database.open("rb") as source, temp.open("wb") as copy:
            while chunk := source.read(CHUNK):
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
        progress("Copied the database; checking it")
        check = sqlite3.connect(temp)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()
        finally:
            check.close()
        if result is None or result[0] != "ok":
            raise BackupError("The backup's database fails SQLite's integrity check.")
        for end in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + end).unlink(missing_ok=True)  # empty, checked above
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def restore_run(plan: Plan, *, progress: Progress) -> None:
    """Restore a checked backup: the key files first (each created new, never replacing one),
    then the database."""
    area = Path(settings.CONFIDE_KEY_FILE).parent
    for name, source in plan.keys.items():
        target = area / name
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{target} exists; not replacing a key file.") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(source.read_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        progress(f"Restored key file {name}")
    if plan.manifest["engine"] == "postgresql":
        try:
            pg_restore(plan.database, progress)
        except PostgresToolError as error:
            raise BackupError(str(error)) from None
    else:
        _sqlite_restore(plan, progress)
