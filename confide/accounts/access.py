from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from confide.accounts.models import User


def access_person(request: HttpRequest) -> User:
    """The signed-in person; call only behind login_required."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
