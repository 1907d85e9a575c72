"""The one screening seam: every text a person writes passes through `screen_write`, once.

Each write service (check-ins, listening replies, prompt answers, dialogue turns and topics,
circle threads and replies) calls `screen_write` exactly once, inside its transaction, on exactly
the text it is about to store, whether the write came from a form or a socket. What follows:

- crisis or fear: the writer is shown support at once. In a pair the entry is kept private to
  the writer (the service seals it in their private space, sends no notification) and the writer
  chooses on the support page whether to share it, keep it private or delete it. In a circle the
  facilitators get a safety alert without the text.
- harsh: before anything is saved, `CoachFirst` is raised so the writer sees a private coach;
  sending again with `send_as_is` stores the words as they are.
- slur: circles hold the post for a facilitator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import urlencode

from django.urls import reverse

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.safety.coach import Coaching, coach
from confide.safety.findings import MODEL_SUBTYPE
from confide.safety.screen import Screening, screen

# "maybe": only the learned heads heard crisis or fear, no rule explains it; the page says so
# gently, because such findings are often wrong (see docs/safety.md), and keeps the entry with
# the writer all the same.
SupportKind = Literal["crisis", "fear", "maybe"]
# The attribute a write service leaves on what it returns, for the view or consumer to read.
_CHECK_ATTRIBUTE: Final = "_confide_write_check"


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

    @property
    def keep_private(self) -> bool:
        """Crisis or fear: in a pair, the entry stays with the writer until they choose."""
        return self.crisis or self.fear

    @property
    def support_kind(self) -> SupportKind | None:
        if not self.keep_private:
            return None
        explained = {
            finding.label
            for finding in self.screening.findings
            if finding.label in {"crisis", "fear"} and finding.subtype != MODEL_SUBTYPE
        }
        if "crisis" in explained:
            return "crisis"
        if "fear" in explained:
            return "fear"
        return "maybe"


class CoachFirst(Exception):  # noqa: N818 - an outcome, not a fault
    """Harsh words and no `send_as_is`: nothing was saved; show the private coach first."""

    def __init__(self, check: WriteCheck) -> None:
        super().__init__("coach first")
        self.check = check
        self.coaching = check.coaching


@dataclass(frozen=True)
class Prescreened:
    """A screening made ahead of the write, outside its transaction, for exactly `text`."""

    text: str
    screening: Screening


def prescreen(text: str) -> Prescreened:
    """Screen `text` now, for a write that follows (no database; safe in any thread).

    The encoder releases the GIL, so a socket can screen in a thread of its own while the one
    database thread serves other sockets (and waits on commits), instead of holding that thread
    for the encoder's tens of milliseconds. The write service still calls `screen_write` once;
    it uses this screening only if it is for exactly the text being stored.
    """
    return Prescreened(text, screen(text))


def screen_write(
    *,
    text: str,
    send_as_is: bool = True,
    coached: bool = True,
    feelings: Sequence[str] = (),
    needs: Sequence[str] = (),
    prescreened: Prescreened | None = None,
) -> WriteCheck:
    """Screen one write. Call once per write, from the service, on the text it stores.

    Raises `CoachFirst` when the words may land harshly, `coached` is on and the writer has not
    chosen to send them as they are. `feelings` and `needs` help the coach word a gentle start-up.
    `prescreened` is used when it was made for exactly `text`; otherwise the text is screened
    here, so a stale or mismatched one can never let different words through unscreened.
    """
    if prescreened is not None and prescreened.text == text:
        screening = prescreened.screening
    else:
        screening = screen(text)
    check = WriteCheck(screening, coach(text, screening, feelings=feelings, needs=needs))
    if coached and check.coaching is not None and not send_as_is:
        raise CoachFirst(check)
    return check


# Called with each stored write and its screening (care counts harsh findings: figures only).
_stored_listeners: list[Callable[[Any, WriteCheck], None]] = []


def register_stored_listener(listener: Callable[[Any, WriteCheck], None]) -> None:
    """Be told of every write a service stored, with its screening; never store the text."""
    if listener not in _stored_listeners:
        _stored_listeners.append(listener)


def remember(entry: Any, check: WriteCheck) -> None:
    """Leave the write's screening on the returned object (never stored), and tell listeners."""
    setattr(entry, _CHECK_ATTRIBUTE, check)
    for listener in _stored_listeners:
        listener(entry, check)


def check_of(entry: object) -> WriteCheck | None:
    """The screening a write service left on what it returned, if it screened."""
    check = getattr(entry, _CHECK_ATTRIBUTE, None)
    return check if isinstance(check, WriteCheck) else None


def support_url(
    *,
    check: WriteCheck | None,
    writer: User,
    next_url: str,
    where: str,
    pair_id: object = None,
    entry: str | None = None,
) -> str | None:
    """Where to send the writer after saving, when what they wrote asks for support first.

    `where` names the place for the audit log ("pairs.checkin"); no text is recorded. `entry`
    ("checkin:<id>") names what was kept private, so the page can ask what to do with it.
    """
    kind = check.support_kind if check is not None else None
    if kind is None:
        return None
    audit_log(actor=writer, action=f"safety.{kind}.resources_shown", data={"where": where})
    query = {"kind": kind, "next": next_url}
    if pair_id is not None:
        query["pair"] = str(pair_id)
    if entry:
        query["entry"] = entry
    return f"{reverse('safety:support')}?{urlencode(query)}"
