from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.dialogue import machine, selectors
from confide.dialogue.access import access_session, access_topic
from confide.dialogue.forms import (
    MoveForm,
    ReflectForm,
    StartForm,
    TopicForm,
    TopicStatusForm,
    TranscriptForm,
)
from confide.dialogue.guidance import BUTTONS, CLOSED, GUIDES, PAUSED, STEP_LABELS
from confide.dialogue.machine import MoveKind, Role
from confide.dialogue.models import DialogueSession, Topic, WithheldTurn
from confide.dialogue.services import DialogueError
from confide.dialogue.services.sessions import (
    dialogue_move,
    dialogue_reflect,
    dialogue_start,
    role_of,
    transcript_delete_confirm,
    transcript_delete_request,
    transcript_delete_withdraw,
    transcript_keep,
)
from confide.dialogue.services.topics import topic_create, topic_set_status
from confide.pairs.access import access_pair
from confide.pairs.models import Pair
from confide.pairs.services.common import partner_of
from confide.safety.services import CoachFirst, check_of, support_url

GET_POST = ["GET", "POST"]
# Moves shown as their own small form, in this order, after the words form.
_BUTTON_ORDER = (MoveKind.CONFIRM, MoveKind.SWAP, MoveKind.RESUME, MoveKind.CLOSE)


@dataclass(frozen=True)
class Action:
    move: str
    label: str | Promise
    with_text: bool


def _pair_context(pair: Pair, person: User, **extra: Any) -> dict[str, Any]:
    return {"pair": pair, "partner": partner_of(pair, person), **extra}


@login_required
@require_GET
def index(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    context = _pair_context(
        pair,
        person,
        current=selectors.open_session(pair=pair),
        page=selectors.sessions_for_pair(pair=pair, viewer=person, page=request.GET.get("page")),
        topics=selectors.open_topics(pair=pair) if pair.is_active else [],
        trend=selectors.reflection_trend(pair=pair, viewer=person),
    )
    return render(request, "dialogue/index.html", context)


@login_required
@require_POST
def start(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = StartForm(request.POST)
    topic = None
    if form.is_valid() and form.cleaned_data["topic"]:
        topic = access_topic(person, pair, form.cleaned_data["topic"])
    try:
        session = dialogue_start(pair=pair, starter=person, topic=topic)
    except DialogueError as error:
        messages.error(request, error.messages[0])
        return redirect("dialogue:index", pair.pk)
    return redirect("dialogue:session", pair.pk, session.pk)


def _actions(state: machine.State, role: Role) -> tuple[list[Action], Action | None]:
    """The words forms and the one-button forms the person may use now."""
    allowed = machine.allowed(state, role, now=timezone.now())
    texts = [
        Action(k.value, BUTTONS[k], True)
        for k in MoveKind
        if k in allowed and k in machine.TEXT_MOVES
    ]
    buttons = [Action(k.value, BUTTONS[k], False) for k in _BUTTON_ORDER if k in allowed]
    pause = Action(MoveKind.PAUSE.value, BUTTONS[MoveKind.PAUSE], False)
    return texts + buttons, pause if MoveKind.PAUSE in allowed else None


def _render_session(
    request: HttpRequest,
    pair: Pair,
    person: User,
    session: DialogueSession,
    *,
    move_form: forms.Form | None = None,
    reflect_form: forms.Form | None = None,
    coaching: object = None,
    status: int = 200,
) -> HttpResponse:
    role = role_of(session, person)
    assert role is not None  # noqa: S101 - access_session only finds the two partners
    state = session.machine_state
    speaker = session.person_a if state.speaker == Role.A else session.person_b
    if state.is_closed:
        guide = CLOSED
    elif state.pause is not None:
        guide = PAUSED
    else:
        guide = GUIDES[(state.phase, state.speaker == role)]
    actions, pause = _actions(state, role)
    steps = [] if session.transcript_deleted_at else selectors.steps_after(session=session, after=0)
    reflections = selectors.reflections_for(session=session)
    mine = next((r for r in reflections if r.author_id == person.pk), None)
    remaining = (
        max(0, int((state.pause.until - timezone.now()).total_seconds())) if state.pause else 0
    )
    context = _pair_context(
        pair,
        person,
        session=session,
        state=state,
        role=role.value,
        speaker=speaker,
        i_speak=state.speaker == role,
        guide=guide,
        actions=actions,
        pause_action=pause,
        move_form=move_form,
        transcript=[(step, STEP_LABELS.get(step.kind, "")) for step in steps],
        label_items=[(str(k), v) for k, v in STEP_LABELS.items()],
        pause_remaining=remaining,
        pause_minutes=remaining // 60,
        pause_seconds=remaining % 60,
        i_asked_to_end_early=bool(state.pause and role in state.pause.end_early),
        i_agreed_swap=role in state.swap_agreed,
        reflections=reflections,
        reflect_form=reflect_form
        or (ReflectForm(initial={"understood": mine.understood if mine else None})),
    )
    template = "dialogue/session.html"
    if request.GET.get("panel"):
        template += "#live"
    context["coaching"] = coaching
    context["withheld"] = selectors.withheld_turns(session=session, viewer=person)
    return render(request, template, context, status=status)


@login_required
@require_GET
def session(request: HttpRequest, pair_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    return _render_session(request, pair, person, access_session(person, pair, session_id))


def _needs_close_confirmation(
    request: HttpRequest, session: DialogueSession, move_kind: str
) -> bool:
    """Closing ends the conversation for both, so it takes a second, deliberate step. A close
    of a conversation that has already ended goes on to its clear refusal instead."""
    return (
        move_kind == MoveKind.CLOSE
        and request.POST.get("confirmed") != "1"
        and not session.is_closed
    )


@login_required
@require_POST
def move(request: HttpRequest, pair_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    current = access_session(person, pair, session_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if _needs_close_confirmation(request, current, data["move"]):
            return render(
                request,
                "dialogue/close_confirm.html",
                _pair_context(pair, person, session=current, last_seen=data["last_seen"]),
            )
        try:
            played = dialogue_move(
                session=current,
                author=person,
                kind=data["move"],
                text=data["text"] or "",
                expected_seq=data["last_seen"],
                pause_minutes=data["minutes"],
                send_as_is=request.POST.get("send_as_is") == "1",
            )
        except CoachFirst as held:
            current.refresh_from_db()
            return _render_session(
                request, pair, person, current, move_form=form, coaching=held.coaching
            )
        except DialogueError as error:
            form.add_error(None, error.messages[0])
        else:
            next_url = reverse("dialogue:session", args=[pair.pk, current.pk])
            url = support_url(
                check=check_of(played),
                writer=person,
                next_url=next_url,
                where="dialogue.turn",
                pair_id=pair.pk,
                entry=f"turn:{played.pk}" if isinstance(played, WithheldTurn) else None,
            )
            return redirect(url or next_url)
    current.refresh_from_db()
    return _render_session(request, pair, person, current, move_form=form, status=400)


@login_required
@require_POST
def reflect(request: HttpRequest, pair_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    current = access_session(person, pair, session_id)
    form = ReflectForm(request.POST)
    if form.is_valid():
        try:
            dialogue_reflect(
                session=current, author=person, understood=form.cleaned_data["understood"]
            )
        except DialogueError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Thank you. Your reflection is saved."))
            return redirect("dialogue:session", pair.pk, current.pk)
    return _render_session(request, pair, person, current, reflect_form=form, status=400)


_TRANSCRIPT_ACTIONS = {
    "keep": (transcript_keep, gettext_lazy("The transcript is kept in your pair's space.")),
    "request_delete": (
        transcript_delete_request,
        gettext_lazy("You asked to delete the transcript. It is deleted when your partner agrees."),
    ),
    "withdraw_delete": (
        transcript_delete_withdraw,
        gettext_lazy("Your request to delete it is withdrawn."),
    ),
    "confirm_delete": (
        transcript_delete_confirm,
        gettext_lazy("The transcript is deleted, for both of you."),
    ),
}


@login_required
@require_POST
def transcript(request: HttpRequest, pair_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    current = access_session(person, pair, session_id)
    form = TranscriptForm(request.POST)
    try:
        if not form.is_valid():
            raise DialogueError(_("Choose to keep the transcript or to ask to delete it."))
        service, done = _TRANSCRIPT_ACTIONS[form.cleaned_data["action"]]
        changed = service(session=current, user=person)
        if changed.transcript_deleted_at is not None:
            # Asked after the partner left the pair: nobody else can agree, so it went at once.
            done = gettext_lazy("The transcript is deleted, for both of you.")
        messages.success(request, str(done))
    except DialogueError as error:
        messages.error(request, error.messages[0])
    return redirect("dialogue:session", pair.pk, current.pk)


@login_required
@require_http_methods(GET_POST)
def topics(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=request.method == "POST")
    form = TopicForm(request.POST or None)
    coaching = None
    if request.method == "POST" and form.is_valid():
        try:
            created = topic_create(
                pair=pair,
                raised_by=person,
                title=form.cleaned_data["title"],
                startup=form.cleaned_data["startup"],
                send_as_is=request.POST.get("send_as_is") == "1",
            )
        except CoachFirst as held:
            coaching = held.coaching
        except DialogueError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic is on your list."))
            next_url = reverse("dialogue:topics", args=[pair.pk])
            url = support_url(
                check=check_of(created),
                writer=person,
                next_url=next_url,
                where="dialogue.topic",
                pair_id=pair.pk,
                entry=f"topic:{created.pk}",
            )
            return redirect(url or next_url)
    page = selectors.topics_for_pair(pair=pair, viewer=person, page=request.GET.get("page"))
    status = 400 if form.errors else 200
    return render(
        request,
        "dialogue/topics.html",
        _pair_context(pair, person, form=form, page=page, coaching=coaching),
        status=status,
    )


@login_required
@require_http_methods(GET_POST)
def topic(request: HttpRequest, pair_id: uuid.UUID, topic_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=request.method == "POST")
    item = access_topic(person, pair, topic_id)
    form = TopicStatusForm(request.POST or None, initial={"status": item.status})
    if request.method == "POST" and form.is_valid():
        try:
            topic_set_status(topic=item, user=person, status=form.cleaned_data["status"])
        except DialogueError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("dialogue:topic", pair.pk, item.pk)
    sessions = item.sessions.order_by("-created_at")[:20]
    return render(
        request,
        "dialogue/topic.html",
        _pair_context(pair, person, topic=item, form=form, sessions=sessions, Status=Topic.Status),
        status=400 if form.errors else 200,
    )
