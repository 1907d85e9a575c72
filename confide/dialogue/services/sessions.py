from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.dialogue import machine
from confide.dialogue.machine import MAX_TURN, MoveError, MoveKind, Phase, Role
from confide.dialogue.models import DialogueSession, Reflection, Step, Topic, WithheldTurn
from confide.dialogue.services import DialogueError
from confide.dialogue.services.broadcast import announce
from confide.notifications.services import notify
from confide.pairs.models import Pair
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member, partner_of
from confide.privacy.keys import person_space
from confide.safety.services import Prescreened, remember, screen_write

START = "start"


def role_of(session: DialogueSession, user: User) -> Role | None:
    if session.person_a_id == user.pk:
        return Role.A
    if session.person_b_id == user.pk:
        return Role.B
    return None


def member_or_fail(pair: Pair, user: User) -> None:
    try:
        active_member(pair, user)
    except PairError as error:
        raise DialogueError(error.messages[0], code="ended") from error


def _session_url(session: DialogueSession) -> str:
    return reverse("dialogue:session", args=[session.pair_id, session.pk])


def _record(
    session: DialogueSession, *, kind: str, role: Role, author: User, text: str = ""
) -> Step:
    """Store one step with the next sequence number. Call holding the session's row lock."""
    session.last_seq += 1
    step = Step(
        session=session,
        seq=session.last_seq,
        kind=kind,
        role=role.value,
        author=author,
        space_id=session.pair.space_id,
        text=text,
        state=session.state,
    )
    step.save()
    transaction.on_commit(partial(announce, session.pk, step.seq))
    return step


@transaction.atomic
def dialogue_start(*, pair: Pair, starter: User, topic: Topic | None = None) -> DialogueSession:
    """Open a session in which `starter` has the floor first. One open session per pair."""
    member_or_fail(pair, starter)
    partner = partner_of(pair, starter)
    if partner is None or not pair.members.filter(user=partner, left_at__isnull=True).exists():
        raise DialogueError(_("A guided conversation needs both of you in the pair."))
    if topic is not None and (topic.pair_id != pair.pk or topic.withheld):
        raise DialogueError(_("Choose a topic from your own list."))
    # Lock the pair row so that two starts at once cannot both pass the check below.
    Pair.objects.select_for_update().filter(pk=pair.pk).first()
    if DialogueSession.objects.filter(pair=pair, closed_at__isnull=True).exists():
        raise DialogueError(_("A conversation is already open. Continue it, or close it first."))
    session = DialogueSession(
        pair=pair,
        topic=topic,
        person_a=starter,
        person_b=partner,
        state=machine.State().to_dict(),
    )
    session.save()
    _record(session, kind=START, role=Role.A, author=starter)
    session.save(update_fields=["last_seq"])
    if topic is not None and topic.status in {Topic.Status.OPEN, Topic.Status.REVISIT}:
        topic.status = Topic.Status.SCHEDULED
        topic.updated_at = timezone.now()
        topic.save(update_fields=["status", "updated_at"])
    notify(
        user=partner,
        kind="dialogue_started",
        event_key=f"dialogue_started:{session.pk}",
        title=_("%(name)s started a guided conversation with you") % {"name": starter.display_name},
        url=_session_url(session),
    )
    return session


def _message(error: MoveError, state: machine.State) -> str:
    """The person's words for a refused move, by its code."""
    order = {
        Phase.SHARE: _("Not yet: first the speaker shares."),
        Phase.MIRROR: _("Not yet: first the listener says back what they heard."),
        Phase.CONFIRM: _("Not yet: first the speaker confirms the mirror, or clarifies."),
        Phase.VALIDATE: _("Not yet: first the listener says what makes sense about it."),
        Phase.EMPATHISE: _("Not yet: first the listener names the feelings they imagine."),
        Phase.SWAP: _("Now you both agree to swap roles, or one of you closes."),
        Phase.CLOSED: _("This conversation has ended."),
    }
    messages = {
        "closed": _("This conversation has ended."),
        "empty": _("Write a few words first."),
        "too_long": _("Keep a turn to %(n)d characters or fewer; you can say the rest next.")
        % {"n": MAX_TURN},
        "no_text": _("This step has no words to send."),
        "paused": _("The conversation is paused. Take the time you need; it will wait."),
        "pause_length": _("A break lasts from 1 minute to 2 hours."),
        "not_paused": _("The conversation is not paused."),
        "waiting": _("You have agreed; it happens when your partner agrees too."),
        "turn": _("This step is your partner's. Listen, and your turn will come."),
        "order": order[state.phase],
    }
    return messages.get(error.code, _("That step is not possible now."))


@transaction.atomic
def dialogue_move(
    *,
    session: DialogueSession,
    author: User,
    kind: str,
    text: str = "",
    expected_seq: int | None = None,
    pause_minutes: int | None = None,
    now: datetime | None = None,
    send_as_is: bool = True,
    prescreened: Prescreened | None = None,
) -> Step | WithheldTurn:
    """Apply one move. `expected_seq` is the last step the person saw; if more happened since,
    the move is refused as stale, so nobody answers something they have not read.

    A turn's words are screened once (safety.services.screen_write), from the form and the
    socket alike: harsh words raise `CoachFirst` before anything is stored; words of crisis or
    fear are kept with the writer as a `WithheldTurn` (never broadcast; the conversation waits)
    until they choose to share or delete them. `prescreened` (the socket screens in a thread of
    its own first) is used only if it was made for exactly the stored words.
    """
    session = DialogueSession.objects.select_for_update().select_related("pair").get(pk=session.pk)
    role = role_of(session, author)
    if role is None:
        raise DialogueError(_("This conversation was not found."), code="not_found")
    member_or_fail(session.pair, author)
    if expected_seq is not None and expected_seq != session.last_seq:
        raise DialogueError(
            _("Something new happened in the conversation since you last looked. Read it first."),
            code="stale",
        )
    try:
        move_kind = MoveKind(kind)
    except ValueError:
        raise DialogueError(_("That is not a step of this conversation."), code="unknown") from None
    move = machine.Move(
        move_kind,
        role,
        text=text.strip() if move_kind in machine.TEXT_MOVES else text,
        pause_for=machine.DEFAULT_PAUSE
        if pause_minutes is None
        else timedelta(minutes=pause_minutes),
    )
    now = now or timezone.now()
    new_state = _next_state(session, move, now)
    if move_kind not in machine.TEXT_MOVES:
        return _play(session, move, new_state, author, now)
    check = screen_write(text=move.text, send_as_is=send_as_is, prescreened=prescreened)
    if check.keep_private:
        held = WithheldTurn(
            session=session,
            author=author,
            kind=move_kind.value,
            space=person_space(user=author),
            text=move.text,
        )
        held.save()
        remember(held, check)
        return held
    step = _play(session, move, new_state, author, now)
    remember(step, check)
    return step


def _next_state(session: DialogueSession, move: machine.Move, now: datetime) -> machine.State:
    state = session.machine_state
    try:
        return machine.apply(state, move, now=now)
    except MoveError as error:
        raise DialogueError(_message(error, state), code=error.code) from error


def _play(
    session: DialogueSession,
    move: machine.Move,
    new_state: machine.State,
    author: User,
    now: datetime,
) -> Step:
    """Store an accepted move as the next step. Call holding the session's row lock."""
    session.state = new_state.to_dict()
    step = _record(session, kind=move.kind.value, role=move.role, author=author, text=move.text)
    fields = ["state", "last_seq"]
    if new_state.is_closed:
        session.closed_at = now
        fields.append("closed_at")
        _topic_talked_through(session)
    session.save(update_fields=fields)
    _ask_partner_if_waiting(session, new_state, move.role, author, step)
    return step


@transaction.atomic
def withheld_turn_share(*, turn: WithheldTurn, author: User) -> Step:
    """The writer shares a turn they were asked about: it is played as the move it was, if the
    conversation still allows it (else a clear error, and the turn stays private)."""
    turn = WithheldTurn.objects.select_for_update().get(pk=turn.pk)
    if turn.author_id != author.pk:
        raise DialogueError(_("This conversation was not found."), code="not_found")
    session = (
        DialogueSession.objects.select_for_update().select_related("pair").get(pk=turn.session_id)
    )
    role = role_of(session, author)
    if role is None:
        raise DialogueError(_("This conversation was not found."), code="not_found")
    member_or_fail(session.pair, author)
    move = machine.Move(MoveKind(turn.kind), role, text=turn.text)
    now = timezone.now()
    step = _play(session, move, _next_state(session, move, now), author, now)
    turn.delete()
    return step


def _topic_talked_through(session: DialogueSession) -> None:
    topic = session.topic
    if topic is not None and topic.status == Topic.Status.SCHEDULED:
        topic.status = Topic.Status.TALKED_THROUGH
        topic.updated_at = timezone.now()
        topic.save(update_fields=["status", "updated_at"])


def _ask_partner_if_waiting(
    session: DialogueSession, state: machine.State, role: Role, author: User, step: Step
) -> None:
    """Tell the partner when a change waits for their agreement (a swap, an early end of a
    break). Other steps are seen live or on the page; a notification each would be noise."""
    waiting = (state.swap_agreed == {role}) or (
        state.pause is not None and state.pause.end_early == {role}
    )
    if not waiting:
        return
    partner = session.person_b if role == Role.A else session.person_a
    notify(
        user=partner,
        kind="dialogue_waiting",
        event_key=f"dialogue_waiting:{session.pk}:{step.seq}",
        title=_("%(name)s is waiting for your agreement in your conversation")
        % {"name": author.display_name},
        url=_session_url(session),
    )


@transaction.atomic
def dialogue_reflect(*, session: DialogueSession, author: User, understood: int) -> Reflection:
    """After closing: how understood `author` felt (1-5). It can be changed later."""
    if role_of(session, author) is None:
        raise DialogueError(_("This conversation was not found."), code="not_found")
    if not session.is_closed:
        raise DialogueError(_("You can reflect once the conversation is closed."))
    if not 1 <= understood <= 5:  # noqa: PLR2004
        raise DialogueError({"understood": _("Choose a number from 1 to 5.")})
    reflection, _created = Reflection.objects.update_or_create(
        session=session, author=author, defaults={"understood": understood}
    )
    return reflection


def _closed_for(session: DialogueSession, user: User) -> DialogueSession:
    session = (
        DialogueSession.objects.select_for_update()
        .select_related("pair", "person_a", "person_b")
        .get(pk=session.pk)
    )
    if role_of(session, user) is None:
        raise DialogueError(_("This conversation was not found."), code="not_found")
    if not session.is_closed:
        raise DialogueError(_("Close the conversation first; then you can keep or delete it."))
    if session.transcript_deleted_at is not None:
        raise DialogueError(_("This transcript is already deleted."))
    return session


def _partner_in(session: DialogueSession, user: User) -> User:
    return session.person_b if session.person_a_id == user.pk else session.person_a


def _clear_request(session: DialogueSession) -> None:
    session.transcript_delete_requested_by = None
    session.transcript_delete_requested_at = None


@transaction.atomic
def transcript_keep(*, session: DialogueSession, user: User) -> DialogueSession:
    """Keep the transcript. Keeping answers a partner's request to delete it: the request ends."""
    session = _closed_for(session, user)
    declined = session.transcript_delete_requested_by_id not in {None, user.pk}
    session.transcript_kept_at = timezone.now()
    fields = ["transcript_kept_at"]
    if declined:
        _clear_request(session)
        fields += ["transcript_delete_requested_by", "transcript_delete_requested_at"]
        audit_log(
            actor=user,
            action="dialogue.transcript.delete_declined",
            target=session,
            data={"pair": str(session.pair_id)},
        )
    session.save(update_fields=fields)
    return session


@transaction.atomic
def transcript_delete_request(*, session: DialogueSession, user: User) -> DialogueSession:
    """Ask to delete the transcript. It holds both partners' words, so it goes only when the
    other agrees (`transcript_delete_confirm`). When the partner has left the pair, nobody
    else can agree and nobody else can read it: it is deleted at once."""
    session = _closed_for(session, user)
    if session.transcript_delete_requested_by_id == user.pk:
        raise DialogueError(_("You have already asked. It is deleted when your partner agrees."))
    if session.transcript_delete_requested_by_id is not None:
        raise DialogueError(_("Your partner has already asked to delete it: agree below."))
    if not session.pair.is_active:
        return _delete_words(session, user)
    session.transcript_delete_requested_by = user
    session.transcript_delete_requested_at = timezone.now()
    session.save(update_fields=["transcript_delete_requested_by", "transcript_delete_requested_at"])
    audit_log(
        actor=user,
        action="dialogue.transcript.delete_requested",
        target=session,
        data={"pair": str(session.pair_id)},
    )
    notify(
        user=_partner_in(session, user),
        kind="dialogue_waiting",
        event_key=f"dialogue_transcript_delete:{session.pk}:{session.transcript_delete_requested_at.isoformat()}",
        title=_("%(name)s asked to delete a conversation's transcript")
        % {"name": user.display_name},
        url=_session_url(session),
    )
    return session


@transaction.atomic
def transcript_delete_withdraw(*, session: DialogueSession, user: User) -> DialogueSession:
    session = _closed_for(session, user)
    if session.transcript_delete_requested_by_id != user.pk:
        raise DialogueError(_("You have not asked to delete this transcript."))
    _clear_request(session)
    session.save(update_fields=["transcript_delete_requested_by", "transcript_delete_requested_at"])
    return session


@transaction.atomic
def transcript_delete_confirm(*, session: DialogueSession, user: User) -> DialogueSession:
    """Agree to the partner's request: every word goes, for both."""
    session = _closed_for(session, user)
    asker = session.transcript_delete_requested_by_id
    if asker is None:
        raise DialogueError(_("Your partner has not asked to delete this transcript."))
    if asker == user.pk:
        raise DialogueError(_("You asked to delete it; it needs your partner's agreement."))
    return _delete_words(session, user)


def _delete_words(session: DialogueSession, user: User) -> DialogueSession:
    """Delete every word of a closed session, for both partners. What happened (the steps'
    kinds and order) goes too; the session, its topic link and the reflections stay.
    Call holding the session's row lock."""
    count, _deleted = Step.objects.filter(session=session).delete()
    session.transcript_deleted_at = timezone.now()
    _clear_request(session)
    session.save(
        update_fields=[
            "transcript_deleted_at",
            "transcript_delete_requested_by",
            "transcript_delete_requested_at",
        ]
    )
    audit_log(
        actor=user,
        action="dialogue.transcript.deleted",
        target=session,
        data={"pair": str(session.pair_id), "steps": count},
    )
    return session


@transaction.atomic
def withheld_turn_delete(*, turn: WithheldTurn, author: User) -> None:
    if turn.author_id != author.pk:
        raise DialogueError(_("This conversation was not found."), code="not_found")
    WithheldTurn.objects.filter(pk=turn.pk).delete()
