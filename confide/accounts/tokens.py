"""Single-use email tokens: the raw token goes into one email, only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import EmailToken, User


class TokenError(Exception):
    """A link that cannot be used; the message says why, in words for the person."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def email_token_issue(*, user: User, purpose: str, email: str) -> str:
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    EmailToken.objects.create(
        user=user,
        purpose=purpose,
        email=email,
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.CONFIDE_VERIFY_TIMEOUT),
    )
    return raw


def email_token_check(*, raw: str, purpose: str, for_update: bool = False) -> EmailToken:
    """The token's record if it can still be used; TokenError with a clear reason if not."""
    if not raw or len(raw) > 100:  # noqa: PLR2004 - tokens are 43 characters
        raise TokenError(_invalid())
    query = EmailToken.objects.select_related("user")
    if for_update:
        query = query.select_for_update()
    token = query.filter(token_hash=hash_token(raw), purpose=purpose).first()
    if token is None:
        raise TokenError(_invalid())
    if token.used_at is not None:
        raise TokenError(
            _("This link has already been used. If you need a new one, you can ask again.")
        )
    if token.expires_at <= timezone.now():
        raise TokenError(
            str(_("This link has expired. Links stay valid for three days; ask for a new one."))
        )
    return token


def _invalid() -> str:
    return str(_("This link is not valid. Check that you copied the whole address from the email."))
