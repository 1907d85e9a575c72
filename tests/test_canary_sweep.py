"""The canary sweep: private words written through the real interface are found nowhere else.

Unique canaries go into every kind of private text, through the views and the dialogue socket,
by the people who would write them; the main pages are then opened, the tasks the writes
enqueued are run (as the worker would: they sit as rows in the database first), and every place
a leak would show is searched:

- the logs, every logger at DEBUG (but those the settings pin higher on purpose: a template's
  DEBUG lines carry its whole context, see LOGGING in confide/settings.py);
- the emails sent;
- the database: a plain SQL dump of every table, and the bytes of the database file (the test
  database lives in memory, so a copy is written to a file with SQLite's backup API; the WAL of
  a file database holds the same pages). On PostgreSQL the dump runs, the file check is skipped;
- the task rows, while they wait and after they ran;
- every page a person not entitled to the words can open: Casey (an outsider) on every route of
  the authorisation matrix, and Blake, Alex's partner, for Alex's private entries.

Each canary is checked to have been stored (its row exists) and to be readable by its writer,
so the sweep fails if a write silently did nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from confide.accounts.models import User
from confide.notifications.tests.conftest import DATABASE_TASKS, run_due_tasks
from tests.personas import client_for
from tests.test_authz_matrix import MATRIX, World, world  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _canary(kind: str) -> str:
    return f"canary{kind.replace('_', '')}{uuid.uuid4().hex[:12]}"


class Canaries:
    def __init__(self) -> None:
        self.all: dict[str, str] = {}
        self.private_to_alex: set[str] = set()
        self.urls: list[str] = []  # pages of the objects the canaries were written on

    def new(self, kind: str, *, alex_only: bool = False) -> str:
        word = _canary(kind)
        self.all[kind] = word
        if alex_only:
            self.private_to_alex.add(word)
        return word

    def found_in(self, text: str) -> list[str]:
        return sorted(kind for kind, word in self.all.items() if word in text)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger as verbose as the configuration lets an operator make it
    (CONFIDE_LOG_LEVEL=DEBUG): DEBUG, except loggers the settings pin higher on purpose."""
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and logger.level == logging.NOTSET:
            caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _ok(response: Any, what: str) -> None:
    assert response.status_code in (200, 302), (what, response.status_code)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        assert 'class="errorlist' not in response.content.decode(), (what, "form errors")


def _write_pair_texts(scene: World, canaries: Canaries) -> None:
    from confide.pairs.models import CheckIn
    from confide.pairs.services.prompts import prompt_draw

    alex, blake = scene.personas["alex"], scene.personas["blake"]
    pair = scene.pair
    as_alex, as_blake = client_for(alex), client_for(blake)
    checkin = reverse("pairs:checkin", args=[pair.pk])
    _ok(
        as_alex.post(
            checkin,
            {
                "checkin": scene.checkin.pk,  # the scene's check-in of today, made private
                "mood": 3,
                "note": canaries.new("checkin_private", alex_only=True),
                "visibility": "private",
            },
        ),
        "private check-in",
    )
    _ok(
        as_blake.post(
            checkin,
            {"mood": 4, "note": canaries.new("checkin_shared"), "visibility": "shared"},
        ),
        "shared check-in",
    )
    shared = CheckIn.objects.filter(author=blake).latest("created_at")
    canaries.urls.append(reverse("pairs:checkin_detail", args=[pair.pk, shared.pk]))
    _ok(
        as_alex.post(
            reverse("pairs:reply", args=[pair.pk, shared.pk]),
            {"kind": "reflect", "text": canaries.new("listening_reply")},
        ),
        "listening reply",
    )
    prompt_round = prompt_draw(pair=pair, user=alex, level=1)
    _ok(
        as_alex.post(
            reverse("pairs:answer", args=[pair.pk, prompt_round.pk]),
            {"text": canaries.new("prompt_answer", alex_only=True)},
        ),
        "prompt answer (not revealed: Blake has not answered)",
    )


def _write_dialogue_texts(scene: World, canaries: Canaries) -> None:
    from confide.dialogue.models import DialogueSession, Topic

    alex = scene.personas["alex"]
    pair = scene.pair
    as_alex = client_for(alex)
    _ok(
        as_alex.post(
            reverse("dialogue:topics", args=[pair.pk]),
            {"title": canaries.new("topic_title"), "startup": canaries.new("topic_startup")},
        ),
        "topic",
    )
    topic = Topic.objects.filter(pair=pair).latest("created_at")
    canaries.urls.append(reverse("dialogue:topic", args=[pair.pk, topic.pk]))
    _ok(as_alex.post(reverse("dialogue:start", args=[pair.pk]), {}), "dialogue start")
    session = DialogueSession.objects.filter(pair=pair).latest("created_at")
    _ok(
        as_alex.post(
            reverse("dialogue:move", args=[pair.pk, session.pk]),
            {"move": "share", "text": canaries.new("turn_form"), "last_seen": session.last_seq},
        ),
        "dialogue turn by form",
    )
    session.refresh_from_db()
    _socket_turn(session, scene.personas["blake"], canaries.new("turn_socket"))


def _socket_turn(session: Any, listener: User, text: str) -> None:
    from confide.dialogue.tests.support import open_socket, receive

    async def scenario() -> None:
        socket = await open_socket(session.pk, listener, last_seen=session.last_seq)
        await socket.send_json_to(
            {"type": "move", "move": "mirror", "text": text, "last_seen": session.last_seq}
        )
        reply = await receive(socket)
        assert reply["type"] == "step", reply
        await socket.disconnect()

    async_to_sync(scenario)()


def _write_circle_texts(scene: World, canaries: Canaries) -> None:
    from confide.circles.models import Circle, Reply, Thread
    from confide.circles.tests.factories import join, make_circle

    dana, alex, blake = (scene.personas[name] for name in ("dana", "alex", "blake"))
    circle = make_circle(dana, name="Canary circle")
    join(circle, alex, "Harbour")
    join(circle, blake, "Willow")
    as_alex = client_for(alex)
    _ok(
        as_alex.post(
            reverse("circles:thread_new", args=[circle.pk]),
            {
                "title": canaries.new("thread_title"),
                "body": canaries.new("thread_body"),
                "content_note": "",
            },
        ),
        "thread",
    )
    thread = Thread.objects.filter(circle=circle).get()
    canaries.urls.append(reverse("circles:thread", args=[circle.pk, thread.pk]))
    _ok(
        client_for(blake).post(
            reverse("circles:reply", args=[circle.pk, thread.pk]),
            {"body": canaries.new("circle_reply"), "content_note": ""},
        ),
        "circle reply",
    )
    assert Reply.objects.filter(thread=thread).count() == 1
    _ok(
        client_for(blake).post(
            reverse("moderation:report_thread", args=[circle.pk, thread.pk]),
            {"reason": "other", "note": canaries.new("report_note")},
        ),
        "report",
    )
    assert Circle.objects.filter(pk=circle.pk).exists()


def _write_personal_texts(scene: World, canaries: Canaries) -> None:
    from confide.safety.models import STEPS
    from confide.together.models import Plan

    alex, blake = scene.personas["alex"], scene.personas["blake"]
    pair = scene.pair
    as_alex, as_blake = client_for(alex), client_for(blake)
    _ok(
        as_alex.post(
            reverse("safety:plan"),
            {step: canaries.new(f"plan_{step}", alex_only=True) for step in STEPS},
        ),
        "safety plan",
    )
    _ok(
        as_alex.post(
            reverse("rhythm:appreciations", args=[pair.pk]),
            {"text": canaries.new("appreciation")},
        ),
        "appreciation",
    )
    for client in (as_alex, as_blake):
        _ok(
            client.post(reverse("rhythm:contract_consent", args=[pair.pk]), {"consent": "yes"}),
            "consent",
        )
    today = timezone.localdate().isoformat()
    _ok(
        as_alex.post(
            reverse("rhythm:contract_intention", args=[pair.pk]),
            {"day": today, "intention": canaries.new("intention")},
        ),
        "contract intention",
    )
    _ok(
        as_alex.post(
            reverse("rhythm:lapse", args=[pair.pk]),
            {"day": today, "note": canaries.new("lapse_note", alex_only=True)},
        ),
        "lapse note",
    )
    _ok(
        as_alex.post(
            reverse("together:plan_new", args=[pair.pk]),
            {
                "what": canaries.new("plan_what"),
                "notes": canaries.new("plan_notes"),
                "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
                "start_time": "19:00",
                "duration_minutes": "60",
                "device_free": "on",
            },
        ),
        "together plan",
    )
    plan = Plan.objects.filter(pair=pair).latest("created_at")
    canaries.urls.append(reverse("together:plan", args=[pair.pk, plan.pk]))


SKIPPED_ROUTES = frozenset({"accounts:logout", "privacy:erase", "accounts:sessions_end_others"})
_URLS: dict[int, list[str]] = {}


def _urls(scene: World, extra: list[str]) -> list[str]:
    """Every route of the matrix, its objects made once (some kwargs create objects)."""
    if id(scene) not in _URLS:
        _URLS.clear()
        _URLS[id(scene)] = [
            reverse(name, kwargs=kwargs(scene) if callable(kwargs) else kwargs)
            for name, (kwargs, *_rest) in sorted(MATRIX.items())
            if name not in SKIPPED_ROUTES
        ]
    return [*_URLS[id(scene)], *extra]


def _pages_for(scene: World, persona: str, canaries: Canaries) -> dict[str, str]:
    """Every route of the matrix, opened by `persona`: url -> body of what it could open."""
    client: Client = client_for(scene.personas[persona])
    bodies: dict[str, str] = {}
    for url in _urls(scene, canaries.urls):
        response = client.get(url)
        if response.status_code == 200:
            bodies[url] = response.content.decode(errors="replace")
    return bodies


def _sql_dump() -> str:
    lines: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            lines += [repr(row) for row in cursor.fetchall()]
    return "\n".join(lines)


def _database_file_bytes(tmp_path: Path) -> bytes | None:
    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    name = connection.settings_dict["NAME"]
    files = [Path(name), Path(f"{name}-wal")] if name and Path(name).exists() else []
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(copy) as target:
        raw.backup(target)
    target.close()
    return b"".join(path.read_bytes() for path in [*files, copy] if path.exists())


def test_no_canary_is_found_where_it_must_not_be(
    world: World,  # noqa: F811
    settings: Settings,
    all_logs: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    settings.TASKS = DATABASE_TASKS
    canaries = Canaries()
    _write_pair_texts(world, canaries)
    _write_dialogue_texts(world, canaries)
    _write_circle_texts(world, canaries)
    _write_personal_texts(world, canaries)

    # The journeys: each writer reads back what they wrote (so every canary was stored), and
    # the others open their pages.
    mine = "".join(_pages_for(world, "alex", canaries).values()) + "".join(
        _pages_for(world, "blake", canaries).values()
    )
    stored = set(canaries.found_in(mine))
    missing = sorted(set(canaries.all) - stored - {"report_note"})
    assert not missing, f"written but never shown to its writer: {missing}"
    for persona in ("dana", "eli", "operator"):
        _pages_for(world, persona, canaries)

    waiting = " ".join(repr(row) for row in DBTaskResult.objects.values())
    assert not canaries.found_in(waiting), "a waiting task row"
    run_due_tasks(limit=100)
    after = " ".join(repr(row) for row in DBTaskResult.objects.values())
    assert not canaries.found_in(after), "a task row after it ran"

    logs = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in all_logs.records
    )
    assert all_logs.records, "the logs were not captured"
    leaking = [
        (record.name, record.levelname, record.getMessage()[:200])
        for record in all_logs.records
        if canaries.found_in(f"{record.getMessage()} {record.args!r} {record.exc_text or ''}")
    ]
    assert not leaking, f"the logs: {leaking[:5]}"
    assert not canaries.found_in(logs), "the logs"

    for message in mail.outbox:
        text = " ".join(
            [
                str(message.subject),
                str(message.body),
                *(str(alt[0]) for alt in getattr(message, "alternatives", [])),
            ]
        )
        assert not canaries.found_in(text), ("an email", message.subject)

    for url, body in _pages_for(world, "casey", canaries).items():
        assert not canaries.found_in(body), ("casey", url, canaries.found_in(body))
    for url, body in _pages_for(world, "blake", canaries).items():
        seen = [word for word in canaries.private_to_alex if word in body]
        assert not seen, ("blake", url)

    dump = _sql_dump()
    assert "alex@example.org" in dump  # the dump reads the rows
    assert not canaries.found_in(dump), "a plain SQL dump"
    raw = _database_file_bytes(tmp_path)
    if raw is None:
        pytest.skip("not SQLite: the dump was checked, there is no database file to read")
    assert b"alex@example.org" in raw  # the file holds the rows
    leaked = [kind for kind, word in canaries.all.items() if word.encode() in raw]
    assert not leaked, f"the database file: {leaked}"


def test_after_erasure_no_notification_names_the_erased_person(world: World) -> None:  # noqa: F811
    """Alex's display name and pseudonym ("Harbour") leave the titles of Blake, Dana and Eli."""
    import re

    from django.core.cache import cache

    from confide.accounts.tests.factories import DEFAULT_PASSWORD
    from confide.circles.models import Circle
    from confide.circles.services.posts import thread_create
    from confide.circles.tests.factories import owner_of
    from confide.notifications.models import Notification

    cache.clear()  # the login throttle counts erasure failures across the whole suite
    canaries = Canaries()
    _write_pair_texts(world, canaries)
    _write_dialogue_texts(world, canaries)
    _write_circle_texts(world, canaries)
    _write_personal_texts(world, canaries)
    alex, as_alex = world.personas["alex"], client_for(world.personas["alex"])
    circle = Circle.objects.get(name="Canary circle")
    thread = thread_create(
        membership=owner_of(circle), title="Welcome", body="Say hello.", content_note=""
    )
    reply = {"body": "Hello, everyone.", "content_note": ""}
    _ok(as_alex.post(reverse("circles:reply", args=[circle.pk, thread.pk]), reply), "reply")
    readers = [world.personas[name] for name in ("blake", "dana", "eli")]
    whole = re.compile(r"(?<!\w)(?:Alex|Harbour)(?!\w)")

    def naming() -> list[str]:
        titles = Notification.objects.filter(user__in=readers).values_list("title", flat=True)
        return sorted(title for title in titles if whole.search(title))

    before = naming()
    assert any("Harbour" in title for title in before), before
    assert any("Alex" in title for title in before), before
    wrong = {"current_password": "not-my-password", "confirm": "on"}
    assert as_alex.post(reverse("privacy:erase"), wrong).status_code == 400
    assert naming() == before  # a refused erasure changes nothing
    right = {"current_password": DEFAULT_PASSWORD, "confirm": "on"}
    assert as_alex.post(reverse("privacy:erase"), right).status_code == 302
    alex.refresh_from_db()
    assert not alex.is_active
    assert naming() == []
    for reader in readers:
        page = client_for(reader).get(reverse("notifications:list")).content.decode()
        assert not whole.search(page), reader.display_name
