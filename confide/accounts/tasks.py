"""Account emails, sent in the background so that response times reveal nothing.

Tasks take ids, never tokens: each task issues its own token when it runs, so no usable link
is ever stored in the task queue. An address is passed only where it is not the account's own
(an address to confirm, the old address to warn), and a task's row is deleted once it has run
(confide/core/taskrows.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from confide.accounts.models import EmailToken, User, normalise_email
from confide.accounts.tokens import email_token_issue
from confide.core.mail import mail_send


def _send(*, user: User | None, to: str, template: str, context: Mapping[str, object]) -> None:
    language = user.locale if user is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        full = {"site": settings.CONFIDE_BASE_URL, "user": user, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", full).strip()
        body = render_to_string(f"accounts/email/{template}.txt", full)
    mail_send(subject=subject, body=body, to=[to])


def _link(path: str) -> str:
    return f"{settings.CONFIDE_BASE_URL}{path}"


@task()
def send_verification_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email_verified:
        return
    raw = email_token_issue(user=user, purpose=EmailToken.Purpose.VERIFY, email=user.email)
    link = _link(reverse("accounts:verify", args=[raw]))
    _send(user=user, to=user.email, template="verify", context={"link": link})


@task()
def send_signup_attempt_notice(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    context = {
        "login": _link(reverse("accounts:login")),
        "reset": _link(reverse("accounts:password_reset")),
    }
    _send(user=user, to=user.email, template="signup_attempt", context=context)


@task()
def send_email_change_link(user_id: int, new_email: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    new_email = normalise_email(new_email)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user_id).exists():
        _send(user=None, to=new_email, template="email_taken", context={})
        return
    raw = email_token_issue(user=user, purpose=EmailToken.Purpose.CHANGE, email=new_email)
    link = _link(reverse("accounts:email_confirm", args=[raw]))
    _send(user=user, to=new_email, template="email_change", context={"link": link})


@task()
def send_email_changed_notice(user_id: int, old_email: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    context = {"reset": _link(reverse("accounts:password_reset"))}
    _send(user=user, to=old_email, template="email_changed", context=context)


@task()
def send_password_reset(user_id: int | None) -> None:
    """`user_id` is None when nobody has the typed address (see password_reset_request). A row
    queued by an older version holds the typed address instead; it is dropped unsent."""
    if not isinstance(user_id, int):
        return
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = _link(reverse("accounts:password_reset_confirm", args=[uid, token]))
    _send(user=user, to=user.email, template="password_reset", context={"link": link})


@task()
def send_password_changed_notice(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    context = {"reset": _link(reverse("accounts:password_reset"))}
    _send(user=user, to=user.email, template="password_changed", context=context)
