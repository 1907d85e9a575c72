"""The pure parts of two-factor login: recovery codes, the key as text, the QR code, and the
short description of a device. No database here; `twofactor.py` is the shell around it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
import secrets
from urllib.parse import quote

import segno

RECOVERY_CODE_COUNT = 10
# 16 characters of base32 are 80 random bits. Codes that strong cannot be guessed from a fast
# hash the way a password can, so a salted SHA-256 is enough (a slow hash protects guessable
# secrets), and checking a code against ten hashes stays cheap.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
RECOVERY_GROUPS = 4
RECOVERY_GROUP_LENGTH = 4
HASH_PREFIX = "sha256"
TOTP_DIGITS = 6
ISSUER = "Confide"

_SEPARATORS = re.compile(r"[\s-]+")


def recovery_code_make() -> str:
    """A new recovery code as it is shown to the person: four groups of four characters."""
    groups = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    ]
    return "-".join(groups)


def code_normalise(code: str) -> str:
    """What a person typed, without spaces, dashes or capitals."""
    return _SEPARATORS.sub("", code).lower()


def looks_like_totp(code: str) -> bool:
    normal = code_normalise(code)
    return len(normal) == TOTP_DIGITS and normal.isascii() and normal.isdigit()


def recovery_code_hash(code: str, *, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{code_normalise(code)}".encode()).hexdigest()
    return f"{HASH_PREFIX}${salt}${digest}"


def recovery_code_matches(code: str, stored: str) -> bool:
    try:
        prefix, salt, _digest = stored.split("$")
    except ValueError:
        return False
    if prefix != HASH_PREFIX or not code_normalise(code):
        return False
    return hmac.compare_digest(recovery_code_hash(code, salt=salt), stored)


def key_base32(key_hex: str) -> str:
    """The secret as authenticator apps take it when typed in by hand."""
    return base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


def key_for_reading(key_hex: str) -> str:
    """The base32 secret in groups of four, easier to copy by eye."""
    text = key_base32(key_hex)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otpauth_uri(*, key_hex: str, account: str, digits: int = TOTP_DIGITS, step: int = 30) -> str:
    label = quote(f"{ISSUER}:{account}")
    return (
        f"otpauth://totp/{label}?secret={key_base32(key_hex)}&issuer={quote(ISSUER)}"
        f"&digits={digits}&period={step}"
    )


def qr_svg_data_uri(text: str) -> str:
    """A QR code drawn here as SVG, for an <img src="data:..."> the CSP allows (img-src data:).
    Nothing is fetched from anywhere, and no inline script or style is needed."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=5, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_summary(user_agent: str) -> str:
    """'Firefox on Linux': enough to recognise a device, without keeping the whole header."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or ""
