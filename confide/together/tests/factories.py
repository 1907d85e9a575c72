from __future__ import annotations

from datetime import date, time
from typing import Any

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.together.models import Plan
from confide.together.services import plan_create


def make_plan(pair: Pair, planner: User, **fields: Any) -> Plan:
    """A plan for 11 March 2026 at 19:00 on the planner's clock, 90 minutes, device-free."""
    values: dict[str, Any] = {
        "what": "A walk by the river",
        "notes": "",
        "day": date(2026, 3, 11),
        "start_time": time(19, 0),
        "duration_minutes": 90,
        "device_free": True,
        **fields,
    }
    return plan_create(pair=pair, planner=planner, **values)
