from __future__ import annotations

import csv
import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.measures import progress, selectors
from confide.measures.forms import MeasureForm, SharingForm
from confide.measures.instrument import Instrument
from confide.measures.models import MeasureResponse
from confide.measures.periods import period_of
from confide.measures.registry import all_instruments, get_instrument
from confide.measures.services import MeasureError, pair_context, response_submit, sharing_set
from confide.pairs.access import access_pair
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for

GET_POST = ["GET", "POST"]


def _instrument_for(instrument_id: str, audience: str) -> Instrument:
    instrument = get_instrument(instrument_id)
    if instrument.audience != audience or instrument.cadence == "occasion":
        raise Http404
    return instrument


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    due = selectors.due_measures(person=person, today=today_for(person))
    return render(request, "measures/index.html", {"due": due})


def _take(
    request: HttpRequest, person: User, instrument: Instrument, pair: Pair | None
) -> HttpResponse:
    context_key = pair_context(pair) if pair is not None else ""
    period = period_of(instrument.cadence, today_for(person))
    answered = MeasureResponse.objects.filter(
        person=person, instrument_id=instrument.id, context=context_key, period=period
    ).exists()
    form = MeasureForm(instrument, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(person=person, instrument=instrument, answers=form.answers(), pair=pair)
        except MeasureError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Thank you. Your answers are saved; only you can see them.")
            )
            return redirect("measures:progress")
    context = {
        "instrument": instrument,
        "pair": pair,
        "partner": selectors.partner_in(pair, person) if pair else None,
        "form": form,
        "questions": form.questions(),
        "answered": answered and request.method == "GET",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "measures/take.html", context, status=status)


@login_required
@require_http_methods(GET_POST)
def take(request: HttpRequest, instrument_id: str) -> HttpResponse:
    person = access_person(request)
    return _take(request, person, _instrument_for(instrument_id, "person"), None)


@login_required
@require_http_methods(GET_POST)
def take_pair(request: HttpRequest, pair_id: uuid.UUID, instrument_id: str) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    return _take(request, person, _instrument_for(instrument_id, "pair"), pair)


def _pairs_by_context(person: User) -> dict[str, Pair]:
    from confide.pairs.selectors import pairs_of_person

    return {pair_context(pair): pair for pair in pairs_of_person(user=person)}


@login_required
@require_GET
def progress_view(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    pairs = _pairs_by_context(person)
    sections = progress.sections(
        series=selectors.own_series(person=person), pairs=pairs, viewer=person, together=False
    )
    return render(request, "measures/progress.html", {"sections": sections, "pairs": pairs})


@login_required
@require_GET
def pair_view(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    choices = selectors.sharing(pair=pair)
    series = selectors.pair_series(pair=pair, viewer=person, choices=choices)
    partner = selectors.partner_in(pair, person)
    context = {
        "pair": pair,
        "partner": partner,
        "i_share": choices.get(person.pk, False),
        "partner_shares": partner is not None and choices.get(partner.pk, False),
        "together": selectors.partners_see_each_other(pair=pair, choices=choices),
        "sections": progress.sections(
            series=series, pairs={pair_context(pair): pair}, viewer=person, together=True
        ),
    }
    return render(request, "measures/pair.html", context)


@login_required
@require_POST
def sharing(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    form = SharingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to share your scores."))
        return redirect("measures:pair", pair.pk)
    try:
        sharing_set(pair=pair, person=person, shared=form.cleaned_data["shared"])
    except MeasureError as error:
        messages.error(request, error.messages[0])
    else:
        if form.cleaned_data["shared"]:
            messages.success(
                request,
                _(
                    "You share your scores in this pair. "
                    "Your partner sees them once they share too."
                ),
            )
        else:
            messages.success(request, _("Your scores are private to you again."))
    return redirect("measures:pair", pair.pk)


def _svg(content: str) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@never_cache
def chart(request: HttpRequest, instrument_id: str) -> HttpResponse:
    """The viewer's own scores on one instrument, alone or about one of their pairs."""
    person = access_person(request)
    instrument = get_instrument(instrument_id)
    context_key = ""
    if request.GET.get("pair"):
        try:
            pair_id = uuid.UUID(request.GET["pair"])
        except ValueError:
            raise Http404 from None
        pair = access_pair(person, pair_id)
        context_key = pair_context(pair)
    series = [
        s
        for s in selectors.own_series(person=person, context=context_key)
        if s.instrument.id == instrument.id
    ]
    if not series:
        raise Http404
    return _svg(progress.chart_for(instrument, series, size=_size(request)))


def _size(request: HttpRequest) -> str:
    return "small" if request.GET.get("size") == "small" else "large"


@login_required
@require_GET
@never_cache
def pair_chart(request: HttpRequest, pair_id: uuid.UUID, instrument_id: str) -> HttpResponse:
    """The pair page's chart: the partner's scores only while both share."""
    person = access_person(request)
    pair = access_pair(person, pair_id)
    instrument = get_instrument(instrument_id)
    if instrument.audience != "pair":
        raise Http404
    choices = selectors.sharing(pair=pair)
    series = [
        s
        for s in selectors.pair_series(pair=pair, viewer=person, choices=choices)
        if s.instrument.id == instrument.id
    ]
    return _svg(progress.chart_for(instrument, series, size=_size(request)))


EXPORT_COLUMNS = [
    "instrument",
    "instrument_version",
    "taken_on",
    "period",
    "about",
    "kind",
    "name",
    "value",
]


@login_required
@require_GET
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """The person's own answers and scores, one row per answer or score."""
    person = access_person(request)
    instruments = all_instruments()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for response in MeasureResponse.objects.filter(person=person).order_by(
        "taken_on", "created_at"
    ):
        instrument = instruments.get(response.instrument_id)
        answers = response.answers
        order = [i.id for i in instrument.items] if instrument else sorted(answers)
        about = response.context or "person"
        base = [
            response.instrument_id,
            response.instrument_version,
            response.taken_on.isoformat(),
            response.period,
            about,
        ]
        for item in order:
            value = answers.get(item)
            writer.writerow([*base, "answer", item, "" if value is None else value])
        for scale, score in response.scores.items():
            writer.writerow([*base, "score", scale, "" if score is None else f"{score:g}"])
    reply = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = 'attachment; filename="confide-measures.csv"'
    return reply
