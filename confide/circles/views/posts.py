"""Threads, replies and reactions."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.circles import selectors
from confide.circles.access import access_circle, access_reply, access_thread
from confide.circles.forms import ReactionForm, ReplyForm, ThreadForm
from confide.circles.models import Membership, PostStatus, Thread
from confide.circles.services import CircleError
from confide.circles.services.posts import reaction_set, reply_create, thread_create
from confide.circles.views import GET_POST, fail, first_error, render_circle
from confide.moderation import hooks as moderation  # hooks: support after a post, hidden posts
from confide.safety.services import CoachFirst, check_of


@login_required
@require_http_methods(GET_POST)
def thread_new(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = thread_create(membership=membership, **form.cleaned_data)
        except CircleError as error:
            fail(form, error)
        else:
            check = check_of(thread)  # the service screened what it stored, once
            if thread.status == PostStatus.HELD:
                messages.success(
                    request,
                    moderation.held_message(membership, check)
                    or _("Thank you. As a new member, your first post waits for a facilitator."),
                )
            else:
                messages.success(request, _("Your post is shared with the circle."))
            # Moderation hook: crisis or fear words show the writer support first.
            next_url = reverse("circles:thread", args=[circle_id, thread.pk])
            return moderation.after_post(request, check, person, "circles.thread", next_url)
    return render_circle(request, "circles/thread_new.html", membership, form=form)


def _render_thread(
    request: HttpRequest,
    membership: Membership,
    thread: Thread,
    form: ReplyForm | None = None,
    coaching: object = None,  # moderation hook: the private coach for a harsh reply
) -> HttpResponse:
    page = selectors.reply_page(viewer=membership, thread=thread, page=request.GET.get("page"))
    replies = list(page.object_list)  # already a list (selectors.reply_page)
    moderation.annotate_posts(membership, thread, replies)  # hidden and blocked posts
    summaries = selectors.reaction_summaries(viewer=membership, thread=thread, replies=replies)
    for post in [thread, *replies]:  # read by circles/partials.html#reactions
        setattr(post, "summary", summaries[None if post is thread else post.pk])  # noqa: B010
    return render_circle(
        request,
        "circles/thread.html",
        membership,
        thread=thread,
        page=page,
        form=form or ReplyForm(),
        coaching=coaching,
    )


@login_required
@require_GET
def thread(request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    return _render_thread(request, membership, access_thread(membership, thread_id))


@login_required
@require_POST
def reply(request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_thread(membership, thread_id)
    form = ReplyForm(request.POST)
    coaching = None
    if form.is_valid():
        try:
            created = reply_create(
                membership=membership,
                thread=entry,
                send_as_is=request.POST.get("send_as_is") == "1",
                **form.cleaned_data,
            )
        except CoachFirst as held:
            # Harsh words meet the private coach before anything is saved.
            return _render_thread(request, membership, entry, form, held.coaching)
        except CircleError as error:
            fail(form, error)
        else:
            check = check_of(created)  # the service screened what it stored, once
            if created.status == PostStatus.HELD:
                messages.success(
                    request,
                    moderation.held_message(membership, check)
                    or _("Thank you. Your reply waits for a facilitator's approval."),
                )
            else:
                messages.success(request, _("Your reply is shared."))
            last = f"{reverse('circles:thread', args=[circle_id, entry.pk])}?page=last"
            # Moderation hook: crisis or fear words show the writer support first.
            return moderation.after_post(
                request, check, person, "circles.reply", f"{last}#reply-{created.pk}"
            )
    return _render_thread(request, membership, entry, form, coaching)


@login_required
@require_POST
def react(request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_thread(membership, thread_id)
    form = ReactionForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=set()) or not back.startswith("/"):
        back = reverse("circles:thread", args=[circle_id, entry.pk])
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    data = form.cleaned_data
    target = access_reply(membership, entry, data["reply"]) if data["reply"] else None
    try:
        reaction_set(
            membership=membership, thread=entry, reply=target, kind=data["kind"], on=data["on"]
        )
    except CircleError as error:
        messages.error(request, error.messages[0])
    # Back to the post reacted to, not the top of a long page.
    post = f"reply-{target.pk}" if target is not None else "thread-title"
    return redirect(f"{back.split('#', 1)[0]}#{post}")
