from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from confide.accounts.access import access_person
from confide.pairs.models import Pair
from confide.safety.resources import resources_for


@login_required
@require_GET
def support(request: HttpRequest) -> HttpResponse:
    """Shown right after someone wrote words of crisis or fear: support first, then go on."""
    person = access_person(request)
    kind = "fear" if request.GET.get("kind") == "fear" else "crisis"
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    pair = None
    if kind == "fear":
        try:
            pair_id = uuid.UUID(request.GET.get("pair", ""))
        except ValueError:  # absent or not a UUID: the page without the pause option
            pair_id = None
        if pair_id is not None:
            pair = Pair.objects.filter(
                pk=pair_id,
                members__user=person,
                members__left_at__isnull=True,
                status=Pair.Status.ACTIVE,
            ).first()
    context = {
        "kind": kind,
        "crisis": resources_for(person.country),
        "next": target,
        "pair": pair,
    }
    return render(request, "safety/support.html", context)
