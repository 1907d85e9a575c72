"""Every write to accounts. Emails are enqueued on commit, so nothing is announced unsaved."""

from __future__ import annotations

import zoneinfo
from functools import partial

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts import tasks
from confide.accounts.models import EmailToken, User, normalise_email
from confide.accounts.sessions import sessions_forget_all
from confide.accounts.tokens import TokenError, email_token_check
from confide.core.audit import audit_log
from confide.core.realtime import close_person_sockets


def _enqueue(task: object, *args: object) -> None:
    transaction.on_commit(partial(task.enqueue, *args))  # type: ignore[attr-defined]


@transaction.atomic
def account_signup(
    *, email: str, display_name: str, password: str, time_zone: str = "UTC"
) -> User | None:
    """Create an unverified account, or tell the owner of an existing one that someone tried.

    The caller answers the same way in both cases, so nobody learns which addresses exist.
    """
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the same work as a real sign-up, so timing tells nothing
        _enqueue(tasks.send_signup_attempt_notice, existing.pk)
        return None
    if time_zone not in zoneinfo.available_timezones():
        time_zone = "UTC"  # the form refuses it first; this keeps a bad value out of the row
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name, time_zone=time_zone
    )
    audit_log(actor=user, action="accounts.signup", target=user)
    _enqueue(tasks.send_verification_email, user.pk)
    return user


def verification_resend(*, user: User) -> None:
    if not user.email_verified:
        _enqueue(tasks.send_verification_email, user.pk)


@transaction.atomic
def email_verify(*, raw_token: str) -> User:
    token = email_token_check(raw=raw_token, purpose=EmailToken.Purpose.VERIFY, for_update=True)
    user = token.user
    if normalise_email(token.email) != user.email:
        raise TokenError(_("This link was sent to an address that is no longer on your account."))
    now = timezone.now()
    token.used_at = now
    token.save(update_fields=["used_at"])
    if not user.email_verified:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
        audit_log(actor=user, action="accounts.email.verified", target=user)
    return user


@transaction.atomic
def profile_update(
    *, user: User, display_name: str, time_zone: str, locale: str, country: str | None = None
) -> User:
    """Save profile settings; ``country`` None leaves the country as it is."""
    country = user.country if country is None else country
    changed = [
        name
        for name, value in (
            ("display_name", display_name),
            ("time_zone", time_zone),
            ("locale", locale),
            ("country", country),
        )
        if getattr(user, name) != value
    ]
    if not changed:
        return user
    user.display_name = display_name
    user.time_zone = time_zone
    user.locale = locale
    user.country = country
    user.save(update_fields=changed)
    audit_log(actor=user, action="accounts.profile.changed", target=user, data={"fields": changed})
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str, via_reset: bool = False) -> User:
    """Set a new password. Every other session ends, because the session hash changes, and
    every open WebSocket of the person is closed (the current page reconnects if it may)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_forget_all(user=user)
    transaction.on_commit(partial(close_person_sockets, user.pk))
    action = "accounts.password.reset" if via_reset else "accounts.password.changed"
    audit_log(actor=user, action=action, target=user)
    _enqueue(tasks.send_password_changed_notice, user.pk)
    return user


def password_reset_request(*, email: str) -> None:
    """Always succeeds, and queues one task either way, so that neither the answer nor its
    timing tells whether the address has an account. The task gets the account's id, or
    nothing: the typed address is never stored (task rows outlive the request)."""
    user = User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()
    user_id = user.pk if user is not None and user.has_usable_password() else None
    _enqueue(tasks.send_password_reset, user_id)


@transaction.atomic
def email_change_request(*, user: User, new_email: str) -> None:
    audit_log(actor=user, action="accounts.email.change_requested", target=user)
    _enqueue(tasks.send_email_change_link, user.pk, normalise_email(new_email))


@transaction.atomic
def email_change_confirm(*, raw_token: str) -> User:
    token = email_token_check(raw=raw_token, purpose=EmailToken.Purpose.CHANGE, for_update=True)
    user = User.objects.select_for_update().get(pk=token.user_id)
    new_email = normalise_email(token.email)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise TokenError(_("This address now belongs to another account, so it cannot be used."))
    old_email = user.email
    now = timezone.now()
    token.used_at = now
    token.save(update_fields=["used_at"])
    user.email = new_email
    user.email_verified_at = now
    user.save(update_fields=["email", "email_verified_at"])
    audit_log(actor=user, action="accounts.email.changed", target=user)
    if old_email != new_email:
        _enqueue(tasks.send_email_changed_notice, user.pk, old_email)
    return user
