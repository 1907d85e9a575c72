"""A person's signed-in sessions: recorded at login, seen at most once a minute, ended from the
sessions page. Django's session store cannot be searched by person, so each login gets a
`SessionRecord` named by the SHA-256 of its key; the raw key is never stored.

How an ended session learns it has ended: its record is deleted, and a short-lived cache mark
is set for its hash. The next request of that session finds the mark (or, at its next
once-a-minute check, the missing record) and is logged out, which deletes it from the session
store, so a replay of its cookie finds nothing. Its open sockets are closed at once through
their login group (see core/realtime.py).
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from confide.accounts.models import SessionRecord, User
from confide.accounts.otp import device_summary
from confide.accounts.twofactor import second_factor_required
from confide.core.audit import audit_log
from confide.core.realtime import close_login_sockets, session_key_hash

SEEN_KEY = "confide_session_seen"  # [hash of the key this stamp is for, unix time]
SEEN_EVERY = 60  # seconds: last seen is written at most this often per session
MAX_USER_AGENT = 512


def _ended_mark(key_hash: str) -> str:
    return f"confide:session-ended:{key_hash}"


def _summary(request: HttpRequest) -> str:
    return device_summary(str(request.META.get("HTTP_USER_AGENT", ""))[:MAX_USER_AGENT])


def _idle_limit(request: HttpRequest, user: User) -> None:
    """People in a role that sees others' data (facilitators, counsellors, operators: the
    same people two-step login is required of) are logged out after a shorter idle time."""
    if second_factor_required(user):
        request.session.set_expiry(settings.CONFIDE_STAFF_IDLE_SECONDS)
    elif request.session.get_expiry_age() != settings.SESSION_COOKIE_AGE:
        request.session.set_expiry(None)


def session_record_start(request: HttpRequest, user: User) -> SessionRecord | None:
    """Record the session a person has just logged in with (or kept, after a new key)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    key_hash = session_key_hash(session.session_key)
    now = timezone.now()
    record, _ = SessionRecord.objects.update_or_create(
        key_hash=key_hash,
        defaults={"user": user, "last_seen_at": now},
        create_defaults={"user": user, "device": _summary(request), "created_at": now},
    )
    session[SEEN_KEY] = [key_hash, time.time()]
    _idle_limit(request, user)
    return record


def session_still_open(request: HttpRequest, user: User) -> bool:
    """False when this session was ended elsewhere. Touches the database at most once a
    minute per session (the session itself carries when it last did)."""
    session = request.session
    if session.session_key is None:
        return True
    key_hash = session_key_hash(session.session_key)
    if cache.get(_ended_mark(key_hash)):
        return False
    stamp = session.get(SEEN_KEY)
    known, seen = (stamp[0], float(stamp[1])) if isinstance(stamp, list) else (None, 0.0)
    if known == key_hash and time.time() - seen < SEEN_EVERY:
        return True
    now = timezone.now()
    if known is None:
        # A session from before sessions were recorded: record it now.
        session_record_start(request, user)
        return True
    # The key may have changed since (Django cycles it at login and password change): the
    # record follows it. No record under the old or new hash means it was ended elsewhere.
    updated = SessionRecord.objects.filter(key_hash__in={known, key_hash}, user=user).update(
        key_hash=key_hash, last_seen_at=now
    )
    if updated != 1:
        return False
    session[SEEN_KEY] = [key_hash, time.time()]
    # Once a minute, so a role taken on (or given up) during a session changes its limit.
    _idle_limit(request, user)
    return True


def sessions_for(*, user: User) -> QuerySet[SessionRecord]:
    """The person's sessions that may still be open (not idle past the cookie's age)."""
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + SEEN_EVERY)
    return SessionRecord.objects.filter(user=user, last_seen_at__gte=cutoff).order_by(
        "-last_seen_at", "-pk"
    )


def _end(records: QuerySet[SessionRecord]) -> int:
    hashes = list(records.values_list("key_hash", flat=True))
    records.delete()
    timeout = settings.SESSION_COOKIE_AGE + SEEN_EVERY
    for key_hash in hashes:
        cache.set(_ended_mark(key_hash), True, timeout=timeout)
        transaction.on_commit(partial(close_login_sockets, key_hash))
    return len(hashes)


@transaction.atomic
def session_end(*, user: User, record_id: int, current_key_hash: str) -> bool:
    """End one of the person's other sessions. False when there is no such session."""
    records = SessionRecord.objects.filter(pk=record_id, user=user).exclude(
        key_hash=current_key_hash
    )
    ended = _end(records)
    if ended:
        audit_log(actor=user, action="accounts.session.ended", target=user)
    return bool(ended)


@transaction.atomic
def sessions_end_others(*, user: User, current_key_hash: str) -> int:
    """Log out every session of the person but this one; returns how many were ended."""
    ended = _end(SessionRecord.objects.filter(user=user).exclude(key_hash=current_key_hash))
    audit_log(
        actor=user, action="accounts.session.ended_others", target=user, data={"count": ended}
    )
    return ended


def sessions_forget_all(*, user: User) -> None:
    """After a password change every session has ended already (Django's session hash no longer
    matches): drop their records. The caller records the session that stays, if any."""
    SessionRecord.objects.filter(user=user).delete()


@receiver(user_logged_in, dispatch_uid="confide.accounts.sessions.login")
def _record_at_login(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    session_record_start(request, user)


@receiver(user_logged_out, dispatch_uid="confide.accounts.sessions.logout")
def _forget_at_logout(
    sender: object, request: HttpRequest, user: User | None, **kwargs: object
) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key and user is not None:
        SessionRecord.objects.filter(key_hash=session_key_hash(key), user=user).delete()
