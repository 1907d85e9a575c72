from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.pairs import content, selectors
from confide.pairs.access import (
    access_checkin,
    access_invitation_as_inviter,
    access_pair,
    access_round,
    membership,
)
from confide.pairs.forms import (
    AnswerForm,
    CheckInForm,
    DrawForm,
    InviteForm,
    LevelForm,
    ReplyForm,
    UnderstoodForm,
)
from confide.pairs.models import CheckIn, Pair, PairInvitation
from confide.pairs.services import PairError
from confide.pairs.services.checkins import (
    checkin_submit,
    checkin_update,
    reply_create,
    understood_rate,
)
from confide.pairs.services.common import today_for
from confide.pairs.services.pairing import (
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_decline,
    invitation_find,
    invitation_withdraw,
    pair_leave,
    pair_pause,
    pair_resume,
)
from confide.pairs.services.prompts import level_opt_in, prompt_answer, prompt_draw, unlocked_level
from confide.safety.web import write_screened

GET_POST = ["GET", "POST"]
LINK_KEY = "confide_invitation_link_{}"


def _fail(form: forms.Form, error: PairError) -> None:
    form.add_error(None, error)


def _partner(pair: Pair, person: User) -> User | None:
    """The other person, from the members `access_pair` fetched with their people (as
    `partner_of` names them, without another query)."""
    others = sorted((m for m in pair.members.all() if m.user_id != person.pk), key=lambda m: m.pk)
    return others[0].user if others else None


def _link_checkins(pair: Pair, checkins: Iterable[CheckIn]) -> None:
    """Each card's link to its check-in's page, reversed once: the links differ only by id."""
    marker = str(uuid.UUID(int=0))
    pattern = reverse("pairs:checkin_detail", args=[pair.pk, marker])
    for checkin in checkins:
        checkin.detail_url = pattern.replace(marker, str(checkin.pk))  # type: ignore[attr-defined]


def _pair_context(pair: Pair, person: User, **extra: Any) -> dict[str, Any]:
    return {"pair": pair, "partner": _partner(pair, person), **extra}


@login_required
@require_GET
def pair_list(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    context = {
        "pairs": selectors.pairs_for_person(user=person),
        "received": selectors.invitations_for_person(user=person),
        "sent": selectors.invitations_sent(user=person),
    }
    return render(request, "pairs/list.html", context)


@login_required
@require_http_methods(GET_POST)
def invite(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, raw = invitation_create(inviter=person, email=form.cleaned_data["email"])
        except PairError as error:
            _fail(form, error)
        else:
            # Shown once, on the next page; only a hash stays in the database.
            request.session[LINK_KEY.format(invitation.pk)] = raw
            return redirect("pairs:invitation", invitation.pk)
    return render(request, "pairs/invite.html", {"form": form})


@login_required
@require_GET
def invitation_detail(request: HttpRequest, invitation_id: int) -> HttpResponse:
    person = access_person(request)
    invitation = access_invitation_as_inviter(person, invitation_id)
    raw = request.session.pop(LINK_KEY.format(invitation.pk), None)
    link = request.build_absolute_uri(reverse("pairs:join", args=[raw])) if raw else None
    return render(request, "pairs/invitation.html", {"invitation": invitation, "link": link})


@login_required
@require_POST
def invitation_withdraw_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    person = access_person(request)
    invitation = access_invitation_as_inviter(person, invitation_id)
    try:
        invitation_withdraw(invitation=invitation, inviter=person)
    except PairError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation is withdrawn; its link no longer works."))
    return redirect("pairs:list")


def _answer_invitation(
    request: HttpRequest, invitation: PairInvitation, person: User
) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "accept":
            pair = invitation_accept(invitation=invitation, user=person)
            messages.success(request, _("You are now paired. Welcome to your shared space."))
            return redirect("pairs:detail", pair.pk)
        if action == "decline":
            invitation_decline(invitation=invitation, user=person)
            messages.success(request, _("You declined the invitation. Nothing was shared."))
            return redirect("pairs:list")
        raise PairError(_("Choose to accept or decline the invitation."))
    except PairError as error:
        return render(
            request,
            "pairs/join.html",
            {"invitation": invitation, "problem": error.messages[0]},
            status=400,
        )


@require_http_methods(GET_POST)
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
        user = request.user if isinstance(request.user, User) else None
        invitation_check(invitation, user=user)
    except PairError as error:
        return render(
            request, "pairs/join_invalid.html", {"problem": error.messages[0]}, status=400
        )
    if user is None:
        if request.method == "POST":
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return render(request, "pairs/join.html", {"invitation": invitation, "anonymous": True})
    if request.method == "POST":
        return _answer_invitation(request, invitation, user)
    return render(request, "pairs/join.html", {"invitation": invitation})


@login_required
@require_POST
def invitation_respond(request: HttpRequest, invitation_id: int) -> HttpResponse:
    person = access_person(request)
    invitation = selectors.invitations_for_person(user=person).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return _answer_invitation(request, invitation, person)


@login_required
@require_GET
def pair_detail(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    recent, todays = selectors.checkins_recent(pair=pair, viewer=person, today=today_for(person))
    _link_checkins(pair, [*recent, *todays])
    context = _pair_context(
        pair,
        person,
        # Today's cards, as lists of at most one (the card partial takes a list).
        mine=[c for c in todays if c.author_id == person.pk][:1],
        theirs=[c for c in todays if c.author_id != person.pk][:1],
        trend=selectors.understood_trend(pair=pair, viewer=person),
        open_round=selectors.open_round(pair=pair),
        recent=recent,
    )
    return render(request, "pairs/detail.html", context)


@login_required
@require_GET
def history(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    page = selectors.checkin_history(pair=pair, viewer=person, page=request.GET.get("page"))
    _link_checkins(pair, page)
    return render(request, "pairs/history.html", _pair_context(pair, person, page=page))


def _checkin_initial(checkin: CheckIn) -> dict[str, Any]:
    return {
        "mood": checkin.mood,
        "feelings": checkin.feelings,
        "needs": checkin.needs,
        "note": checkin.note,
        "visibility": checkin.visibility,
    }


@login_required
@require_http_methods(GET_POST)
def checkin(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    existing = CheckIn.objects.filter(pair=pair, author=person, day=today_for(person)).first()
    initial = _checkin_initial(existing) if existing else None
    form = CheckInForm(request.POST or None, initial=initial)
    coaching = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("mood", "feelings", "needs", "note", "visibility")}
        editing = request.POST.get("checkin")

        def save(send_as_is: bool) -> object:
            if editing:
                if existing is None or editing != str(existing.pk):
                    # Another day's check-in (or one that is not this person's): refused.
                    raise PairError(_("A check-in can only be changed on its own day."))
                return checkin_update(
                    checkin=existing, author=person, send_as_is=send_as_is, **fields
                )
            return checkin_submit(pair=pair, author=person, send_as_is=send_as_is, **fields)

        outcome = write_screened(
            request,
            form,
            save,
            person=person,
            pair_id=pair.pk,
            where="pairs.checkin",
            done=_("Thank you for checking in."),
            next_url=reverse("pairs:detail", args=[pair.pk]),
            entry_kind="checkin",
        )
        if outcome.response is not None:
            return outcome.response
        coaching = outcome.coaching
    return render(
        request,
        "pairs/checkin.html",
        _pair_context(
            pair,
            person,
            form=form,
            existing=existing,
            answered_by=_answered_by(existing),
            coaching=coaching,
            feeling_groups=content.feeling_groups(),
            need_groups=content.need_groups(),
            common_feelings=content.COMMON_FEELINGS,
            common_needs=content.COMMON_NEEDS,
            feelings_open=_beyond(form["feelings"].value(), content.COMMON_FEELINGS),
            needs_open=_beyond(form["needs"].value(), content.COMMON_NEEDS),
        ),
    )


def _beyond(chosen: object, common: tuple[str, ...]) -> bool:
    """Whether a word outside the common few is chosen (its "more" list then starts open)."""
    return isinstance(chosen, list | tuple) and any(w not in common for w in chosen)


def _answered_by(existing: CheckIn | None) -> str | None:
    """Who has answered today's check-in (a visible reply), so the writer knows before they
    change it that each reply keeps the words it answered."""
    if existing is None:
        return None
    reply = existing.replies.filter(withheld=False).select_related("author").first()
    return reply.author.display_name if reply else None


def _render_checkin(
    request: HttpRequest,
    pair: Pair,
    person: User,
    entry: CheckIn,
    coaching: object = None,
    **forms_: forms.Form,
) -> HttpResponse:
    can_reply = pair.is_active and entry.author_id != person.pk and entry.is_shared
    can_rate = (
        pair.is_active
        and entry.author_id == person.pk
        and entry.replies.filter(withheld=False).exists()
    )
    replies = list(selectors.visible_replies(pair=pair, viewer=person).filter(checkin=entry))
    for one in replies:
        one.earlier = one.answered_earlier(entry)  # type: ignore[attr-defined]
    # The card counts the replies shown here (never one withheld from this viewer).
    entry.reply_count = len(replies)  # type: ignore[attr-defined]
    if request.resolver_match and request.resolver_match.url_name != "checkin_detail":
        _link_checkins(pair, [entry])  # a reply or rating to correct: a link back to the page
    context = _pair_context(
        pair,
        person,
        checkin=entry,
        cards=[entry],
        replies=replies,
        reply_form=forms_.get("reply_form") or (ReplyForm() if can_reply else None),
        understood_form=forms_.get("understood_form")
        or (UnderstoodForm(initial={"rating": entry.understood}) if can_rate else None),
        coaching=coaching,
    )
    return render(request, "pairs/checkin_detail.html", context)


@login_required
@require_GET
def checkin_detail(request: HttpRequest, pair_id: uuid.UUID, checkin_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    return _render_checkin(request, pair, person, access_checkin(person, pair, checkin_id))


@login_required
@require_POST
def reply(request: HttpRequest, pair_id: uuid.UUID, checkin_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    entry = access_checkin(person, pair, checkin_id)
    form = ReplyForm(request.POST)
    coaching = None
    if form.is_valid():
        data = form.cleaned_data
        outcome = write_screened(
            request,
            form,
            lambda send_as_is: reply_create(
                checkin=entry,
                author=person,
                kind=data["kind"],
                text=data["text"],
                send_as_is=send_as_is,
            ),
            person=person,
            pair_id=pair.pk,
            where="pairs.reply",
            done=_("Your reply is saved."),
            next_url=reverse("pairs:checkin_detail", args=[pair.pk, entry.pk]),
            entry_kind="reply",
        )
        if outcome.response is not None:
            return outcome.response
        coaching = outcome.coaching
    return _render_checkin(request, pair, person, entry, coaching, reply_form=form)


@login_required
@require_POST
def understood(request: HttpRequest, pair_id: uuid.UUID, checkin_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    entry = access_checkin(person, pair, checkin_id)
    form = UnderstoodForm(request.POST)
    if form.is_valid():
        try:
            understood_rate(checkin=entry, author=person, rating=form.cleaned_data["rating"])
        except PairError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Thank you. Your partner can see how understood you felt."))
            return redirect("pairs:checkin_detail", pair.pk, entry.pk)
    return _render_checkin(request, pair, person, entry, understood_form=form)


def _render_prompts(
    request: HttpRequest, pair: Pair, person: User, coaching: object = None, **forms_: forms.Form
) -> HttpResponse:
    current = selectors.open_round(pair=pair)
    member = membership(person, pair)
    unlocked = unlocked_level(pair)
    answers = (
        selectors.answers_visible(prompt_round=current, viewer=person, pair=pair) if current else []
    )
    answered = any(a.author_id == person.pk for a in answers)
    page = selectors.revealed_rounds(pair=pair, viewer=person, page=request.GET.get("page"))
    for past in page:
        past.prompt = content.prompt_by_id(past.prompt_id)  # type: ignore[attr-defined]
    context = _pair_context(
        pair,
        person,
        current=current,
        current_prompt=content.prompt_by_id(current.prompt_id) if current else None,
        my_answer=next((a for a in answers if a.author_id == person.pk), None),
        answer_form=forms_.get("answer_form")
        or (AnswerForm() if current and not answered else None),
        draw_form=forms_.get("draw_form") or DrawForm(initial={"level": unlocked}),
        level_form=forms_.get("level_form")
        or LevelForm(initial={"level": member.level_opt_in if member else 1}),
        unlocked=unlocked,
        level_labels=content.LEVEL_LABELS,
        page=page,
        coaching=coaching,
    )
    status = 200 if not any(f.errors for f in forms_.values()) else 400
    return render(request, "pairs/prompts.html", context, status=status)


@login_required
@require_GET
def prompts(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    return _render_prompts(request, access_pair(person, pair_id), person)


@login_required
@require_POST
def draw(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            prompt_draw(pair=pair, user=person, level=form.cleaned_data["level"])
        except PairError as error:
            _fail(form, error)
        else:
            return redirect("pairs:prompts", pair.pk)
    return _render_prompts(request, pair, person, draw_form=form)


@login_required
@require_POST
def answer(request: HttpRequest, pair_id: uuid.UUID, round_id: int) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    prompt_round = access_round(person, pair, round_id)
    form = AnswerForm(request.POST)
    coaching = None
    if form.is_valid():
        text = form.cleaned_data["text"]
        outcome = write_screened(
            request,
            form,
            lambda send_as_is: prompt_answer(
                prompt_round=prompt_round, author=person, text=text, send_as_is=send_as_is
            ),
            person=person,
            pair_id=pair.pk,
            where="pairs.answer",
            done=_("Your answer is saved."),
            next_url=reverse("pairs:prompts", args=[pair.pk]),
            entry_kind="answer",
        )
        if outcome.response is not None:
            return outcome.response
        coaching = outcome.coaching
    return _render_prompts(request, pair, person, coaching=coaching, answer_form=form)


@login_required
@require_POST
def levels(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = LevelForm(request.POST)
    if form.is_valid():
        try:
            level_opt_in(pair=pair, user=person, level=form.cleaned_data["level"])
        except PairError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("pairs:prompts", pair.pk)
    return _render_prompts(request, pair, person, level_form=form)


@login_required
@require_http_methods(GET_POST)
def leave(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    if request.method == "POST":
        try:
            pair_leave(pair=pair, user=person)
        except PairError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("You have left the pair. What you wrote stays with you."))
        return redirect("pairs:list")
    return render(request, "pairs/leave.html", _pair_context(pair, person))


@login_required
@require_POST
def pause(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    try:
        pair_pause(pair=pair, user=person)
    except PairError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Joint activities are paused. Your partner sees only that they are paused.")
        )
    # From the support or safety page: back there, not to the shared pair page.
    back = request.POST.get("next", "")
    # A path only: redirect() would take a bare word like "0" for a view name (a server error).
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect("pairs:detail", pair.pk)


@login_required
@require_POST
def resume(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    try:
        pair_resume(pair=pair, user=person)
    except PairError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Joint activities are open again."))
    return redirect("pairs:detail", pair.pk)
