"""Selectors for the journey page: the pair's milestones and practice over time.

Read only, and only through other apps' models and selectors (pairs, dialogue, measures);
nothing here writes to them. Each part is one or two queries whatever the amount of data, and
each keeps to what the viewer may see: shared entries while the pair is active, their own
otherwise; a partner's measures only while both partners share them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from confide.accounts.models import User
from confide.pairs.models import CheckIn, Pair, Visibility
from confide.rhythm.days import next_month
from confide.rhythm.models import Appreciation, Bid, ContractDay

JOURNEY_PAGE: Final = 15


@dataclass(frozen=True)
class Milestone:
    day: date
    kind: str  # paired, first_checkin, first_dialogue, topic_resolved, change, month
    title: str
    details: list[str] = field(default_factory=list)
    url: str = ""


def _paired(pair: Pair) -> Milestone:
    return Milestone(
        timezone.localdate(pair.created_at),
        "paired",
        _("You became a pair in Confide"),
        url=reverse("pairs:detail", args=[pair.pk]),
    )


def _first_checkin(pair: Pair, viewer: User) -> list[Milestone]:
    query = Q(author=viewer)
    if pair.is_active:
        query |= Q(visibility=Visibility.SHARED)
    first = (
        CheckIn.objects.filter(query, pair=pair)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    if first is None:
        return []
    return [
        Milestone(
            first,
            "first_checkin",
            _("The first check-in"),
            url=reverse("pairs:history", args=[pair.pk]),
        )
    ]


def _dialogue(pair: Pair, viewer: User) -> list[Milestone]:
    from confide.dialogue.models import DialogueSession, Topic  # dialogue builds on pairs

    found = []
    first = (
        DialogueSession.objects.filter(Q(person_a=viewer) | Q(person_b=viewer), pair=pair)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if first is not None:
        found.append(
            Milestone(
                timezone.localdate(first),
                "first_dialogue",
                _("The first guided conversation"),
                url=reverse("dialogue:index", args=[pair.pk]),
            )
        )
    resolved = Topic.objects.filter(
        Q(raised_by=viewer) | Q(withheld=False), pair=pair, status=Topic.Status.RESOLVED
    ).order_by("-updated_at")
    for topic in resolved:
        found.append(
            Milestone(
                timezone.localdate(topic.updated_at),
                "topic_resolved",
                _("A topic resolved: %(title)s") % {"title": topic.title},
                url=reverse("dialogue:topic", args=[pair.pk, topic.pk]),
            )
        )
    return found


def _reliable_changes(pair: Pair, viewer: User) -> list[Milestone]:
    """The first time each person's scores showed reliable change (measures' own labels)."""
    from confide.measures import progress, scoring, selectors  # measures build on pairs

    series = selectors.pair_series(pair=pair, viewer=viewer, choices=selectors.sharing(pair=pair))
    if not series:
        return []
    norms = selectors.norms_for(list({s.instrument.id: s.instrument for s in series}.values()))
    found = []
    for entry in series:
        found_norms = norms[entry.instrument.id].norms
        if found_norms is None or len(entry.responses) < 2:  # noqa: PLR2004
            continue
        first = entry.responses[0].total
        for response in entry.responses[1:]:
            change = scoring.reliable_change(
                first=first,
                latest=response.total,
                sd=found_norms.sd,
                reliability=found_norms.reliability,
                higher_is_better=entry.instrument.higher_is_better,
            )
            if change.label != scoring.SAME:
                name = _("You") if entry.person.pk == viewer.pk else entry.person.display_name
                found.append(
                    Milestone(
                        response.taken_on,
                        "change",
                        _("%(name)s: %(label)s on the %(measure)s")
                        % {
                            "name": name,
                            "label": _(progress.LABELS[change.label]),
                            "measure": _(entry.instrument.title).lower(),
                        },
                        url=reverse("measures:pair", args=[pair.pk]),
                    )
                )
                break
    return found


def _by_month(rows: list[tuple[date, int]]) -> dict[date, int]:
    return {month: n for month, n in rows if month is not None}


def _months(pair: Pair, viewer: User, today: date) -> list[Milestone]:
    """Each month's practice in one line: appreciations, bids met, kept contract days."""
    shown = Q(author=viewer) | Q(shared=True) if pair.is_active else Q(author=viewer)
    appreciations = _by_month(
        list(
            Appreciation.objects.filter(shown, pair=pair)
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
        )
    )
    bids_query = Bid.objects.filter(pair=pair)
    if not pair.is_active:
        bids_query = bids_query.filter(person=viewer)
    bids = _by_month(
        list(
            bids_query.annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
        )
    )
    kept_query = ContractDay.objects.filter(pair=pair, shared=True, acknowledged_at__isnull=False)
    if not pair.is_active:
        kept_query = kept_query.filter(Q(stated_by=viewer) | Q(acknowledged_by=viewer))
    kept = _by_month(
        list(
            kept_query.annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
        )
    )
    lines: dict[date, list[str]] = defaultdict(list)
    for month, n in appreciations.items():
        lines[month].append(
            ngettext("%(n)d appreciation noted", "%(n)d appreciations noted", n) % {"n": n}
        )
    for month, n in bids.items():
        lines[month].append(
            ngettext("%(n)d bid noticed and met", "%(n)d bids noticed and met", n) % {"n": n}
        )
    for month, n in kept.items():
        lines[month].append(
            ngettext(
                "%(n)d day of the recovery contract kept",
                "%(n)d days of the recovery contract kept",
                n,
            )
            % {"n": n}
        )
    found = []
    for month, details in lines.items():
        last = next_month(month) - timedelta(days=1)
        found.append(
            Milestone(
                min(last, today),
                "month",
                _("Practice in %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
                details=details,
            )
        )
    return found


def milestones(*, pair: Pair, viewer: User, today: date) -> list[Milestone]:
    """Every milestone the viewer may see, newest first."""
    found = [
        _paired(pair),
        *_first_checkin(pair, viewer),
        *_dialogue(pair, viewer),
        *_reliable_changes(pair, viewer),
        *_months(pair, viewer, today),
    ]
    order = {"month": 0, "change": 1, "topic_resolved": 2, "first_dialogue": 3}
    return sorted(found, key=lambda m: (m.day, -order.get(m.kind, 9)), reverse=True)


def journey_page(
    *, pair: Pair, viewer: User, today: date, page: str | int | None
) -> Page[Milestone]:
    return Paginator(milestones(pair=pair, viewer=viewer, today=today), JOURNEY_PAGE).get_page(page)
