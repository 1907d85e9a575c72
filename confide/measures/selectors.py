"""Reads of measures, always scoped: a person's own responses, and a partner's only while both
partners have chosen to share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.urls import reverse

from confide.accounts.models import User
from confide.measures import scoring
from confide.measures.instrument import Instrument, Norms
from confide.measures.models import MeasureResponse, NormsCalibration, ShareConsent
from confide.measures.periods import period_of
from confide.measures.registry import all_instruments
from confide.measures.services import pair_context
from confide.pairs.models import Pair

TAKEN_HERE = ("person", "pair")  # circle members take theirs inside the circles app


@dataclass(frozen=True)
class Due:
    instrument: Instrument
    pair: Pair | None
    partner: User | None
    context: str
    period: str

    @property
    def url(self) -> str:
        if self.pair is None:
            return reverse("measures:take", args=[self.instrument.id])
        return reverse("measures:take_pair", args=[self.pair.pk, self.instrument.id])


def active_pairs(*, person: User) -> list[Pair]:
    return list(
        Pair.objects.filter(
            status=Pair.Status.ACTIVE, members__user=person, members__left_at__isnull=True
        )
        .prefetch_related("members__user")
        .order_by("created_at")
    )


def partner_in(pair: Pair, person: User) -> User | None:
    return next((m.user for m in pair.members.all() if m.user_id != person.pk), None)


def due_measures(*, person: User, today: date, pairs: list[Pair] | None = None) -> list[Due]:
    """Measures whose period has come and that the person has not answered in it. `pairs`: the
    person's active pairs, oldest first, with their members loaded, when the caller has them.

    Each appears once; nothing piles up from periods that passed unanswered.
    """
    instruments = [
        i
        for i in all_instruments().values()
        if i.cadence != "occasion" and i.audience in TAKEN_HERE
    ]
    if pairs is None:
        pairs = (
            active_pairs(person=person) if any(i.audience == "pair" for i in instruments) else []
        )
    candidates: list[Due] = []
    for instrument in instruments:
        period = period_of(instrument.cadence, today)
        if instrument.audience == "person":
            candidates.append(Due(instrument, None, None, "", period))
        else:
            candidates += [
                Due(instrument, pair, partner_in(pair, person), pair_context(pair), period)
                for pair in pairs
            ]
    if not candidates:
        return []
    answered = set(
        MeasureResponse.objects.filter(
            person=person, period__in={d.period for d in candidates}
        ).values_list("instrument_id", "context", "period")
    )
    return [d for d in candidates if (d.instrument.id, d.context, d.period) not in answered]


# --- progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NormsInfo:
    norms: Norms | None
    # "file", "local" (calibrated here), "none" (not yet available) or "single" (one item:
    # no internal reliability to calibrate, so only a file's norms can give one)
    origin: str
    n: int  # complete responses behind local figures


def norms_for(instruments: list[Instrument]) -> dict[str, NormsInfo]:
    """Norms from each file, else calibrated from this instance once there are enough."""
    local = {
        c.instrument_id: c
        for c in NormsCalibration.objects.filter(
            instrument_id__in=[i.id for i in instruments if i.norms is None]
        )
    }
    found: dict[str, NormsInfo] = {}
    for instrument in instruments:
        if instrument.norms is not None:
            found[instrument.id] = NormsInfo(instrument.norms, "file", 0)
            continue
        row = local.get(instrument.id)
        calibration = scoring.Calibration(
            row.n if row else 0, row.sd if row else None, row.reliability if row else None
        )
        norms = calibration.norms()
        origin = "local" if norms else "single" if len(instrument.items) < 2 else "none"  # noqa: PLR2004
        found[instrument.id] = NormsInfo(norms, origin, calibration.n)
    return found


@dataclass(frozen=True)
class Series:
    person: User
    instrument: Instrument
    context: str
    responses: list[MeasureResponse]

    @cached_property
    def totals(self) -> list[float]:
        """Worked out once per series: each total reads its response's scores."""
        return [r.total for r in self.responses]

    def change(self, norms: NormsInfo) -> scoring.Change | None:
        if norms.norms is None or len(self.responses) < 2:  # noqa: PLR2004
            return None
        return scoring.reliable_change(
            first=self.totals[0],
            latest=self.totals[-1],
            sd=norms.norms.sd,
            reliability=norms.norms.reliability,
            higher_is_better=self.instrument.higher_is_better,
        )


def own_series(*, person: User, context: str | None = None) -> list[Series]:
    """The person's own responses, grouped by instrument and context, oldest first."""
    responses = MeasureResponse.objects.filter(person=person)
    if context is not None:
        responses = responses.filter(context=context)
    found = list(responses.order_by("taken_on", "created_at"))
    field = MeasureResponse._meta.get_field("person")
    for response in found:  # all the person's own: no need to join them into every row
        field.set_cached_value(response, person)
    return _group(found)


def _group(responses: list[MeasureResponse]) -> list[Series]:
    instruments = all_instruments()
    groups: dict[tuple[int, str, str], list[MeasureResponse]] = defaultdict(list)
    people: dict[int, User] = {}
    for response in responses:
        if response.instrument_id in instruments:
            groups[(response.person_id, response.instrument_id, response.context)].append(response)
            people[response.person_id] = response.person
    return [
        Series(people[person_id], instruments[instrument_id], context, items)
        for (person_id, instrument_id, context), items in sorted(groups.items())
    ]


def sharing(*, pair: Pair) -> dict[int, bool]:
    return dict(ShareConsent.objects.filter(pair=pair).values_list("person_id", "shared"))


def partners_see_each_other(*, pair: Pair, choices: dict[int, bool]) -> bool:
    """True only while the pair is active and both people have chosen to share."""
    members = [m.user_id for m in pair.members.all() if m.left_at is None]
    return (
        pair.is_active
        and len(members) == 2  # noqa: PLR2004
        and all(choices.get(user_id, False) for user_id in members)
    )


def pair_series(*, pair: Pair, viewer: User, choices: dict[int, bool]) -> list[Series]:
    """The viewer's series about this pair, and the partner's only if both share."""
    responses = MeasureResponse.objects.filter(context=pair_context(pair)).select_related("person")
    if not partners_see_each_other(pair=pair, choices=choices):
        responses = responses.filter(person=viewer)
    return _group(list(responses.order_by("taken_on", "created_at")))
