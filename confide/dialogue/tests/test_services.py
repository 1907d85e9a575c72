from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.dialogue import selectors
from confide.dialogue.models import DialogueSession, Reflection, Step, Topic
from confide.dialogue.services import DialogueError
from confide.dialogue.services.sessions import (
    dialogue_move,
    dialogue_reflect,
    dialogue_start,
    transcript_delete_confirm,
    transcript_delete_request,
    transcript_delete_withdraw,
    transcript_keep,
)
from confide.dialogue.services.topics import topic_create, topic_set_status
from confide.notifications.models import Notification
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def session(pair: Pair, alex: User) -> DialogueSession:
    return dialogue_start(pair=pair, starter=alex)


def _close(session: DialogueSession, alex: User) -> None:
    dialogue_move(session=session, author=alex, kind="close")
    session.refresh_from_db()


def test_starting_stores_step_one_and_tells_the_partner(
    session: DialogueSession, alex: User, blake: User
) -> None:
    assert session.last_seq == 1
    step = Step.objects.get(session=session)
    assert (step.seq, step.kind, step.author_id) == (1, "start", alex.pk)
    note = Notification.objects.get(user=blake)
    assert note.kind == "dialogue_started"
    assert str(session.pk) in note.url
    assert not Notification.objects.filter(user=alex).exists()


def test_only_one_open_conversation_per_pair(
    session: DialogueSession, pair: Pair, blake: User
) -> None:
    with pytest.raises(DialogueError, match="already open"):
        dialogue_start(pair=pair, starter=blake)


def test_each_move_gets_the_next_number_and_is_announced_only_after_commit(
    session: DialogueSession, alex: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with (
        mock.patch("confide.dialogue.services.sessions.announce") as announce,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        step = dialogue_move(
            session=session, author=alex, kind="share", text="I felt alone.", expected_seq=1
        )
        assert isinstance(step, Step)
        assert step.seq == 2
        announce.assert_not_called()  # not before the transaction commits
    assert len(callbacks) == 1
    announce.assert_called_once_with(session.pk, 2)


def test_turns_are_encrypted_at_rest(session: DialogueSession, alex: User) -> None:
    dialogue_move(session=session, author=alex, kind="share", text="A very private sentence.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM dialogue_step WHERE seq = 2")
        (stored,) = cursor.fetchone()
    assert "private" not in stored
    assert Step.objects.get(session=session, seq=2).text == "A very private sentence."


def test_a_stale_move_is_refused_and_nothing_is_stored(
    session: DialogueSession, alex: User, blake: User
) -> None:
    dialogue_move(session=session, author=alex, kind="share", text="One.", expected_seq=1)
    with pytest.raises(DialogueError) as raised:
        dialogue_move(session=session, author=blake, kind="mirror", text="You...", expected_seq=1)
    assert raised.value.code == "stale"
    session.refresh_from_db()
    assert session.last_seq == 2
    assert Step.objects.filter(session=session).count() == 2


@pytest.mark.parametrize(
    ("who", "kind", "text", "code"),
    [
        ("blake", "share", "Not my turn.", "turn"),
        ("alex", "mirror", "Too soon.", "order"),
        ("alex", "share", "", "empty"),
        ("alex", "share", "x" * 2001, "too_long"),
        ("alex", "jump", "", "unknown"),
        ("casey", "share", "Hello.", "not_found"),
    ],
)
def test_refused_moves_change_nothing(
    session: DialogueSession, personas: dict[str, User], who: str, kind: str, text: str, code: str
) -> None:
    before = session.state
    with pytest.raises(DialogueError) as raised:
        dialogue_move(session=session, author=personas[who], kind=kind, text=text)
    assert raised.value.code == code
    assert raised.value.messages[0]
    session.refresh_from_db()
    assert (session.state, session.last_seq) == (before, 1)


def test_nothing_can_be_added_once_a_partner_left(
    session: DialogueSession, pair: Pair, alex: User, blake: User
) -> None:
    pair_leave(pair=pair, user=blake)
    with pytest.raises(DialogueError):
        dialogue_move(session=session, author=alex, kind="share", text="Hello?")


def test_a_pause_lasts_twenty_minutes_and_resumes_where_it_was(
    session: DialogueSession, alex: User, blake: User
) -> None:
    dialogue_move(session=session, author=alex, kind="share", text="One.")
    session.refresh_from_db()
    before = session.machine_state
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        dialogue_move(session=session, author=blake, kind="pause")
    session.refresh_from_db()
    assert session.machine_state.pause is not None
    assert session.machine_state.pause.until == start + timedelta(minutes=20)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        dialogue_move(session=session, author=alex, kind="resume")
        assert Notification.objects.filter(user=blake, kind="dialogue_waiting").exists()
        with pytest.raises(DialogueError) as raised:
            dialogue_move(session=session, author=alex, kind="mirror", text="x")
        assert raised.value.code == "paused"
    with time_machine.travel(start + timedelta(minutes=21), tick=False):
        dialogue_move(session=session, author=blake, kind="resume")
    session.refresh_from_db()
    assert session.machine_state == before


def test_closing_a_conversation_about_a_topic_marks_it_talked_through(
    pair: Pair, alex: User, blake: User
) -> None:
    topic = topic_create(pair=pair, raised_by=blake, title="Evenings", startup="I miss us.")
    session = dialogue_start(pair=pair, starter=alex, topic=topic)
    topic.refresh_from_db()
    assert topic.status == Topic.Status.SCHEDULED
    _close(session, alex)
    topic.refresh_from_db()
    assert topic.status == Topic.Status.TALKED_THROUGH
    assert session.closed_at is not None


def test_a_topic_of_another_pair_cannot_start_a_conversation(
    pair: Pair, alex: User, dana: User, eli: User
) -> None:
    from confide.pairs.tests.factories import make_pair

    other = make_pair(dana, eli)
    topic = topic_create(pair=other, raised_by=dana, title="Theirs")
    with pytest.raises(DialogueError):
        dialogue_start(pair=pair, starter=alex, topic=topic)


def test_reflection_only_after_closing_and_within_range(
    session: DialogueSession, alex: User, blake: User
) -> None:
    with pytest.raises(DialogueError, match="closed"):
        dialogue_reflect(session=session, author=alex, understood=4)
    _close(session, alex)
    with pytest.raises(DialogueError):
        dialogue_reflect(session=session, author=alex, understood=6)
    dialogue_reflect(session=session, author=alex, understood=4)
    dialogue_reflect(session=session, author=alex, understood=5)
    dialogue_reflect(session=session, author=blake, understood=3)
    assert sorted(Reflection.objects.values_list("understood", flat=True)) == [3, 5]
    trend = selectors.reflection_trend(pair=session.pair, viewer=alex)
    assert {str(r): v for r, v in trend[-1].by_person.items()} == {"You": 5.0, "Blake": 3.0}


def test_deleting_a_transcript_takes_both_partners_and_is_audited(
    session: DialogueSession, alex: User, blake: User
) -> None:
    dialogue_move(session=session, author=alex, kind="share", text="Words.")
    with pytest.raises(DialogueError, match="Close"):
        transcript_delete_request(session=session, user=blake)
    _close(session, alex)
    transcript_keep(session=session, user=alex)
    transcript_delete_request(session=session, user=blake)
    # One person's request deletes nothing: the words stay for both until the other agrees.
    assert Step.objects.filter(session=session).count() == 3
    assert AuditEntry.objects.filter(action="dialogue.transcript.delete_requested").exists()
    assert Notification.objects.filter(user=alex, kind="dialogue_waiting").exists()
    with pytest.raises(DialogueError, match="already asked"):
        transcript_delete_request(session=session, user=blake)
    with pytest.raises(DialogueError, match="partner's agreement"):
        transcript_delete_confirm(session=session, user=blake)
    assert Step.objects.filter(session=session).count() == 3
    transcript_delete_confirm(session=session, user=alex)
    assert not Step.objects.filter(session=session).exists()
    entry = AuditEntry.objects.get(action="dialogue.transcript.deleted")
    assert entry.actor_id == alex.pk
    assert entry.data == {"pair": str(session.pair_id), "steps": 3}
    with pytest.raises(DialogueError, match="already"):
        transcript_delete_request(session=session, user=alex)


def test_confirming_a_deletion_nobody_asked_for_changes_nothing(
    session: DialogueSession, alex: User, blake: User
) -> None:
    dialogue_move(session=session, author=alex, kind="share", text="Words.")
    _close(session, alex)
    with pytest.raises(DialogueError, match="has not asked"):
        transcript_delete_confirm(session=session, user=blake)
    with pytest.raises(DialogueError, match="have not asked"):
        transcript_delete_withdraw(session=session, user=blake)
    session.refresh_from_db()
    assert session.transcript_deleted_at is None
    assert Step.objects.filter(session=session).count() == 3


def test_a_request_can_be_withdrawn_or_declined_by_keeping(
    session: DialogueSession, alex: User, blake: User
) -> None:
    _close(session, alex)
    transcript_delete_request(session=session, user=alex)
    transcript_delete_withdraw(session=session, user=alex)
    session.refresh_from_db()
    assert session.transcript_delete_requested_by is None
    transcript_delete_request(session=session, user=alex)
    transcript_keep(session=session, user=blake)
    session.refresh_from_db()
    assert session.transcript_delete_requested_by is None
    assert session.transcript_deleted_at is None
    assert AuditEntry.objects.filter(action="dialogue.transcript.delete_declined").exists()


def test_after_the_partner_left_one_person_deletes_alone(
    session: DialogueSession, alex: User, blake: User
) -> None:
    _close(session, alex)
    pair_leave(pair=session.pair, user=blake)
    transcript_delete_request(session=session, user=alex)
    session.refresh_from_db()
    assert session.transcript_deleted_at is not None


def test_topics_validate_their_words_and_states(pair: Pair, alex: User, casey: User) -> None:
    with pytest.raises(DialogueError):
        topic_create(pair=pair, raised_by=alex, title="  ")
    with pytest.raises(DialogueError):
        topic_create(pair=pair, raised_by=alex, title="x" * 201)
    with pytest.raises(DialogueError):
        topic_create(pair=pair, raised_by=casey, title="Not my pair")
    topic = topic_create(pair=pair, raised_by=alex, title="Money", startup="I feel uneasy.")
    with pytest.raises(DialogueError):
        topic_set_status(topic=topic, user=alex, status="forgotten")
    assert topic_set_status(topic=topic, user=alex, status="resolved").status == "resolved"
    assert Topic.objects.get(pk=topic.pk).startup == "I feel uneasy."
