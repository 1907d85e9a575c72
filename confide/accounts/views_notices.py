"""Acknowledging a notice that is shown once (see confide/accounts/notices.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from confide.accounts import notices
from confide.accounts.access import access_person
from confide.accounts.views import safe_next


@login_required
@require_POST
def notice_seen(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    key = request.POST.get("key", "")[:40]
    target = safe_next(request) or "core:home"
    if key not in notices.KEYS:
        messages.error(request, _("This notice does not exist. Reload the page."))
        return redirect(target)
    notices.notice_acknowledge(user=person, key=key)
    return redirect(target)
