"""What a person takes with them from measures (export) and what erasing their account does.

Registered with the privacy registry in `MeasuresConfig.ready()`.

Export: every response of theirs (instrument, version, what it was about, period, date, the
item answers and the scores, opened from their private space) and their choices to share
scores with a partner. Erasure deletes both. `NormsCalibration` stays: it holds only counts,
standard deviations and reliabilities per instrument, nothing about any one person.
"""

from __future__ import annotations

from typing import Any

from confide.accounts.models import User
from confide.measures.models import MeasureResponse, ShareConsent
from confide.privacy.document import iso

PERSONAL_MODELS = (MeasureResponse, ShareConsent)


def measures_export(user: User) -> dict[str, Any]:
    responses = MeasureResponse.objects.filter(person=user).order_by("taken_on", "created_at")
    consents = ShareConsent.objects.filter(person=user).order_by("pair_id")
    return {
        "responses": [
            {
                "id": str(response.pk),
                "instrument": response.instrument_id,
                "instrument_version": response.instrument_version,
                "context": response.context,
                "period": response.period,
                "taken_on": iso(response.taken_on),
                "complete": response.complete,
                "answers": response.answers,
                "scores": response.scores,
                "created_at": iso(response.created_at),
            }
            for response in responses
        ],
        "share_consents": [
            {
                "pair_id": str(consent.pair_id),
                "shared": consent.shared,
                "updated_at": iso(consent.updated_at),
            }
            for consent in consents
        ],
    }


def measures_erase(user: User) -> None:
    MeasureResponse.objects.filter(person=user).delete()
    ShareConsent.objects.filter(person=user).delete()


def measures_privacy_register() -> None:
    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="measures", models=PERSONAL_MODELS, export=measures_export, erase=measures_erase
    )
