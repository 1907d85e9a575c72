"""Keeps each signed-in session's record (see sessions.py) and logs out one ended elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from confide.accounts.models import User
from confide.accounts.sessions import session_still_open


class SessionRecordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and not session_still_open(request, user):
            logout(request)
        return self.get_response(request)
