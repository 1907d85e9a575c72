from __future__ import annotations

from confide.circles.models import Membership, Reply, Thread
from confide.moderation.models import Report
from confide.moderation.services import report_create

CRISIS = "I want to kill myself tonight."
FEAR = "I am scared of him when he drinks."
HARSH = "You never listen to me."
SLUR = "All refugees are criminals."


def report(
    member: Membership, thread: Thread, reply: Reply | None = None, reason: str = "harassment"
) -> Report:
    return report_create(membership=member, thread=thread, reply=reply, reason=reason, note="")
