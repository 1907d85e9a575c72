from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from confide.accounts.models import User
from confide.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the navigation: one COUNT query, and none for anonymous visitors."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user=user)}
