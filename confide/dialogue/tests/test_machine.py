"""The dialogue state machine: every state x every move x each role, then random sequences."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.dialogue.machine import (
    DEFAULT_PAUSE,
    MAX_TURN,
    TEXT_MOVES,
    Move,
    MoveError,
    MoveKind,
    Pause,
    Phase,
    Role,
    State,
    allowed,
    apply,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
P, S, L = Phase, "speaker", "listener"
M = MoveKind
ACTIVE = [P.SHARE, P.MIRROR, P.CONFIRM, P.VALIDATE, P.EMPATHISE, P.SWAP]

# (phase, move) -> (result for the speaker, result for the listener): the phase it leads to,
# "pause"/"swap" for the moves that keep the phase, or the error code.
TABLE: dict[tuple[Phase, MoveKind], tuple[object, object]] = {
    (P.SHARE, M.SHARE): (P.MIRROR, "turn"),
    (P.SHARE, M.MIRROR): ("order", "order"),
    (P.SHARE, M.CONFIRM): ("order", "order"),
    (P.SHARE, M.CLARIFY): ("order", "order"),
    (P.SHARE, M.VALIDATE): ("order", "order"),
    (P.SHARE, M.EMPATHISE): ("order", "order"),
    (P.SHARE, M.SWAP): ("order", "order"),
    (P.MIRROR, M.SHARE): ("order", "order"),
    (P.MIRROR, M.MIRROR): ("turn", P.CONFIRM),
    (P.MIRROR, M.CONFIRM): ("order", "order"),
    (P.MIRROR, M.CLARIFY): ("order", "order"),
    (P.MIRROR, M.VALIDATE): ("order", "order"),
    (P.MIRROR, M.EMPATHISE): ("order", "order"),
    (P.MIRROR, M.SWAP): ("order", "order"),
    (P.CONFIRM, M.SHARE): ("order", "order"),
    (P.CONFIRM, M.MIRROR): ("order", "order"),
    (P.CONFIRM, M.CONFIRM): (P.VALIDATE, "turn"),
    (P.CONFIRM, M.CLARIFY): (P.MIRROR, "turn"),
    (P.CONFIRM, M.VALIDATE): ("order", "order"),
    (P.CONFIRM, M.EMPATHISE): ("order", "order"),
    (P.CONFIRM, M.SWAP): ("order", "order"),
    (P.VALIDATE, M.SHARE): ("order", "order"),
    (P.VALIDATE, M.MIRROR): ("order", "order"),
    (P.VALIDATE, M.CONFIRM): ("order", "order"),
    (P.VALIDATE, M.CLARIFY): ("order", "order"),
    (P.VALIDATE, M.VALIDATE): ("turn", P.EMPATHISE),
    (P.VALIDATE, M.EMPATHISE): ("order", "order"),
    (P.VALIDATE, M.SWAP): ("order", "order"),
    (P.EMPATHISE, M.SHARE): ("order", "order"),
    (P.EMPATHISE, M.MIRROR): ("order", "order"),
    (P.EMPATHISE, M.CONFIRM): ("order", "order"),
    (P.EMPATHISE, M.CLARIFY): ("order", "order"),
    (P.EMPATHISE, M.VALIDATE): ("order", "order"),
    (P.EMPATHISE, M.EMPATHISE): ("turn", P.SWAP),
    (P.EMPATHISE, M.SWAP): ("order", "order"),
    (P.SWAP, M.SHARE): ("order", "order"),
    (P.SWAP, M.MIRROR): ("order", "order"),
    (P.SWAP, M.CONFIRM): ("order", "order"),
    (P.SWAP, M.CLARIFY): ("order", "order"),
    (P.SWAP, M.VALIDATE): ("order", "order"),
    (P.SWAP, M.EMPATHISE): ("order", "order"),
    (P.SWAP, M.SWAP): ("swap", "swap"),
}
for _phase in ACTIVE:
    TABLE[(_phase, M.PAUSE)] = ("pause", "pause")
    TABLE[(_phase, M.RESUME)] = ("not_paused", "not_paused")
    TABLE[(_phase, M.CLOSE)] = (P.CLOSED, P.CLOSED)


def test_the_table_covers_every_active_state_and_move() -> None:
    assert set(TABLE) == {(phase, kind) for phase in ACTIVE for kind in MoveKind}


def _move(kind: MoveKind, role: Role) -> Move:
    return Move(kind, role, text="I hear you." if kind in TEXT_MOVES else "")


def _state(phase: Phase) -> State:
    return State(phase=phase, confirmed=phase in {P.VALIDATE, P.EMPATHISE, P.SWAP})


@pytest.mark.parametrize("who", [S, L])
@pytest.mark.parametrize(("phase", "kind"), sorted(TABLE))
def test_every_move_in_every_state(phase: Phase, kind: MoveKind, who: str) -> None:
    state = _state(phase)
    role = state.speaker if who == S else state.listener
    expected = TABLE[(phase, kind)][0 if who == S else 1]
    if isinstance(expected, Phase):
        after = apply(state, _move(kind, role), now=NOW)
        assert after.phase == expected
        assert after.speaker == state.speaker
        assert kind in allowed(state, role, now=NOW)
    elif expected == "pause":
        after = apply(state, _move(kind, role), now=NOW)
        assert after.phase == phase
        assert after.pause == Pause(by=role, until=NOW + DEFAULT_PAUSE)
    elif expected == "swap":
        after = apply(state, _move(kind, role), now=NOW)
        assert after.phase == P.SWAP
        assert after.swap_agreed == {role}
    else:
        with pytest.raises(MoveError) as raised:
            apply(state, _move(kind, role), now=NOW)
        assert raised.value.code == expected
        assert raised.value.message
        assert kind not in allowed(state, role, now=NOW)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("kind", list(MoveKind))
def test_a_closed_conversation_refuses_every_move(kind: MoveKind, role: Role) -> None:
    state = State(phase=P.CLOSED, closed_by=Role.A)
    with pytest.raises(MoveError) as raised:
        apply(state, _move(kind, role), now=NOW)
    assert raised.value.code == "closed"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("kind", [k for k in MoveKind if k != M.RESUME])
@pytest.mark.parametrize("phase", ACTIVE)
def test_a_paused_conversation_refuses_everything_but_resuming(
    phase: Phase, kind: MoveKind, role: Role
) -> None:
    state = replace(_state(phase), pause=Pause(by=Role.B, until=NOW + DEFAULT_PAUSE))
    with pytest.raises(MoveError) as raised:
        apply(state, _move(kind, role), now=NOW)
    assert raised.value.code == "paused"


@pytest.mark.parametrize("phase", ACTIVE)
def test_a_pause_resumes_exactly_where_it_was_when_the_time_is_up(phase: Phase) -> None:
    agreed = frozenset({Role.A}) if phase == P.SWAP else frozenset()
    before = replace(_state(phase), swap_agreed=agreed)
    paused = apply(before, Move(M.PAUSE, Role.B), now=NOW)
    after = apply(paused, Move(M.RESUME, Role.A), now=NOW + DEFAULT_PAUSE)
    assert after == before


def test_ending_a_break_early_needs_both() -> None:
    paused = apply(State(), Move(M.PAUSE, Role.A), now=NOW)
    once = apply(paused, Move(M.RESUME, Role.A), now=NOW + timedelta(minutes=5))
    assert once.is_paused
    assert once.pause is not None
    assert once.pause.end_early == {Role.A}
    with pytest.raises(MoveError) as raised:
        apply(once, Move(M.RESUME, Role.A), now=NOW + timedelta(minutes=6))
    assert raised.value.code == "waiting"
    both = apply(once, Move(M.RESUME, Role.B), now=NOW + timedelta(minutes=6))
    assert both == State()


def test_both_agreeing_swaps_the_speaker_and_starts_a_new_round() -> None:
    state = State(phase=P.SWAP, confirmed=True)
    once = apply(state, Move(M.SWAP, Role.B), now=NOW)
    with pytest.raises(MoveError) as raised:
        apply(once, Move(M.SWAP, Role.B), now=NOW)
    assert raised.value.code == "waiting"
    swapped = apply(once, Move(M.SWAP, Role.A), now=NOW)
    assert swapped == State(phase=P.SHARE, speaker=Role.B, round=2)


@pytest.mark.parametrize("kind", sorted(TEXT_MOVES))
def test_text_moves_need_words_within_the_limit(kind: MoveKind) -> None:
    phase, who = {
        M.SHARE: (P.SHARE, S),
        M.MIRROR: (P.MIRROR, L),
        M.CLARIFY: (P.CONFIRM, S),
        M.VALIDATE: (P.VALIDATE, L),
        M.EMPATHISE: (P.EMPATHISE, L),
    }[kind]
    state = _state(phase)
    role = state.speaker if who == S else state.listener
    assert apply(state, Move(kind, role, text="x" * MAX_TURN), now=NOW) != state
    for text, code in (("   ", "empty"), ("x" * (MAX_TURN + 1), "too_long")):
        with pytest.raises(MoveError) as raised:
            apply(state, Move(kind, role, text=text), now=NOW)
        assert raised.value.code == code


def test_moves_without_words_refuse_words() -> None:
    with pytest.raises(MoveError) as raised:
        apply(State(phase=P.CONFIRM), Move(M.CONFIRM, Role.A, text="extra"), now=NOW)
    assert raised.value.code == "no_text"


def test_a_pause_must_be_between_one_minute_and_two_hours() -> None:
    for length in (timedelta(seconds=30), timedelta(hours=3)):
        with pytest.raises(MoveError):
            apply(State(), Move(M.PAUSE, Role.A, pause_for=length), now=NOW)


def test_state_round_trips_through_a_dict() -> None:
    state = State(
        phase=P.SWAP,
        speaker=Role.B,
        round=3,
        swap_agreed=frozenset({Role.A}),
        confirmed=True,
        pause=Pause(by=Role.A, until=NOW, end_early=frozenset({Role.B})),
    )
    assert State.from_dict(state.to_dict()) == state


moves = st.tuples(
    st.sampled_from(list(MoveKind)),
    st.sampled_from(list(Role)),
    st.sampled_from(["", "words", "x" * (MAX_TURN + 1)]),
    st.integers(min_value=0, max_value=30),  # minutes that pass before the move
)


@given(st.lists(moves, max_size=60))
def test_random_move_sequences_keep_the_invariants(
    sequence: list[tuple[MoveKind, Role, str, int]],
) -> None:
    state, now = State(), NOW
    paused_from: State | None = None
    for kind, role, text, minutes in sequence:
        now += timedelta(minutes=minutes)
        before = state
        try:
            state = apply(state, Move(kind, role, text=text), now=now)
        except MoveError:
            assert state is before  # nothing changed
            continue
        # Exactly one speaker, and the listener is the other person.
        assert state.speaker in Role
        assert state.listener != state.speaker
        # A listener never validates or empathises before the speaker confirmed the mirror.
        if kind in {M.VALIDATE, M.EMPATHISE}:
            assert role == before.listener
            assert before.confirmed
        if kind in {M.SHARE, M.CONFIRM, M.CLARIFY}:
            assert role == before.speaker
        # A pause always resumes to the same state it paused.
        if kind == M.PAUSE:
            paused_from = before
        if before.is_paused and not state.is_paused:
            assert state == paused_from
        if state.is_paused:
            assert paused_from is not None
            assert replace(state, pause=None) == paused_from
