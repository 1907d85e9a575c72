from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from confide.accounts.access import access_person
from confide.notifications.models import Kind as NotificationKind
from confide.notifications.selectors import channel_for, quiet_hours_for
from confide.reminders.forms import ReminderForm
from confide.reminders.models import Kind
from confide.reminders.selectors import reminders_for
from confide.reminders.services import ReminderChoice, ReminderError, reminders_save


def _choice(form: ReminderForm) -> ReminderChoice:
    data = form.cleaned_data
    return ReminderChoice(
        kind=form.kind,
        enabled=data["enabled"],
        at=data["at"],
        weekdays=frozenset(data["weekdays"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    current = reminders_for(user=person)
    data = request.POST if request.method == "POST" else None
    forms = [ReminderForm(data, kind=kind, reminder=current.get(kind)) for kind in Kind]
    # A list, not a generator: every form is checked, so every error shows at once.
    if data is not None and all([form.is_valid() for form in forms]):
        try:
            reminders_save(user=person, choices=[_choice(form) for form in forms])
        except ReminderError as error:
            forms[0].add_error(None, str(error))
        else:
            messages.success(request, _("Your reminders are saved."))
            return redirect("reminders:settings")
    context = {
        "forms": forms,
        "has_errors": any(form.errors for form in forms),
        "channel": channel_for(user=person, kind=NotificationKind.REMINDER),
        "quiet": quiet_hours_for(user=person),
    }
    return render(request, "reminders/settings.html", context)
