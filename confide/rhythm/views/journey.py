from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from confide.accounts.access import access_person
from confide.pairs.access import access_pair
from confide.pairs.selectors import understood_trend
from confide.pairs.services.common import today_for
from confide.rhythm.journey import journey_page
from confide.rhythm.views.common import pair_context


@login_required
@require_GET
def journey(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    page = journey_page(
        pair=pair, viewer=person, today=today_for(person), page=request.GET.get("page")
    )
    # The responsiveness trend, as the pairs app computes it for the pair page.
    trend = understood_trend(pair=pair, viewer=person)
    return render(
        request, "rhythm/journey.html", pair_context(pair, person, page=page, trend=trend)
    )
