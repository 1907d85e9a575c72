"""Every write of the measures app: responses, sharing choices and local norms.

Reminders are not sent from here: a measure that is ready shows on the home page, and a person
who turns on the "Short reflections" reminder gets one through the reminders app
(confide/reminders/services.py, sent only when a measure is due)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.core.models import ScheduledSend
from confide.core.scheduler import Due, SendOutcome, Sent
from confide.measures import scoring
from confide.measures.instrument import Instrument
from confide.measures.models import MeasureResponse, NormsCalibration, ShareConsent
from confide.measures.periods import period_of
from confide.measures.registry import all_instruments
from confide.pairs.models import Pair, PairMember
from confide.pairs.services.common import today_for
from confide.privacy.keys import person_space


class MeasureError(ValidationError):
    """A request that cannot be done; the message says why, for the person."""


def problem_message(instrument: Instrument, problem: scoring.AnswerProblem) -> str:
    item = next((i for i in instrument.items if i.id == problem.item), None)
    number = instrument.items.index(item) + 1 if item else 0
    if problem.code == "unknown_item":
        return _("One answer was for a question this measure does not have. Nothing was saved.")
    if problem.code == "out_of_range":
        return _("Question %(n)d: choose one of the answers from %(low)d to %(high)d.") % {
            "n": number,
            "low": instrument.low,
            "high": instrument.high,
        }
    if problem.code == "too_many_missing":
        return _(
            "Please answer at least %(needed)d of the %(total)d questions; you may skip up to "
            "%(allowed)d."
        ) % {
            "needed": problem.data["needed"],
            "total": len(instrument.items),
            "allowed": problem.data["allowed"],
        }
    return _("Question %(n)d: choose one of the answers.") % {"n": number}


def pair_context(pair: Pair) -> str:
    return f"pair:{pair.pk}"


def _check_audience(instrument: Instrument, person: User, pair: Pair | None, context: str) -> str:
    if instrument.audience == "person":
        if pair is not None or context:
            raise MeasureError(_("This measure is about you alone, not about a pair or circle."))
        return ""
    if instrument.audience == "pair":
        active = pair is not None and pair.is_active
        member = (
            active
            and PairMember.objects.filter(pair=pair, user=person, left_at__isnull=True).exists()
        )
        if pair is None or not member:
            raise MeasureError(_("This measure is for a pair you are part of."))
        return pair_context(pair)
    # Circle members: the circles app checks membership and names the circle or meeting.
    if pair is not None or not context.startswith(("circle:", "meeting:")):
        raise MeasureError(_("This measure is taken from within a circle."))
    return context


@transaction.atomic
def response_submit(
    *,
    person: User,
    instrument: Instrument,
    answers: Mapping[str, object],
    pair: Pair | None = None,
    context: str = "",
) -> MeasureResponse:
    """Score and store one response, sealed in the person's private space.

    Refused, with nothing stored, for bad answers or a second response in the same period.
    """
    context = _check_audience(instrument, person, pair, context)
    try:
        scores = scoring.score(instrument, answers)
        cleaned = scoring.clean_answers(instrument, answers)
    except scoring.AnswerError as error:
        raise MeasureError([problem_message(instrument, p) for p in error.problems]) from None
    today = today_for(person)
    period = period_of(instrument.cadence, today)
    already = MeasureResponse.objects.filter(
        person=person, instrument_id=instrument.id, context=context, period=period
    )
    if already.exists():
        raise MeasureError(_already_message(instrument))
    response = MeasureResponse(
        person=person,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        context=context,
        pair=pair,
        period=period,
        taken_on=today,
        complete=all(v is not None for v in cleaned.values()),
        space=person_space(user=person),
        answers_json=json.dumps(cleaned, sort_keys=True),
        scores_json=json.dumps(scores.as_dict(), sort_keys=True),
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:  # a second submission that raced the check above
        raise MeasureError(_already_message(instrument)) from None
    # Local norms are recalculated by the scheduler's sweep (norms_due), not here.
    return response


def _already_message(instrument: Instrument) -> str:
    messages = {
        "daily": _("You have already answered this today. It will be ready again tomorrow."),
        "weekly": _("You have already answered this week. It will be ready again next week."),
        "fortnightly": _(
            "You have already answered in this fortnight. It will be ready again in the next one."
        ),
        "monthly": _("You have already answered this month. It will be ready again next month."),
    }
    return messages.get(instrument.cadence, _("You have already answered this one."))


@transaction.atomic
def sharing_set(*, pair: Pair, person: User, shared: bool) -> ShareConsent:
    """A person's own choice to show their scores to their partner (audited)."""
    if not PairMember.objects.filter(pair=pair, user=person, left_at__isnull=True).exists():
        raise MeasureError(_("Only the people in this pair can choose what they share in it."))
    if shared and not pair.is_active:
        raise MeasureError(_("This pair has ended, so nothing new can be shared in it."))
    consent, _created = ShareConsent.objects.select_for_update().get_or_create(
        pair=pair, person=person
    )
    if consent.shared != shared:
        consent.shared = shared
        consent.updated_at = timezone.now()
        consent.save(update_fields=["shared", "updated_at"])
        action = "measures.sharing.granted" if shared else "measures.sharing.withdrawn"
        audit_log(actor=person, action=action, target=pair, data={"person": person.pk})
    return consent


def _latest_per_person(instrument: Instrument) -> list[uuid.UUID]:
    """Ids of each person's latest complete response (ids only: nothing is decrypted here)."""
    rows = (
        MeasureResponse.objects.filter(
            instrument_id=instrument.id, instrument_version=instrument.version, complete=True
        )
        .order_by("person_id", "-taken_on", "-created_at", "-id")
        .values_list("id", "person_id")
    )
    latest: dict[int, uuid.UUID] = {}
    for response_id, person_id in rows.iterator():
        latest.setdefault(person_id, response_id)
    return list(latest.values())


@transaction.atomic
def norms_refresh(*, instrument_id: str) -> NormsCalibration | None:
    """Recalculate an instrument's local norms (safe to rerun).

    One response per person, their latest complete one: the spread and the reliability are
    about differences between people, and a person who answered every week for a year would
    otherwise count as fifty-two people who all agree. Only those responses are decrypted.
    Run by the scheduler's sweep (at most hourly, and only after new responses), never on a
    person's submission.
    """
    instrument = all_instruments().get(instrument_id)
    if instrument is None or instrument.norms is not None:
        return None
    ids = _latest_per_person(instrument)
    rows = MeasureResponse.objects.filter(id__in=ids).only("id", "space_id", "answers_json")
    calibration = scoring.calibrate(instrument, [row.answers for row in rows.iterator()])
    saved, _created = NormsCalibration.objects.update_or_create(
        instrument_id=instrument_id,
        defaults={
            "n": calibration.n,
            "sd": calibration.sd,
            "reliability": calibration.reliability,
            "computed_at": timezone.now(),
        },
    )
    return saved


def norms_due(after: datetime, until: datetime) -> list[Due]:
    """The scheduler's find: an hourly refresh for each locally calibrated instrument that has
    complete responses newer than its last calibration."""
    slot = until.replace(minute=0, second=0, microsecond=0)
    if slot <= after:
        return []
    computed = dict(NormsCalibration.objects.values_list("instrument_id", "computed_at"))
    due = []
    for instrument in all_instruments().values():
        if instrument.norms is not None:
            continue
        newer = MeasureResponse.objects.filter(
            instrument_id=instrument.id, instrument_version=instrument.version, complete=True
        )
        if instrument.id in computed:
            newer = newer.filter(created_at__gt=computed[instrument.id])
        if newer.exists():
            due.append(Due(kind="norms", subject=instrument.id, slot=slot))
    return due


def norms_deliver(item: ScheduledSend, now: datetime) -> SendOutcome:
    """The scheduler's send: recalculate one instrument's norms."""
    norms_refresh(instrument_id=item.subject)
    return Sent.DONE
