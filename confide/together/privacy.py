"""The together app's export and erasure handler (see confide/privacy/registry.py and
docs/privacy.md). Planners are named "you" or "partner", never by account name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from confide.accounts.models import User
from confide.pairs.models import PairMember
from confide.privacy.document import iso
from confide.privacy.registry import privacy_handler_register
from confide.together.models import Plan, TogetherTime


def together_export(user: User) -> dict[str, Any]:
    pair_ids = PairMember.objects.filter(user=user).values("pair_id")
    plans = Plan.objects.filter(Q(planned_by=user) | Q(pair_id__in=pair_ids)).order_by("starts_at")
    times = TogetherTime.objects.filter(pair_id__in=pair_ids).order_by("started_at")
    return {
        "plans": [
            {
                "pair": str(plan.pair_id),
                "planned_by": "you" if plan.planned_by_id == user.pk else "partner",
                "what": plan.what,
                "notes": plan.notes,
                "starts_at": iso(plan.starts_at),
                "duration_minutes": plan.duration_minutes,
                "device_free": plan.device_free,
                "status": plan.status,
            }
            for plan in plans
        ],
        "time_together": [
            {
                "pair": str(time.pair_id),
                "source": time.source,
                "started_at": iso(time.started_at),
                "minutes": time.minutes,
                "device_free": time.device_free,
            }
            for time in times
        ],
    }


def together_erase(user: User) -> None:
    """Delete the plans the person wrote; time spent together stays with the pair, unnamed."""
    Plan.objects.filter(planned_by=user).delete()
    Plan.objects.filter(closed_by=user).update(closed_by=None)
    TogetherTime.objects.filter(started_by=user).update(started_by=None)
    TogetherTime.objects.filter(stopped_by=user).update(stopped_by=None)


def register() -> None:
    privacy_handler_register(
        app="together", models=(Plan, TogetherTime), export=together_export, erase=together_erase
    )
