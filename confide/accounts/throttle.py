"""Login throttling that slows attackers without letting them lock a real person out.

Failures are counted per (client address, account) and per client address, never per account
alone, so an attacker elsewhere cannot lock out the account's owner. A wide, slow guess across
many addresses is caught by a per-account limit that does not apply to browsers holding a
signed "device cookie" from an earlier successful login to that account.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

DEVICE_COOKIE = "confide_device"
DEVICE_SALT = "confide.accounts.device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 365


def _key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"throttle:{digest}"


def client_address(request: HttpRequest) -> str:
    # uvicorn rewrites REMOTE_ADDR from X-Forwarded-For only for proxies it is told to trust.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


@dataclass(frozen=True)
class Limit:
    key: str
    allowed: int


def _limits(request: HttpRequest, email: str, scope: str) -> list[Limit]:
    address = client_address(request)
    limits = [
        Limit(
            _key(scope, "addr+account", address, email),
            settings.CONFIDE_THROTTLE_PER_ADDRESS_AND_ACCOUNT,
        ),
        Limit(_key(scope, "addr", address), settings.CONFIDE_THROTTLE_PER_ADDRESS),
    ]
    if email and not device_is_trusted(request, email):
        limits.append(
            Limit(_key(scope, "account", email), settings.CONFIDE_THROTTLE_PER_ACCOUNT_UNTRUSTED)
        )
    return limits


def retry_after(request: HttpRequest, email: str, *, scope: str = "login") -> int:
    """Seconds to wait before another attempt, or 0 when an attempt is allowed now."""
    now = time.time()
    wait = 0.0
    for limit in _limits(request, email, scope):
        count, started = cache.get(limit.key, (0, now))
        if count >= limit.allowed:
            wait = max(wait, started + settings.CONFIDE_THROTTLE_WINDOW - now)
    return max(0, math.ceil(wait))


def record_failure(request: HttpRequest, email: str, *, scope: str = "login") -> None:
    now = time.time()
    window = settings.CONFIDE_THROTTLE_WINDOW
    for limit in _limits(request, email, scope):
        count, started = cache.get(limit.key, (0, now))
        if now - started >= window:
            count, started = 0, now
        remaining = max(1, math.ceil(started + window - now))
        cache.set(limit.key, (count + 1, started), timeout=remaining)


def record_success(request: HttpRequest, email: str, *, scope: str = "login") -> None:
    cache.delete(_key(scope, "addr+account", client_address(request), email))


def device_is_trusted(request: HttpRequest, email: str) -> bool:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return False
    try:
        trusted = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(trusted, list) and _account_tag(email) in trusted


def _account_tag(email: str) -> str:
    # The cookie names no address: only a keyed tag of it.
    return signing.Signer(salt=DEVICE_SALT).signature(email)[:16]


def remember_device(request: HttpRequest, response: HttpResponse, email: str) -> None:
    try:
        trusted = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        trusted = []
    if not isinstance(trusted, list):
        trusted = []
    tag = _account_tag(email)
    trusted = [t for t in trusted if t != tag][-4:] + [tag]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(trusted, salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
