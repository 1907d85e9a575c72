"""Thin views: access -> form -> one service -> render or redirect.

Counsellor pages sit behind two-step login, and each opening of a client's data is written to
that client's access log (one entry per client shown)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.accounts.models import User
from confide.care import selectors
from confide.care.access import (
    DataKind,
    access_client_data,
    access_homework_as_client,
    access_relationship_as_client,
    access_relationship_as_counsellor,
    access_relationship_to_end,
    allows,
    clients_of,
    verified_counsellor,
)
from confide.care.forms import ApplyForm, ConsentForm, HomeworkForm, InviteForm, NoteForm
from confide.care.models import CareRelationship, CounsellorProfile, HomeworkKind, Scope
from confide.care.services import (
    CareError,
    consent_set,
    counsellor_apply,
    homework_assign,
    homework_complete,
    note_add,
    relationship_end,
    relationship_invite,
)
from confide.privacy.accesslog import access_record, access_records_add
from confide.privacy.models import AccessRecord

GET_POST = ["GET", "POST"]

# The access-log kind recorded when a counsellor opens a client's page, by the client's scope.
KIND_BY_SCOPE = {
    Scope.NOTHING: "care.overview",
    Scope.MEASURES: "care.measures",
    Scope.MEASURES_TOPICS: "care.topics",
    Scope.FULL: "care.shared",
}


def _fail(request: HttpRequest, error: CareError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _record(counsellor: User, client: User, kind: str, relationship: CareRelationship) -> None:
    access_record(
        subject=client,
        actor=counsellor,
        role=AccessRecord.Role.COUNSELLOR,
        kind=kind,
        object_ref=f"care:{relationship.pk}",
    )


def _pairs_of(person: User) -> list[Any]:
    from confide.measures.selectors import active_pairs, partner_in

    return [(p, partner_in(p, person)) for p in active_pairs(person=person)]


# --- clients --------------------------------------------------------------------------------


def _invite_form(request: HttpRequest, person: User, data: Any = None) -> InviteForm:
    choices = [
        (str(pair.pk), _("Me and %(name)s") % {"name": partner.display_name if partner else "?"})
        for pair, partner in _pairs_of(person)
    ]
    return InviteForm(data, pairs=choices)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    return render(
        request,
        "care/index.html",
        {
            "cases": selectors.relationships_for_client(
                person=person, page=request.GET.get("page")
            ),
            "form": _invite_form(request, person),
            "profile": selectors.profile_of(person),
        },
    )


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    form = _invite_form(request, person, request.POST)
    if form.is_valid():
        pair = None
        if form.cleaned_data["pair"]:
            pair = next(
                (p for p, _partner in _pairs_of(person) if str(p.pk) == form.cleaned_data["pair"]),
                None,
            )
        try:
            relationship = relationship_invite(
                inviter=person, counsellor_email=form.cleaned_data["email"], pair=pair
            )
        except CareError as error:
            _fail(request, error)
        else:
            messages.success(
                request,
                _("Invited. The counsellor sees nothing until each of you chooses what to share."),
            )
            return redirect("care:relationship", relationship.pk)
    else:
        messages.error(request, _("Please give the counsellor's email address."))
    return redirect("care:index")


@login_required
@require_GET
def relationship(request: HttpRequest, relationship_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    found = access_relationship_as_client(person, relationship_id)
    consent = selectors.consent_of(relationship=found, person=person)
    form = ConsentForm(
        initial={
            "person": person.pk,
            "scope": consent.scope if consent else Scope.NOTHING,
            "until": consent.until if consent else None,
        }
    )
    case = selectors.case_for(found)
    is_client = person.pk in {c.pk for c in clients_of(found)}
    homework = selectors.homework_page(relationship=found, page=request.GET.get("homework"))
    return render(
        request,
        "care/relationship.html",
        {
            "case": case,
            "homework_page": homework,
            "homework_lines": selectors.homework_lines(
                list(homework.object_list), topics_visible=is_client
            ),
            "form": form,
            "is_client": is_client,
            "history": selectors.consent_history(relationship=found, page=request.GET.get("page")),
        },
    )


@login_required
@require_POST
def consent(request: HttpRequest, relationship_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    found = access_relationship_as_client(person, relationship_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the options and a valid date."))
        return redirect("care:relationship", found.pk)
    whose = User.objects.filter(pk=form.cleaned_data["person"]).first()
    try:
        if whose is None:
            raise CareError(_("You can choose only what the counsellor sees of you."))
        consent_set(
            relationship=found,
            person=whose,
            actor=person,
            scope=form.cleaned_data["scope"],
            until=form.cleaned_data["until"],
        )
    except CareError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Saved. It holds from the counsellor's next page."))
    return redirect("care:relationship", found.pk)


@login_required
@require_POST
def homework_done(request: HttpRequest, homework_id: int) -> HttpResponse:
    person = access_person(request)
    homework = access_homework_as_client(person, homework_id)
    try:
        homework_complete(homework=homework, person=person)
    except CareError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Marked done. Your counsellor sees that it is done."))
    return redirect("care:relationship", homework.relationship_id)


@login_required
@require_second_factor
@require_POST
def end(request: HttpRequest, relationship_id: uuid.UUID) -> HttpResponse:
    """Either side ends it: a client of the relationship, or its counsellor."""
    person = access_person(request)
    found = access_relationship_to_end(person, relationship_id)
    if request.POST.get("confirm") != "yes":
        # Ending cannot be undone (care starts again only with a new invitation and new
        # choices), so the first press asks once; nothing changes until it is confirmed.
        return render(
            request,
            "care/end_confirm.html",
            {
                "case": selectors.case_for(found),
                "case_names": get_text_list([c.display_name for c in clients_of(found)], _("and")),
                "as_counsellor": found.counsellor_id == person.pk,
            },
        )
    try:
        relationship_end(relationship=found, actor=person)
    except CareError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Ended. The counsellor's access ended at once."))
    if found.counsellor_id == person.pk:
        return redirect("care:counsellor")
    return redirect("care:relationship", found.pk)


# --- counsellors ----------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def apply(request: HttpRequest) -> HttpResponse:
    """The applicant's own page: the state of their application in plain words (with the
    operator's reason for a decline or a withdrawal, which nobody else is shown), and the form
    while they may apply (again)."""
    person = access_person(request)
    profile = selectors.profile_of(person)
    initial = (
        {"name": profile.name, "credentials": profile.credentials, "practice": profile.practice}
        if profile
        else None
    )
    form = ApplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            counsellor_apply(user=person, **form.cleaned_data)
        except CareError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Thank you. An operator will look at your application."))
            return redirect("care:apply")
    return render(
        request,
        "care/apply.html",
        {
            "form": form,
            "profile": profile,
            "decision": selectors.latest_decision(profile) if profile else None,
            "may_apply": profile is not None
            and profile.status
            in (CounsellorProfile.Status.DECLINED, CounsellorProfile.Status.REVOKED),
        },
    )


def _counsellor(request: HttpRequest) -> User:
    person = access_person(request)
    if verified_counsellor(person) is None:
        raise Http404
    return person


def _note_keeper(request: HttpRequest) -> User:
    """A counsellor, or one whose verification was withdrawn: their notes stay theirs."""
    person = access_person(request)
    profile = selectors.profile_of(person)
    if profile is None or profile.status not in (
        CounsellorProfile.Status.VERIFIED,
        CounsellorProfile.Status.REVOKED,
    ):
        raise Http404
    return person


@login_required
@require_second_factor
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(access_person(request))
    if profile is not None and profile.status == CounsellorProfile.Status.REVOKED:
        # Refused, but not with a bare "not found": their own page says what happened.
        messages.error(request, _("An operator withdrew your verification as a counsellor."))
        return redirect("care:apply")
    counsellor = _counsellor(request)
    cases = selectors.cases_for_counsellor(counsellor=counsellor, page=request.GET.get("page"))
    # One entry per client this page shows, in one query.
    access_records_add(
        actor=counsellor,
        role=AccessRecord.Role.COUNSELLOR,
        kind="care.overview",
        openings=[
            (row.person, f"care:{case.relationship.pk}")
            for case in cases.object_list
            for row in case.clients
        ],
    )
    ended_count = (
        0
        if cases.object_list
        else CareRelationship.objects.filter(counsellor=counsellor, ended_at__isnull=False).count()
    )
    return render(request, "care/dashboard.html", {"cases": cases, "ended_count": ended_count})


def _targets(case: selectors.Case, kinds: list[str]) -> list[tuple[str, Any]]:
    """The exercises to choose from, grouped by kind, for the kinds offered."""
    from confide.measures.registry import all_instruments
    from confide.pairs.content import TOPIC_LABELS

    groups: list[tuple[str, Any]] = []
    if HomeworkKind.MEASURE in kinds:
        measures = [
            (i.id, i.title) for i in all_instruments().values() if i.audience in ("person", "pair")
        ]
        groups.append((str(HomeworkKind.MEASURE.label), measures))
    if HomeworkKind.PROMPTS in kinds:
        prompts = [(k, str(v)) for k, v in TOPIC_LABELS.items()]
        groups.append((str(HomeworkKind.PROMPTS.label), prompts))
    # A conversation is offered only when every client shares topics, so titles may be listed.
    if HomeworkKind.DIALOGUE in kinds:
        topics = [
            (str(t.pk), t.title)
            for row in case.clients
            for t in selectors.client_topics(relationship=case.relationship, client=row.person)
        ]
        groups.append((str(HomeworkKind.DIALOGUE.label), topics))
    return groups


def _render_case(request: HttpRequest, counsellor: User, found: CareRelationship) -> HttpResponse:
    case = selectors.case_for(found)
    offer = selectors.homework_offer(case)
    # The homework form lists the clients' topics by title only when everyone shares topics.
    shows_topics = HomeworkKind.DIALOGUE in offer.kinds
    for row in case.clients:
        _record(counsellor, row.person, "care.topics" if shows_topics else "care.overview", found)
    homework = selectors.homework_page(relationship=found, page=request.GET.get("homework"))
    return render(
        request,
        "care/case.html",
        {
            "case": case,
            "homework_page": homework,
            "homework_lines": selectors.homework_lines(
                list(homework.object_list), topics_visible=shows_topics
            ),
            "homework_form": (
                HomeworkForm(targets=_targets(case, offer.kinds), kinds=offer.kinds)
                if offer.kinds
                else None
            ),
            "not_offered": offer.not_offered,
            "note_form": NoteForm(),
            "notes": selectors.notes_for(
                counsellor=counsellor, relationship=found, page=request.GET.get("page")
            ),
        },
    )


@login_required
@require_second_factor
@require_GET
def case(request: HttpRequest, relationship_id: uuid.UUID) -> HttpResponse:
    counsellor = _counsellor(request)
    found = access_relationship_as_counsellor(counsellor, relationship_id)
    return _render_case(request, counsellor, found)


@login_required
@require_second_factor
@require_GET
def client(request: HttpRequest, relationship_id: uuid.UUID, person_id: int) -> HttpResponse:
    counsellor = _counsellor(request)
    found = access_relationship_as_counsellor(counsellor, relationship_id)
    person, scope = access_client_data(counsellor, found, person_id, DataKind.OVERVIEW)
    context: dict[str, Any] = {
        "relationship": found,
        "client": person,
        "scope": scope,
        "clients_names": get_text_list([c.display_name for c in clients_of(found)], _("and")),
    }
    if allows(scope, DataKind.MEASURES):
        context["measures"] = selectors.client_measures(relationship=found, client=person)
    if allows(scope, DataKind.TOPICS):
        context["topics"] = selectors.client_topic_page(
            relationship=found, client=person, page=request.GET.get("page")
        )
    if allows(scope, DataKind.PATTERNS):
        context["patterns"] = selectors.client_patterns(relationship=found, client=person)
    if allows(scope, DataKind.SHARED):
        context["shared"] = selectors.client_shared(relationship=found, client=person)
    _record(counsellor, person, KIND_BY_SCOPE[scope], found)
    return render(request, "care/client.html", context)


@login_required
@require_second_factor
@require_POST
def homework_new(request: HttpRequest, relationship_id: uuid.UUID) -> HttpResponse:
    counsellor = _counsellor(request)
    found = access_relationship_as_counsellor(counsellor, relationship_id)
    # Every kind is accepted here, even one the page did not offer: consent may have changed
    # since the page was shown, and the service refuses it then with the reason. Targets are
    # checked against the kind by the service too, so the form only needs the fields.
    form = HomeworkForm(request.POST, targets=[])
    form.fields["target"].choices = [(request.POST.get("target", ""), "")]  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            homework_assign(relationship=found, counsellor=counsellor, **form.cleaned_data)
        except CareError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Homework set. Your clients see it on their home page."))
            return redirect("care:case", found.pk)
    else:
        messages.error(request, _("Please choose an exercise and a due date."))
    return redirect("care:case", found.pk)


@login_required
@require_second_factor
@require_POST
def note_new(request: HttpRequest, relationship_id: uuid.UUID) -> HttpResponse:
    counsellor = _counsellor(request)
    found = access_relationship_as_counsellor(counsellor, relationship_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(relationship=found, counsellor=counsellor, text=form.cleaned_data["text"])
        except CareError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Note kept. Only you can read it."))
    else:
        messages.error(request, _("The note is empty or too long."))
    return redirect("care:case", found.pk)


@login_required
@require_second_factor
@require_GET
def notes(request: HttpRequest) -> HttpResponse:
    """All the counsellor's notes, including those of relationships that ended."""
    counsellor = _note_keeper(request)
    page, lines = selectors.note_lines(counsellor=counsellor, page=request.GET.get("page"))
    return render(
        request,
        "care/notes.html",
        {
            "page": page,
            "lines": lines,
            "is_verified": verified_counsellor(counsellor) is not None,
        },
    )


@login_required
@require_second_factor
@require_GET
def notes_export(request: HttpRequest) -> HttpResponse:
    counsellor = _note_keeper(request)
    from confide.care.privacy import notes_export_data

    body = json.dumps({"notes": notes_export_data(counsellor)}, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="confide-counsellor-notes.json"'
    return response
