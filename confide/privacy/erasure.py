"""Erasing a person: every app's erase handler, their private space's keys, a tombstone.

What each app erases, or leaves as a "removed" placeholder, is in docs/privacy.md. The
person's private space is made unreadable by destroying its keys, including the secret kept
outside the database (spacekeys.py), so entries in it cannot be read from older backups.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from confide.core.audit import audit_log
from confide.privacy.keys import space_destroy_keys
from confide.privacy.models import PersonSpace
from confide.privacy.registry import privacy_handlers

# The accounts handler turns the User row into a tombstone; it runs last, so that every
# other handler still sees the person as they were (e.g. to tell a partner they left).
_LAST = "accounts"


class ErasureRefused(Exception):
    """The password or code was wrong: nothing was changed. The message is safe to show."""


def _check_identity(user: Any, *, password: str, code: str) -> None:
    from confide.accounts import twofactor

    if not password or not user.check_password(password):
        raise ErasureRefused(_("That password is not right. Nothing was changed."))
    if twofactor.has_second_factor(user):
        try:
            twofactor.second_factor_check(user=user, code=code)
        except twofactor.TwoFactorError:
            raise ErasureRefused(
                _("That code is not right, or it has been used already. Nothing was changed.")
            ) from None


@transaction.atomic
def account_erase(*, user: Any, password: str, code: str = "") -> None:
    """Erase the person after checking their password (and two-step code if they use one).

    Raises ErasureRefused, with nothing changed, when either is wrong. All of it happens in
    one transaction; the key store forgets the private space's secret once it commits.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check_identity(user, password=password, code=code)
    handlers = sorted(privacy_handlers(), key=lambda handler: handler.app == _LAST)
    # The names others saw the person by, and who saw them, are read before anything is
    # erased: the circles handler clears pseudonyms, the accounts handler the display name.
    aliases = [alias for handler in handlers if handler.aliases for alias in handler.aliases(user)]
    for handler in handlers:
        handler.erase(user)
    # After every handler, so that what handlers themselves said ("... has left your pair")
    # loses the name too.
    for handler in handlers:
        if handler.forget is not None:
            handler.forget(aliases)
    link = PersonSpace.objects.select_related("space").filter(user=user).first()
    if link is not None:
        space_destroy_keys(space=link.space)
    audit_log(
        actor=user,
        action="privacy.account.erased",
        target=user,
        data={"apps": [handler.app for handler in handlers]},
    )
