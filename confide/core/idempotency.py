"""No write doubled by a retry: every form carries a one-time key, and a post whose key was
already used gets the answer the first post got instead of running again.

How a key gets into every form without editing one template: `{% csrf_token %}` is replaced,
through the template engine's `builtins`, by a tag that writes Django's CSRF input and a hidden
`idempotency_key` input with a fresh random value (confide/core/templatetags/idempotent_forms.py).
A form rendered again (after an error, or on a new visit) has a new key.

Why a retry can neither double nor lose a write: for a signed-in person's POST that carries a
key, IdempotencyMiddleware opens one transaction, claims (person, key) with an INSERT under a
unique constraint, runs the view inside it, and stores the answer (a redirect's status and
Location) on the claimed row before the transaction commits. The claim and the write commit
together or not at all:

- the connection is cut after the commit: the retry's INSERT fails on the unique key, and the
  stored redirect is answered at once, without running the view;
- the server dies before the commit: nothing of the first try is kept, so the retry runs it;
- two copies arrive at once: the database serialises the two INSERTs (SQLite's write lock;
  PostgreSQL waits on the uncommitted unique entry), so the second sees the first's answer.

What is kept: a redirect (the usual answer to a successful form, post/redirect/get) and any
other 2xx answer of a view that wrote something (a retry is then sent to the same address by
GET). A form answered with its errors, a refusal (4xx) or a view that wrote nothing forgets its
claim, so the same key may be sent again. A server error (5xx) rolls back the whole request.
Anonymous posts (log in, sign up, reset) carry a key but are not deduplicated: they write
nothing a retry could double. Keys are forgotten after KEEP (idempotency_keys_purge, in the
worker's sweep).

Do not cache a fragment that contains a form: its key would be served twice.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from confide.core.models import IdempotencyKey

FIELD = "idempotency_key"
KEEP = timedelta(days=1)
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

Handler = Callable[[HttpRequest], HttpResponse]


def idempotency_key_new() -> str:
    return secrets.token_urlsafe(16)


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Forget keys older than KEEP; returns how many."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted


class _WriteDetector:
    """Notes whether any statement the view runs writes (beyond the claim itself)."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not self.wrote and sql.lstrip().upper().startswith(_WRITES):
            self.wrote = True
        return execute(sql, params, many, context)


def _key_of(request: HttpRequest) -> str:
    if request.method != "POST" or not request.user.is_authenticated:
        return ""
    try:
        key = request.POST.get(FIELD, "")
    except Exception:  # noqa: BLE001 - a body Django refuses is the view's to answer (400)
        return ""
    return key if isinstance(key, str) and _SHAPE.fullmatch(key) else ""


def _replay(request: HttpRequest, row: IdempotencyKey) -> HttpResponse:
    location = row.location or request.path
    response = HttpResponseRedirect(location)
    response.status_code = row.status if row.location and row.status in _REDIRECTS else 303
    response["Idempotent-Replay"] = "true"
    return response


class IdempotencyMiddleware:
    """Runs a keyed post once per (person, key); see the module's docstring. Place it after
    the authentication middleware, last, so that the view runs inside its transaction."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _key_of(request)
        if not key:
            return self.get_response(request)
        scope = f"u:{request.user.pk}"
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(scope=scope, key=key, status=0)
            except IntegrityError:
                done = IdempotencyKey.objects.filter(scope=scope, key=key).first()
                if done is not None:
                    return _replay(request, done)
                raise
            detector = _WriteDetector()
            with connection.execute_wrapper(detector):
                response = self.get_response(request)
            self._settle(claim, response, wrote=detector.wrote)
        return response

    @staticmethod
    def _settle(claim: IdempotencyKey, response: HttpResponse, *, wrote: bool) -> None:
        status = response.status_code
        if status >= 500:  # noqa: PLR2004 - an error keeps nothing of the request
            transaction.set_rollback(True)
        elif status in _REDIRECTS and response.has_header("Location"):
            claim.status, claim.location = status, response["Location"][:2000]
            claim.save(update_fields=["status", "location"])
        elif 200 <= status < 300 and wrote:  # noqa: PLR2004
            claim.status = status
            claim.save(update_fields=["status"])
        else:
            claim.delete()
