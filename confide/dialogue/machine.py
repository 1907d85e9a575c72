"""The structured dialogue as a pure state machine: no database, no clock, no Django.

The speaker-listener form (see docs/practices.md): the speaker shares; the listener mirrors
what they heard; the speaker confirms ("you got it") or clarifies, and the listener mirrors
again until the speaker confirms; then the listener validates and empathises. Roles swap when
both agree, and either person may close. Either person may pause at any time (a break when
flooded); the session resumes exactly where it was, when the break is over or earlier if both
agree.

`apply(state, move, now=...)` returns a new `State`; a move the state does not allow raises
`MoveError` and changes nothing (states are frozen). The two people are roles "a" (who
started, and speaks first) and "b".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

MAX_TURN = 2000
DEFAULT_PAUSE = timedelta(minutes=20)
MIN_PAUSE = timedelta(minutes=1)
MAX_PAUSE = timedelta(hours=2)


class Role(StrEnum):
    A = "a"
    B = "b"

    @property
    def other(self) -> Role:
        return Role.B if self is Role.A else Role.A


class Phase(StrEnum):
    SHARE = "share"  # the speaker shares
    MIRROR = "mirror"  # the listener says back what they heard
    CONFIRM = "confirm"  # the speaker confirms the mirror or clarifies
    VALIDATE = "validate"  # the listener says what makes sense about it
    EMPATHISE = "empathise"  # the listener names the feelings they imagine
    SWAP = "swap"  # both agree to swap roles, or either closes
    CLOSED = "closed"


class MoveKind(StrEnum):
    SHARE = "share"
    MIRROR = "mirror"
    CONFIRM = "confirm"
    CLARIFY = "clarify"
    VALIDATE = "validate"
    EMPATHISE = "empathise"
    SWAP = "swap"
    CLOSE = "close"
    PAUSE = "pause"
    RESUME = "resume"


# Moves that carry the person's own words.
TEXT_MOVES = frozenset(
    {MoveKind.SHARE, MoveKind.MIRROR, MoveKind.CLARIFY, MoveKind.VALIDATE, MoveKind.EMPATHISE}
)
# Who may make each move in the phase where it belongs, and the phase it leads to.
_SPEAKER, _LISTENER, _EITHER = "speaker", "listener", "either"
_TRANSITIONS: dict[tuple[Phase, MoveKind], tuple[str, Phase]] = {
    (Phase.SHARE, MoveKind.SHARE): (_SPEAKER, Phase.MIRROR),
    (Phase.MIRROR, MoveKind.MIRROR): (_LISTENER, Phase.CONFIRM),
    (Phase.CONFIRM, MoveKind.CONFIRM): (_SPEAKER, Phase.VALIDATE),
    (Phase.CONFIRM, MoveKind.CLARIFY): (_SPEAKER, Phase.MIRROR),
    (Phase.VALIDATE, MoveKind.VALIDATE): (_LISTENER, Phase.EMPATHISE),
    (Phase.EMPATHISE, MoveKind.EMPATHISE): (_LISTENER, Phase.SWAP),
}


class MoveError(ValueError):
    """A move the current state does not allow. `code` names the reason for programs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Pause:
    by: Role
    until: datetime
    # Who has asked to end the break early; it ends when both have.
    end_early: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class State:
    phase: Phase = Phase.SHARE
    speaker: Role = Role.A
    round: int = 1
    swap_agreed: frozenset[Role] = frozenset()
    pause: Pause | None = None
    closed_by: Role | None = None
    # Set for exactly the phases after the speaker confirmed the mirror in this round.
    confirmed: bool = field(default=False)

    @property
    def listener(self) -> Role:
        return self.speaker.other

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED

    @property
    def is_paused(self) -> bool:
        return self.pause is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase.value,
            "speaker": self.speaker.value,
            "round": self.round,
            "swap_agreed": sorted(r.value for r in self.swap_agreed),
            "confirmed": self.confirmed,
            "closed_by": self.closed_by.value if self.closed_by else None,
            "pause": None
            if self.pause is None
            else {
                "by": self.pause.by.value,
                "until": self.pause.until.isoformat(),
                "end_early": sorted(r.value for r in self.pause.end_early),
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        pause = data.get("pause")
        closed_by = data.get("closed_by")
        return cls(
            phase=Phase(data["phase"]),
            speaker=Role(data["speaker"]),
            round=int(data["round"]),
            swap_agreed=frozenset(Role(r) for r in data.get("swap_agreed", [])),
            confirmed=bool(data.get("confirmed", False)),
            closed_by=Role(closed_by) if closed_by else None,
            pause=None
            if not pause
            else Pause(
                by=Role(pause["by"]),
                until=datetime.fromisoformat(pause["until"]),
                end_early=frozenset(Role(r) for r in pause.get("end_early", [])),
            ),
        )


@dataclass(frozen=True)
class Move:
    kind: MoveKind
    role: Role
    text: str = ""
    pause_for: timedelta = DEFAULT_PAUSE


def _check_text(move: Move) -> None:
    if move.kind in TEXT_MOVES:
        if not move.text.strip():
            raise MoveError("empty", "Write a few words first.")
        if len(move.text) > MAX_TURN:
            raise MoveError(
                "too_long", f"Keep a turn to {MAX_TURN} characters or fewer; say the rest next."
            )
    elif move.text:
        raise MoveError("no_text", "This step has no words to send.")


def _pause(state: State, move: Move, now: datetime) -> State:
    if state.pause is not None:
        raise MoveError("paused", "The conversation is already paused.")
    if not MIN_PAUSE <= move.pause_for <= MAX_PAUSE:
        raise MoveError("pause_length", "A break lasts from 1 minute to 2 hours.")
    return replace(state, pause=Pause(by=move.role, until=now + move.pause_for))


def _resume(state: State, move: Move, now: datetime) -> State:
    if state.pause is None:
        raise MoveError("not_paused", "The conversation is not paused.")
    if now >= state.pause.until:
        return replace(state, pause=None)
    if move.role in state.pause.end_early:
        raise MoveError(
            "waiting", "You asked to end the break early; it ends when your partner agrees too."
        )
    agreed = state.pause.end_early | {move.role}
    if len(agreed) == len(Role):
        return replace(state, pause=None)
    return replace(state, pause=replace(state.pause, end_early=agreed))


def _swap(state: State, move: Move) -> State:
    if state.phase != Phase.SWAP:
        raise MoveError("order", "Roles can swap once the listener has validated and empathised.")
    if move.role in state.swap_agreed:
        raise MoveError("waiting", "You agreed to swap; it happens when your partner agrees too.")
    agreed = state.swap_agreed | {move.role}
    if len(agreed) < len(Role):
        return replace(state, swap_agreed=agreed)
    return State(phase=Phase.SHARE, speaker=state.listener, round=state.round + 1)


def apply(state: State, move: Move, *, now: datetime) -> State:
    """The state after `move`; raises MoveError (and changes nothing) if it is not allowed."""
    if state.is_closed:
        raise MoveError("closed", "This conversation has ended.")
    _check_text(move)
    if move.kind == MoveKind.PAUSE:
        return _pause(state, move, now)
    if move.kind == MoveKind.RESUME:
        return _resume(state, move, now)
    if state.pause is not None:
        raise MoveError("paused", "The conversation is paused. Take the time; it will wait.")
    if move.kind == MoveKind.CLOSE:
        return replace(state, phase=Phase.CLOSED, closed_by=move.role, swap_agreed=frozenset())
    if move.kind == MoveKind.SWAP:
        return _swap(state, move)
    transition = _TRANSITIONS.get((state.phase, move.kind))
    if transition is None:
        raise MoveError("order", _order_message(state))
    who, phase = transition
    expected = state.speaker if who == _SPEAKER else state.listener
    if move.role != expected:
        raise MoveError("turn", _turn_message(who))
    confirmed = state.confirmed or move.kind == MoveKind.CONFIRM
    if phase in {Phase.SHARE, Phase.MIRROR, Phase.CONFIRM}:
        confirmed = False
    return replace(state, phase=phase, confirmed=confirmed)


def _turn_message(who: str) -> str:
    if who == _SPEAKER:
        return "This step is the speaker's."
    return "This step is the listener's."


_NEXT_STEP = {
    Phase.SHARE: "the speaker shares",
    Phase.MIRROR: "the listener mirrors what they heard",
    Phase.CONFIRM: "the speaker confirms the mirror or clarifies",
    Phase.VALIDATE: "the listener validates",
    Phase.EMPATHISE: "the listener empathises",
    Phase.SWAP: "you both agree to swap roles, or one of you closes",
}


def _order_message(state: State) -> str:
    return f"Not yet: first {_NEXT_STEP[state.phase]}."


def allowed(state: State, role: Role, *, now: datetime) -> frozenset[MoveKind]:
    """The moves `role` may make now (the pause length and text are assumed valid)."""
    result = set()
    for kind in MoveKind:
        move = Move(kind, role, text="…" if kind in TEXT_MOVES else "")
        try:
            apply(state, move, now=now)
        except MoveError:
            continue
        result.add(kind)
    return frozenset(result)
