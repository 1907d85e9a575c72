from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.notifications import services
from confide.notifications.access import access_notification
from confide.notifications.forms import CHANNEL_PREFIX, PreferencesForm
from confide.notifications.selectors import channels_for, notifications_for, quiet_hours_for

PER_PAGE = 20
OPEN_MARKER = 2**62  # no notification has this id: it marks where the id goes in the link


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    rows = notifications_for(user=person).only("id", "title", "created_at", "read_at")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    # Each row's "open" link, reversed once: the links differ only by the notification's id.
    pattern = reverse("notifications:open", args=[OPEN_MARKER])
    for notification in page:
        notification.open_url = pattern.replace(str(OPEN_MARKER), str(notification.pk))  # type: ignore[attr-defined]
        notification.iso_time = localtime(notification.created_at).isoformat()  # type: ignore[attr-defined]
    return render(request, "notifications/list.html", {"page": page})


# POST only, checked before login, so a GET is a 405 for everyone and never changes anything.
@require_POST
@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    person = access_person(request)
    notification = access_notification(person, notification_id)
    services.notification_mark_read(user=person, notification=notification)
    if not services.is_site_path(notification.url):
        return redirect("notifications:list")
    return redirect(notification.url)


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    if services.notifications_mark_all_read(user=person):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    quiet = quiet_hours_for(user=person)
    initial: dict[str, object] = {
        f"{CHANNEL_PREFIX}{kind}": channel for kind, channel in channels_for(user=person).items()
    }
    initial |= {"quiet_enabled": quiet.enabled, "quiet_start": quiet.start, "quiet_end": quiet.end}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            user=person,
            channels=form.channels(),
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
            quiet_enabled=form.cleaned_data["quiet_enabled"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
