"""What the progress pages show: per instrument, a chart, a data table and reliable change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from confide.accounts.models import User
from confide.measures import scoring
from confide.measures.charts import ChartSeries, render_chart
from confide.measures.instrument import Instrument
from confide.measures.selectors import NormsInfo, Series, norms_for
from confide.pairs.models import Pair

LABELS = {
    scoring.BETTER: gettext_noop("reliably better"),
    scoring.SAME: gettext_noop("no reliable change"),
    scoring.WORSE: gettext_noop("reliably worse"),
}
MEANINGS = {
    scoring.BETTER: gettext_noop("Reliably better: a change bigger than day-to-day ups and downs"),
    scoring.SAME: gettext_noop("About the same: any change is within day-to-day ups and downs"),
    scoring.WORSE: gettext_noop("Reliably worse: a change bigger than day-to-day ups and downs"),
}


@dataclass(frozen=True)
class PersonChange:
    person: User
    first: float
    latest: float
    change: scoring.Change | None

    @property
    def label(self) -> str:
        return _(LABELS[self.change.label]) if self.change else ""

    @property
    def meaning(self) -> str:
        """What the change means, in words for people, before any number."""
        if self.change is None:
            return ""
        return _(MEANINGS[self.change.label])


@dataclass(frozen=True)
class Row:
    day: date
    values: list[float | None]


@dataclass(frozen=True)
class Section:
    instrument: Instrument
    pair: Pair | None
    series: list[Series]
    norms: NormsInfo
    chart_url: str
    rows: list[Row]
    changes: list[PersonChange]

    @property
    def small_chart_url(self) -> str:
        joiner = "&" if "?" in self.chart_url else "?"
        return f"{self.chart_url}{joiner}size=small"

    @property
    def people(self) -> list[User]:
        return [s.person for s in self.series]


def _rows(series: list[Series]) -> list[Row]:
    days = sorted({r.taken_on for s in series for r in s.responses})
    by_person = [{r.taken_on: r.total for r in s.responses} for s in series]
    return [Row(day, [values.get(day) for values in by_person]) for day in days]


def sections(
    *, series: list[Series], pairs: dict[str, Pair], viewer: User, together: bool
) -> list[Section]:
    """Group series by instrument and context. `together`: charts from the pair page."""
    grouped: dict[tuple[str, str], list[Series]] = {}
    for entry in series:
        grouped.setdefault((entry.instrument.id, entry.context), []).append(entry)
    norms = norms_for(list({s.instrument.id: s.instrument for s in series}.values()))
    found = []
    for (instrument_id, context), group in grouped.items():
        group.sort(key=lambda s: s.person.pk != viewer.pk)  # the viewer first
        instrument = group[0].instrument
        pair = pairs.get(context)
        found.append(
            Section(
                instrument=instrument,
                pair=pair,
                series=group,
                norms=norms[instrument_id],
                chart_url=_chart_url(instrument, pair, together=together),
                rows=_rows(group),
                changes=[
                    PersonChange(
                        s.person, s.totals[0], s.totals[-1], s.change(norms[instrument_id])
                    )
                    for s in group
                ],
            )
        )
    return found


def _chart_url(instrument: Instrument, pair: Pair | None, *, together: bool) -> str:
    if together and pair is not None:
        return reverse("measures:pair_chart", args=[pair.pk, instrument.id])
    url = reverse("measures:chart", args=[instrument.id])
    return f"{url}?{urlencode({'pair': str(pair.pk)})}" if pair is not None else url


def chart_for(instrument: Instrument, series: list[Series], *, size: str = "large") -> str:
    low, high = instrument.range
    description = _(
        "Total scores over time, from %(low)g to %(high)g; %(direction)s. "
        "The table beside the chart gives every score."
    ) % {
        "low": low,
        "high": high,
        "direction": _("higher is better") if instrument.higher_is_better else _("lower is better"),
    }
    parts = [description]
    for entry in series:
        if entry.responses:
            parts.append(
                _("%(name)s: first %(first)g on %(start)s, latest %(latest)g on %(end)s.")
                % {
                    "name": entry.person.display_name,
                    "first": entry.totals[0],
                    "start": date_format(entry.responses[0].taken_on),
                    "latest": entry.totals[-1],
                    "end": date_format(entry.responses[-1].taken_on),
                }
            )
    return render_chart(
        title=_(instrument.title),
        description=" ".join(parts),
        series=[
            ChartSeries(s.person.display_name, [(r.taken_on, r.total) for r in s.responses])
            for s in series
        ],
        low=low,
        high=high,
        size=size,
    )
