"""One's signed-in sessions: recorded without the key, listed, ended elsewhere, and refused
when forged or replayed; sockets close with the session that opened them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import import_module

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from confide.accounts.models import SessionRecord, User
from confide.accounts.tests.factories import DEFAULT_PASSWORD
from confide.core.models import AuditEntry
from confide.core.realtime import LOGGED_OUT
from tests.personas import CommitClient

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Mobile Safari/537.36"
)
SETTINGS = reverse("accounts:settings")
SESSIONS = reverse("accounts:sessions")


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _logged_in(user: User, agent: str) -> Client:
    client = CommitClient(HTTP_USER_AGENT=agent)
    response = client.post(
        reverse("accounts:login"), {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _signed_in(client: Client) -> bool:
    return client.get(SETTINGS).status_code == 200


def test_a_login_is_recorded_by_a_hash_of_its_key_with_a_device_summary(alex: User) -> None:
    client = _logged_in(alex, FIREFOX)
    record = SessionRecord.objects.get(user=alex)
    assert record.key_hash == hashlib.sha256(_key(client).encode()).hexdigest()
    assert record.device == "Firefox on Linux"
    stored = " ".join(str(v) for v in SessionRecord.objects.values_list().get())
    assert _key(client) not in stored


def test_last_seen_is_written_at_most_once_a_minute(
    alex: User, clock: time_machine.Traveller, django_assert_num_queries: object
) -> None:
    client = _logged_in(alex, FIREFOX)
    client.get(SETTINGS)
    clock.shift(30)
    client.get(SETTINGS)
    assert SessionRecord.objects.get(user=alex).last_seen_at == NOW
    clock.shift(31)
    client.get(SETTINGS)
    assert SessionRecord.objects.get(user=alex).last_seen_at > NOW


def test_the_list_marks_this_session_and_names_the_others(alex: User, blake: User) -> None:
    laptop = _logged_in(alex, FIREFOX)
    _logged_in(alex, PHONE)
    _logged_in(blake, PHONE)
    page = laptop.get(SESSIONS).content.decode()
    assert page.count('class="card"') == 2  # Blake's session is not Alex's business
    assert 'Firefox on Linux <span class="tag">This session</span>' in page
    assert "Log out Chrome on Android" in page


def test_ending_another_session_logs_it_out_at_its_next_request(alex: User) -> None:
    laptop = _logged_in(alex, FIREFOX)
    phone = _logged_in(alex, PHONE)
    phone_key = _key(phone)
    record = SessionRecord.objects.get(device="Chrome on Android")
    response = laptop.post(reverse("accounts:session_end", args=[record.pk]))
    assert response["Location"] == SESSIONS
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    # Its cookie, replayed, finds nothing: the session is gone from the store.
    assert not Session.objects.filter(session_key=phone_key).exists()
    replay = CommitClient()
    replay.cookies[settings.SESSION_COOKIE_NAME] = phone_key
    assert not _signed_in(replay)
    assert AuditEntry.objects.filter(action="accounts.session.ended").count() == 1


def test_an_ended_session_is_logged_out_even_when_the_cache_forgot(alex: User) -> None:
    from django.core.cache import cache

    laptop = _logged_in(alex, FIREFOX)
    phone = _logged_in(alex, PHONE)
    laptop.post(reverse("accounts:sessions_end_others"))
    cache.clear()  # another server process, without a shared cache
    with time_machine.travel(datetime.now(tz=UTC).timestamp() + 61, tick=False):
        assert not _signed_in(phone)
        assert _signed_in(laptop)


def test_log_out_everywhere_else_keeps_only_this_session(alex: User) -> None:
    laptop = _logged_in(alex, FIREFOX)
    others = [_logged_in(alex, PHONE) for _ in range(3)]
    page = laptop.post(reverse("accounts:sessions_end_others"), follow=True).content.decode()
    assert "3 other sessions are logged out." in page
    assert not any(_signed_in(other) for other in others)
    assert _signed_in(laptop)
    assert SessionRecord.objects.filter(user=alex).count() == 1


def test_nobody_ends_another_persons_session_or_their_own_current_one(
    alex: User, blake: User
) -> None:
    alex_client = _logged_in(alex, FIREFOX)
    blake_client = _logged_in(blake, PHONE)
    blakes = SessionRecord.objects.get(user=blake)
    assert alex_client.post(reverse("accounts:session_end", args=[blakes.pk])).status_code == 404
    own = SessionRecord.objects.get(user=alex)
    assert alex_client.post(reverse("accounts:session_end", args=[own.pk])).status_code == 404
    assert _signed_in(blake_client) and _signed_in(alex_client)


def test_a_forged_session_cookie_is_anonymous_and_changes_nothing(alex: User) -> None:
    _logged_in(alex, FIREFOX)
    before = list(SessionRecord.objects.values_list("key_hash", "last_seen_at"))
    forged = CommitClient()
    forged.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert forged.get(SETTINGS)["Location"].startswith(reverse("accounts:login"))
    assert list(SessionRecord.objects.values_list("key_hash", "last_seen_at")) == before


def test_a_cookie_replayed_after_logout_is_anonymous(alex: User) -> None:
    client = _logged_in(alex, FIREFOX)
    key = _key(client)
    client.post(reverse("accounts:logout"))
    assert not SessionRecord.objects.filter(user=alex).exists()
    replay = CommitClient()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not _signed_in(replay)


def test_a_password_change_keeps_this_session_and_forgets_the_others(alex: User) -> None:
    laptop = _logged_in(alex, FIREFOX)
    phone = _logged_in(alex, PHONE)
    new = "a different long passphrase 7"
    laptop.post(
        reverse("accounts:password_change"),
        {"current_password": DEFAULT_PASSWORD, "password1": new, "password2": new},
    )
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    records = SessionRecord.objects.filter(user=alex)
    assert [r.device for r in records] == ["Firefox on Linux"]
    assert records.get().key_hash == hashlib.sha256(_key(laptop).encode()).hexdigest()


@pytest.fixture
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_ending_a_session_closes_its_sockets_and_only_its_own(alex: User, blake: User) -> None:
    from confide.dialogue.services.sessions import dialogue_start
    from confide.dialogue.tests.support import communicator
    from confide.pairs.tests.factories import make_pair

    pair = make_pair(alex, blake)
    dialogue = dialogue_start(pair=pair, starter=alex)
    laptop = _logged_in(alex, FIREFOX)
    phone = _logged_in(alex, PHONE)
    cookie = settings.SESSION_COOKIE_NAME

    async def scenario() -> None:
        phone_socket = communicator(dialogue.pk, cookie=f"{cookie}={_key(phone)}")
        laptop_socket = communicator(dialogue.pk, cookie=f"{cookie}={_key(laptop)}")
        assert (await phone_socket.connect())[0]
        assert (await laptop_socket.connect())[0]
        await database_sync_to_async(laptop.post)(reverse("accounts:sessions_end_others"))
        assert await phone_socket.receive_output(5) == {
            "type": "websocket.close",
            "code": LOGGED_OUT,
        }
        assert await laptop_socket.receive_nothing()
        await laptop_socket.disconnect()

    async_to_sync(scenario)()


def _expire_in_one_second(key: str) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    store.set_expiry(1)
    store.save()


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_a_socket_closes_when_its_session_expires(
    alex: User, blake: User, settings: object
) -> None:
    from confide.dialogue.services.sessions import dialogue_start
    from confide.dialogue.tests.support import communicator
    from confide.pairs.tests.factories import make_pair

    settings.CONFIDE_SOCKET_SESSION_CHECK_SECONDS = 0.05  # type: ignore[attr-defined]
    dialogue = dialogue_start(pair=make_pair(alex, blake), starter=alex)
    laptop = _logged_in(alex, FIREFOX)
    key = _key(laptop)

    async def scenario() -> None:
        socket = communicator(dialogue.pk, cookie=f"{settings.SESSION_COOKIE_NAME}={key}")  # type: ignore[attr-defined]
        assert (await socket.connect())[0]
        assert await socket.receive_nothing(0.2)  # still open while the session is
        # The session is given one more second, as a request would renew it; then it expires
        # in the store and in the cache that it is read through, as time makes it.
        await database_sync_to_async(_expire_in_one_second)(key)
        assert await socket.receive_output(5) == {"type": "websocket.close", "code": LOGGED_OUT}

    async_to_sync(scenario)()


def test_an_operator_idles_out_after_fifteen_minutes_a_partner_after_thirty(
    alex: User, operator: User, clock: time_machine.Traveller
) -> None:
    partner = _logged_in(alex, FIREFOX)
    staff = _logged_in(operator, FIREFOX)
    clock.shift(16 * 60)
    assert _signed_in(partner)
    assert staff.get(SETTINGS).status_code == 302  # sent to log in again
    clock.shift(29 * 60)
    assert _signed_in(partner)  # each request renewed the partner's half hour
    clock.shift(31 * 60)
    assert not _signed_in(partner)


def test_a_role_taken_on_during_a_session_shortens_its_idle_limit(
    alex: User, clock: time_machine.Traveller
) -> None:
    client = _logged_in(alex, FIREFOX)
    User.objects.filter(pk=alex.pk).update(is_staff=True)
    clock.shift(61)
    assert _signed_in(client)  # the once-a-minute check now applies the shorter limit
    clock.shift(16 * 60)
    assert client.get(SETTINGS).status_code == 302
