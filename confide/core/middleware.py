"""Request-wide behaviour: session limits, the person's time zone and language, private caching,
and the browser features every page turns off."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers

Handler = Callable[[HttpRequest], HttpResponse]
LOGIN_AT_KEY = "confide_login_at"


class SessionLimitsMiddleware:
    """Ends a session 12 hours after login, however active it was (idle expiry is the cookie's)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            limit = settings.CONFIDE_SESSION_ABSOLUTE_SECONDS
            if started is None:
                request.session[LOGIN_AT_KEY] = time.time()
            elif time.time() - float(started) > limit:
                logout(request)
        return self.get_response(request)


class PersonPreferencesMiddleware:
    """Shows times in the person's own time zone and pages in their language."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            translation.activate(user.locale or settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        timezone.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """Every response turns off the browser features Confide never uses (camera, microphone,
    location, payment, USB, ...), so no page, and no script that got into one, can ask for them.
    The list is CONFIDE_PERMISSIONS_POLICY; it sits above WhiteNoise to cover static files too."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.CONFIDE_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """Nothing a signed-in person sees may be kept by a browser or a proxy cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(
            request, "confide_private", False
        ):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response
