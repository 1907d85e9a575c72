from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from confide.accounts.access import access_person
from confide.pairs.models import Pair
from confide.safety.disclosure import MESSAGES, DisclosureError, held_entry, held_entry_decide
from confide.safety.resources import resources_for


def _safe_next(request: HttpRequest, target: str) -> str:
    # A path only: redirect() would take a bare word like "0" for a view name (a server error).
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return ""


@login_required
@require_GET
def support(request: HttpRequest) -> HttpResponse:
    """Shown right after someone wrote words of crisis or fear: support first, then go on."""
    person = access_person(request)
    requested = request.GET.get("kind")
    # "held": opened later from the entry itself, to decide who sees it.
    kind = requested if requested in {"fear", "held", "maybe"} else "crisis"
    target = _safe_next(request, request.GET.get("next", ""))
    entry = request.GET.get("entry", "")
    held = held_entry(person, entry) if entry else None
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
        "held": held,
        "entry": entry,
    }
    return render(request, "safety/support.html", context)


@login_required
@require_POST
def held_decide(request: HttpRequest) -> HttpResponse:
    """The writer's choice for an entry kept private after words of crisis or fear."""
    person = access_person(request)
    entry = request.POST.get("entry", "")
    action = request.POST.get("action", "")
    target = _safe_next(request, request.POST.get("next", ""))
    try:
        found = held_entry_decide(user=person, entry=entry, action=action)
    except DisclosureError as error:
        messages.error(request, str(error))
        held = held_entry(person, entry)
        back = target or (held.url if held else reverse("core:home"))
        return redirect(back)
    messages.success(request, MESSAGES[action])  # type: ignore[index]  # checked by decide
    if action == "delete":
        return redirect(target or reverse("core:home"))
    return redirect(target or found.url)
