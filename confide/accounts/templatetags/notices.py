"""{% notice "privacy.checkin" %}: the notice, until the person has acknowledged it."""

from __future__ import annotations

from typing import Any

from django import template

from confide.accounts import notices

register = template.Library()


@register.inclusion_tag("accounts/notice.html", takes_context=True)
def notice(context: template.Context, key: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    show = (
        user is not None
        and user.is_authenticated
        and key in notices.TEXTS
        and not notices.notice_is_seen(user=user, key=key)
    )
    return {
        "show": show,
        "key": key,
        "title": notices.TITLES.get(key, ""),
        "lines": notices.TEXTS.get(key, []),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
