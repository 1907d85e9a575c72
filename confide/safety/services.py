"""Screening on write: what a person sees before and after saving what they wrote.

- crisis: the text is saved, and the writer is shown crisis resources at once (nobody else is
  told: in a pair the partner never learns of it; circles add their own alert);
- fear: the text is saved, and the writer is shown relationship-abuse resources privately,
  with a way to pause joint activities in the pair;
- harsh: before saving, a private coach; the writer edits or sends as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.safety.coach import Coaching, coach
from confide.safety.screen import Screening, screen


@dataclass(frozen=True)
class WriteCheck:
    screening: Screening
    coaching: Coaching | None

    @property
    def crisis(self) -> bool:
        return self.screening.has("crisis")

    @property
    def fear(self) -> bool:
        return self.screening.has("fear")

    @property
    def slur(self) -> bool:
        return self.screening.has("slur")


def check_text(text: str, *, feelings: Sequence[str] = (), needs: Sequence[str] = ()) -> WriteCheck:
    screening = screen(text)
    return WriteCheck(screening, coach(text, screening, feelings=feelings, needs=needs))


def check_before_write(
    text: str, *, send_as_is: bool, feelings: Sequence[str] = (), needs: Sequence[str] = ()
) -> tuple[WriteCheck, bool]:
    """The screening, and whether to hold the text back for the private coach first."""
    check = check_text(text, feelings=feelings, needs=needs)
    return check, check.coaching is not None and not send_as_is


def support_url(
    *, check: WriteCheck, writer: User, next_url: str, where: str, pair_id: object = None
) -> str | None:
    """Where to send the writer after saving, when what they wrote asks for support first.

    `where` names the place for the audit log ("pairs.checkin"); no text is recorded.
    """
    if check.crisis:
        kind = "crisis"
    elif check.fear:
        kind = "fear"
    else:
        return None
    audit_log(actor=writer, action=f"safety.{kind}.resources_shown", data={"where": where})
    query = {"kind": kind, "next": next_url}
    if pair_id is not None:
        query["pair"] = str(pair_id)
    return f"{reverse('safety:support')}?{urlencode(query)}"
