"""Limits on costly input: per-person write rates, and the size of a request body.

Write rates: far above what a person writes, far below what a script does.

Every write a signed-in person makes counts once — a form post (WriteRateLimitMiddleware) or a
socket message that changes something (the dialogue and round consumers call `write_attempt`) —
against each window in CONFIDE_WRITE_LIMITS, e.g. 40 a minute and 400 an hour. Over a limit,
the write is refused before any view or service runs: nothing is written, the page says when to
try again (HTTP 429 with Retry-After), and the socket answers with an error and stays open.

Counts live in the same store as the login throttle (Django's cache: memory for one process,
Redis when REDIS_URL is set, so every process shares them), in fixed windows, counted with an
atomic `incr`. Keys name a hash of the person's id, never the person. Logging out is never
limited: nobody should be kept signed in.

Body size: no view takes files, so a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused by
BodyLimitMiddleware from its Content-Length, before anything reads it, with a page that says
so (HTTP 413). It must sit before IdempotencyMiddleware, which reads the form: a body Django
refuses there would reach the view as an empty form. (A body without a Content-Length is still
refused by Django's own check, as an empty form that changes nothing.)
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

Handler = Callable[[HttpRequest], HttpResponse]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT_VIEWS = frozenset({"accounts:logout"})


def _key(user_id: object, window: int, bucket: int) -> str:
    digest = hashlib.sha256(f"writes|{user_id}".encode()).hexdigest()[:32]
    return f"writes:{digest}:{window}:{bucket}"


def _limits() -> list[tuple[int, int]]:
    return [(int(window), int(allowed)) for window, allowed in settings.CONFIDE_WRITE_LIMITS]


def write_attempt(user_id: object, *, now: float | None = None) -> int:
    """Count one write by this person; returns 0 when it is allowed, else the seconds to wait
    (and then nothing is counted, so a refused write does not lengthen the wait)."""
    now = time.time() if now is None else now
    limits = _limits()
    wait = 0.0
    for window, allowed in limits:
        bucket = int(now // window)
        if (cache.get(_key(user_id, window, bucket)) or 0) >= allowed:
            wait = max(wait, (bucket + 1) * window - now)
    if wait:
        return max(1, math.ceil(wait))
    for window, _allowed in limits:
        key = _key(user_id, window, int(now // window))
        cache.add(key, 0, timeout=window + 1)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: start the window again
            cache.set(key, 1, timeout=window + 1)
    return 0


def rate_limited_message(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "That was more changes in a short time than a person usually makes, so it was not "
        "saved. Please try again in a minute.",
        "That was more changes in a short time than a person usually makes, so it was not "
        "saved. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def rate_limited_response(request: HttpRequest, wait: int) -> HttpResponse:
    response = TemplateResponse(
        request,
        "core/rate_limited.html",
        {"minutes": max(1, math.ceil(wait / 60))},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response.render()


class WriteRateLimitMiddleware:
    """Refuses a signed-in person's write over the limits, before the view runs."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if request.method not in WRITE_METHODS or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        wait = write_attempt(request.user.pk)
        return rate_limited_response(request, wait) if wait else None


class BodyLimitMiddleware:
    """Refuses a request whose declared body is larger than any form of Confide's."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            response = TemplateResponse(
                request, "core/too_large.html", {"kilobytes": limit // 1024}, status=413
            )
            return response.render()
        return self.get_response(request)
