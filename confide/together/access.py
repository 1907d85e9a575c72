"""Fetch and authorise in one step. Anything the viewer may not see is a 404.

Call after `confide.pairs.access.access_pair`, which makes sure the viewer is in the pair.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.together.models import Plan, TogetherTime


def access_plan(user: User, pair: Pair, plan_id: uuid.UUID | str) -> Plan:
    """A plan of `pair`; both partners see every plan of their pair."""
    plan = Plan.objects.filter(pk=plan_id, pair=pair).select_related("planned_by").first()
    if plan is None:
        raise Http404
    return plan


def access_timer(user: User, pair: Pair, timer_id: uuid.UUID | str) -> TogetherTime:
    """A timer (running or stopped) of `pair`."""
    timer = TogetherTime.objects.filter(
        pk=timer_id, pair=pair, source=TogetherTime.Source.TIMER
    ).first()
    if timer is None:
        raise Http404
    return timer
