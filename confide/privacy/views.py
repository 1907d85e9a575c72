"""The privacy page: what Confide keeps, the access log, export and erasure. Thin views over
exports.py, erasure.py and selectors.py."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts import throttle, twofactor
from confide.accounts.access import access_person
from confide.accounts.views import too_many
from confide.privacy.erasure import ErasureRefused, account_erase
from confide.privacy.exports import (
    ExportError,
    export_download,
    export_request,
    export_token,
    exports_expire,
    exports_for,
)
from confide.privacy.forms import EraseForm
from confide.privacy.models import Export
from confide.privacy.selectors import access_log_page


@login_required
@require_GET
@never_cache
def privacy_page(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    exports_expire(user=person)
    records, lines = access_log_page(user=person, page=request.GET.get("page"))
    exports = exports_for(user=person)
    latest = exports[0] if exports else None
    download_url = None
    if latest is not None and latest.state == Export.State.READY:
        download_url = reverse("privacy:download", args=[latest.pk, export_token(latest)])
    return render(
        request,
        "privacy/page.html",
        {
            "records": records,
            "lines": lines,
            "latest": latest,
            "download_url": download_url,
        },
    )


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    try:
        export_request(user=person)
    except ExportError as error:
        messages.error(request, str(error))
        return redirect("privacy:page")
    messages.success(
        request, _("Your export is being prepared. Reload this page in a little while.")
    )
    return redirect("privacy:page")


@login_required
@require_GET
@never_cache
def export_download_view(request: HttpRequest, export_id: uuid.UUID, token: str) -> HttpResponse:
    person = access_person(request)
    try:
        data = export_download(user=person, export_id=export_id, token=token)
    except ExportError as error:
        return render(request, "privacy/download_gone.html", {"message": str(error)}, status=410)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="confide-export.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def erase(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    with_code = twofactor.has_second_factor(person)
    form = EraseForm(request.POST or None, with_code=with_code)
    context = {"form": form, "with_code": with_code}
    if request.method == "POST":
        wait = throttle.retry_after(request, person.email)
        if wait:
            return too_many(request, "privacy/erase.html", form, wait, context)
        if form.is_valid():
            try:
                account_erase(
                    user=person,
                    password=form.cleaned_data["current_password"],
                    code=form.cleaned_data.get("code", ""),
                )
            except ErasureRefused as error:
                throttle.record_failure(request, person.email)
                form.add_error(None, str(error))
            else:
                logout(request)
                return redirect("privacy:erased")
        return render(request, "privacy/erase.html", context, status=400)
    return render(request, "privacy/erase.html", context)


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/erased.html")
