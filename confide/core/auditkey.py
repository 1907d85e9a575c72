"""The key of the audit chain, kept beside the master key and never in the database.

Every audit entry's hash is an HMAC under this key, so someone who can write to the database but
does not have the key cannot rewrite an entry and recompute the chain after it. The key is
`CONFIDE_AUDIT_KEY` (urlsafe base64 of 32 random bytes) or else the file `CONFIDE_AUDIT_KEY_FILE`
(`$CONFIDE_DATA_DIR/audit.key`, next to `master.key`), created with mode 0600 on first use.

Why a key of its own rather than one derived from the master key (HKDF): the master key rotates
(`confide keys rotate`) and old master keys are then retired, but the chain must verify from
its first entry for as long as the log is kept. An own key also lets an auditor check the log
without holding anything that decrypts people's entries.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

KEY_BYTES = 32


class AuditKeyError(Exception):
    """The audit key is missing, malformed or not the one the log was written with."""


def _decode(text: str, *, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip().encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != KEY_BYTES:
        raise AuditKeyError(
            f"{source} is not a valid audit key: it must be {KEY_BYTES} random bytes in urlsafe "
            "base64 (44 characters)."
        )
    return key


def audit_key_id(key: bytes) -> str:
    """A short public fingerprint, stored with the log so a wrong key is named as such."""
    return hashlib.sha256(b"confide.audit.key-id\0" + key).hexdigest()[:16]


def _create(path: Path) -> None:
    """Write a fresh key to `path` (0600) unless it exists; two processes never both win."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii") + "\n"
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # link() fails if the file exists, so a key another process just made is never replaced.
        os.link(temp, path)
        logger.info("Created a new audit key file at %s", path)
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)


def _read(path: Path, *, create: bool) -> bytes:
    if create and not path.exists():
        _create(path)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise AuditKeyError(
            f"The audit key file {path} is missing, so the audit log cannot be checked. Restore "
            "it from the backup of the master key (or set CONFIDE_AUDIT_KEY)."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise AuditKeyError(f"The audit key file {path} cannot be read: {error}.") from None
    if path.stat().st_mode & 0o077:
        logger.warning("The audit key file %s can be read by others; run chmod 600 on it.", path)
    return _decode(text, source=f"The audit key file {path}")


_lock = threading.Lock()
_cached: tuple[tuple[str, str], bytes] | None = None


def audit_key(*, create: bool = True) -> bytes:
    """The audit key from settings. `create=False` refuses to make a new key file (verifying a
    log with a fresh key would only say that every entry fails)."""
    global _cached  # noqa: PLW0603 - a process-wide cache, guarded by the lock
    configured = settings.CONFIDE_AUDIT_KEY
    signature = (configured, str(settings.CONFIDE_AUDIT_KEY_FILE))
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
        if configured:
            key = _decode(configured, source="CONFIDE_AUDIT_KEY")
        else:
            key = _read(Path(settings.CONFIDE_AUDIT_KEY_FILE), create=create)
        _cached = (signature, key)
        return key


def forget_audit_key() -> None:
    """Drop the cached key (tests that change the key's settings)."""
    global _cached  # noqa: PLW0603 - see audit_key
    with _lock:
        _cached = None
