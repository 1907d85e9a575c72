from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from confide.safety.resources import country_choices, resources_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return render(request, "core/home.html")
    return render(request, "core/welcome.html")


@require_GET
def crisis(request: HttpRequest) -> HttpResponse:
    # ?country=XX lets anyone (signed in or not, no cookie) look at another country's lines.
    country = request.GET.get("country", getattr(request.user, "country", ""))
    context = {"crisis": resources_for(country), "country_choices": country_choices()}
    return render(request, "core/crisis.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
