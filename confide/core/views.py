from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from confide.accounts.access import access_person
from confide.accounts.notices import TIME_ZONE, notice_is_seen
from confide.core.due import DueAsk, due_for
from confide.core.tasklease import last_heartbeat_age
from confide.safety.resources import country_choices, resources_for


def _home_context(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's pairs, circles and what is new, each read through its own app.
    The pairs and circles are read once, shared by the page and the "due today" providers."""
    from confide.circles.due import person_memberships
    from confide.measures.selectors import due_measures
    from confide.notifications.selectors import notifications_for
    from confide.pairs.due import person_pairs

    person = access_person(request)
    try:
        zone = zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    today = timezone.localdate(timezone=zone)
    ask = DueAsk(person, today)
    pairs = person_pairs(ask)
    return {
        "due": due_for(person, today, ask=ask),
        "pairs": pairs.every,
        "memberships": person_memberships(ask),
        "measures_due": due_measures(
            person=person, today=today, pairs=[s.pair for s in pairs.active]
        ),
        "news": notifications_for(user=person).filter(read_at__isnull=True)[:5],
        # New accounts take the browser's time zone at sign-up: confirmed here, once.
        "confirm_time_zone": not notice_is_seen(user=person, key=TIME_ZONE),
        "local_now": timezone.localtime(timezone=zone),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return render(request, "core/home.html", _home_context(request))
    return render(request, "core/welcome.html")


@require_GET
def crisis(request: HttpRequest) -> HttpResponse:
    # ?country=XX lets anyone (signed in or not, no cookie) look at another country's lines.
    country = request.GET.get("country", getattr(request.user, "country", ""))
    context = {"crisis": resources_for(country), "country_choices": country_choices()}
    return render(request, "core/crisis.html", context)


@require_GET
@login_required
def session_ping(request: HttpRequest) -> HttpResponse:
    """Nothing, for a signed-in person: 204 after Confide's whole middleware (session, sign-in,
    limits, preferences). `confide bench` measures it as the authenticated floor."""
    return HttpResponse(status=204)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    # Seconds since a task worker last said it was alive (None: no worker has run yet). A
    # number and nothing else: no worker id, no process id, no host.
    age = last_heartbeat_age()
    worker = {"last_heartbeat_seconds": None if age is None else round(age, 1)}
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker})
