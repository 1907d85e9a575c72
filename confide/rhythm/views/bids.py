from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from confide.accounts.access import access_person
from confide.pairs.access import access_pair
from confide.pairs.services.common import today_for
from confide.rhythm import selectors
from confide.rhythm.forms import BidForm
from confide.rhythm.models import BidKind
from confide.rhythm.services import RhythmError
from confide.rhythm.services.bids import bid_note
from confide.rhythm.views.common import pair_context, partner_in, safe_next

DONE = {
    BidKind.TURNED_TOWARD: gettext_lazy("Noted: you turned toward %(name)s."),
    BidKind.CAME_BACK: gettext_lazy("Noted: you came back to %(name)s. That counts too."),
}


@login_required
@require_GET
def bids(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    today = today_for(person)
    weeks = selectors.bid_summary(pair=pair, viewer=person, today=today)
    partner = partner_in(pair, person)
    context = pair_context(
        pair,
        person,
        weeks=[
            {
                "start": week.week_start,
                "mine": week.of(person.pk),
                "theirs": week.of(partner.pk) if partner is not None and pair.is_active else None,
                "noticed": week.noticed,
            }
            for week in weeks
        ],
        kinds=BidKind,
    )
    return render(request, "rhythm/bids.html", context)


@login_required
@require_POST
def bid(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    back = safe_next(request, request.POST.get("next"), reverse("rhythm:bids", args=[pair.pk]))
    form = BidForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["kind"][0]))
        return redirect(back)
    kind = form.cleaned_data["kind"]
    try:
        bid_note(pair=pair, person=person, kind=kind)
    except RhythmError as error:
        messages.error(request, error.messages[0])
    else:
        partner = partner_in(pair, person)
        name = partner.display_name if partner is not None else _("your partner")
        messages.success(request, str(DONE[BidKind(kind)]) % {"name": name})
    return redirect(back)
