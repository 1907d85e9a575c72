"""Operations against real processes: a backup restored elsewhere and every refusal of a bad
restore; a worker killed with SIGKILL in the middle of a task; a server killed with SIGKILL in
the middle of hundreds of concurrent form posts; on PostgreSQL, a server that keeps one database
connection across requests.

Each test runs Confide's own commands (`backup`, `restore`, `worker`, `serve`) with production-like
settings on a throw-away SQLite data folder, and waits for them by what they say (a line of the
server's output, a word on a socket, a started process), each with a deadline, never by polling.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

# These start their own server and worker on a SQLite data folder of their own: the same on
# every database the suite runs on, so the PostgreSQL pass skips them.
SQLITE_SUBPROCESS = pytest.mark.same_on_every_database
ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 180.0
PEOPLE = 10
POSTS_EACH = 30  # 300 posts in all, under the per-person write limit of 40 a minute
CONCURRENT = 8
CSRF = secrets.token_hex(16)  # Django accepts an unmasked 32-character token matching the cookie


def _env(data: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "CONFIDE_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        CONFIDE_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="confide.settings",
        CONFIDE_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "confide", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )


def _confide(*args: str, env: dict[str, str]) -> str:
    result = _run(*args, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "confide", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )


class _EventListener:
    """A Unix socket that a process in a test connects to, to say that something happened
    (see confide/core/tests/slowtask.py): the test waits on `accept`, up to a deadline."""

    def __init__(self) -> None:
        # A short folder of its own: a socket path may not be longer than 107 bytes.
        self._folder = Path(tempfile.mkdtemp(prefix="confide-events-"))
        self.address = str(self._folder / "events")
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.bind(self.address)
        self._socket.listen()

    def expect(self, event: str, what: str, *, timeout: float = DEADLINE) -> None:
        self._socket.settimeout(timeout)
        try:
            told, _address = self._socket.accept()
        except TimeoutError:
            pytest.fail(f"gave up waiting for {what}")
        with told:
            told.settimeout(timeout)
            said = b"".join(iter(lambda: told.recv(64), b""))
        assert said.decode() == event, f"waiting for {what}, heard {said!r}"

    def close(self) -> None:
        self._socket.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("migrated")
    _confide("migrate", "-v0", env=_env(data))
    return data


@pytest.fixture
def data_dir(migrated: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(migrated, data)
    return data


# --- a backup restored elsewhere, and every refusal ------------------------------------------

SEED_TEXTS = """
from confide.accounts.tests.factories import UserFactory
from confide.circles.services.posts import thread_create
from confide.circles.tests.factories import join, make_circle
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.tests.factories import make_pair

alex, blake = UserFactory(display_name="Alex"), UserFactory(display_name="Blake")
member = join(make_circle(UserFactory(display_name="Owner")), alex, "Harbour")
for n in range(5):
    thread_create(membership=member, title=f"Title {n}", body=f"Body {n}.", content_note="")
pair = make_pair(alex, blake)
checkin_submit(pair=pair, author=alex, mood=3, feelings=[], needs=[], note="A quiet day.",
               visibility="shared")
checkin_submit(pair=pair, author=blake, mood=4, feelings=[], needs=[], note="Only for me.",
               visibility="private")
"""
SNAPSHOT = """
import json
from django.apps import apps
from confide.circles.models import Thread
from confide.pairs.models import CheckIn

counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
texts = [f"{thread.title}|{thread.body}" for thread in Thread.objects.all()]
texts += [checkin.note for checkin in CheckIn.objects.all()]
print(json.dumps({"counts": counts, "texts": sorted(texts)}))
"""


def _snapshot(data: Path) -> dict[str, object]:
    return json.loads(_confide("shell", "--no-imports", "-c", SNAPSHOT, env=_env(data)))


def _contents(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its checksum, but what any start makes (the session
    secret, empty files)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "secret_key" and path.stat().st_size
    }


@pytest.fixture(scope="module")
def seeded(migrated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("seeded") / "data"
    shutil.copytree(migrated, data)
    _confide("shell", "--no-imports", "-c", SEED_TEXTS, env=_env(data))
    return data


@pytest.fixture(scope="module")
def backups(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("backups")
    made = {"with_keys": folder / "with-keys", "without_keys": folder / "without-keys"}
    out = _confide("backup", str(made["with_keys"]), "--with-keys", env=_env(seeded))
    assert "Copying the database: 100%" in out
    assert "Key files in" in out
    out = _confide("backup", str(made["without_keys"]), env=_env(seeded))
    assert "Key material not included" in out
    return made


@SQLITE_SUBPROCESS
def test_a_backup_restored_elsewhere_has_the_same_rows_and_texts(
    seeded: Path, backups: dict[str, Path], tmp_path: Path
) -> None:
    keys = backups["with_keys"] / "keys"
    assert {path.name for path in keys.iterdir()} >= {"master.key", "space-keys.json"}
    assert {path.stat().st_mode & 0o777 for path in keys.iterdir()} == {0o600}
    manifest = json.loads((backups["with_keys"] / "manifest.json").read_text())["manifest"]
    assert manifest["master_key_id"] in manifest["master_key_ids"]
    assert len(manifest["database"]["sha256"]) == 64

    target = tmp_path / "restored"
    out = _confide("restore", str(backups["with_keys"]), env=_env(target))

    assert "Restored the backup" in out
    original, restored = _snapshot(seeded), _snapshot(target)
    assert restored == original
    assert "Only for me." in original["texts"]  # type: ignore[operator]
    assert original["counts"]["circles.Thread"] == 5  # type: ignore[index]
    assert (target / "confide.sqlite3").stat().st_mode & 0o777 == 0o600


def _refused(backup: Path, target: Path, *, env: dict[str, str] | None = None) -> str:
    before = _contents(target) if target.exists() else {}
    result = _run("restore", str(backup), env=env or _env(target))
    assert result.returncode != 0, result.stdout
    assert _contents(target) == before, "a refused restore wrote something"
    return result.stderr


@SQLITE_SUBPROCESS
def test_a_restore_into_a_folder_in_use_is_refused(seeded: Path, backups: dict[str, Path]) -> None:
    error = _refused(backups["with_keys"], seeded)
    assert "is not empty" in error and "confide.sqlite3" in error


def _copy(backup: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "backup"
    shutil.copytree(backup, copy)
    return copy


@SQLITE_SUBPROCESS
def test_a_truncated_backup_is_refused(backups: dict[str, Path], tmp_path: Path) -> None:
    copy = _copy(backups["with_keys"], tmp_path)
    database = copy / "database.sqlite3"
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])

    error = _refused(copy, tmp_path / "target")
    assert "damaged" in error and "truncated" in error


@SQLITE_SUBPROCESS
def test_a_backup_with_a_changed_byte_is_refused(backups: dict[str, Path], tmp_path: Path) -> None:
    copy = _copy(backups["with_keys"], tmp_path)
    database = copy / "database.sqlite3"
    content = bytearray(database.read_bytes())
    content[len(content) // 2] ^= 0xFF
    database.write_bytes(bytes(content))

    error = _refused(copy, tmp_path / "target")
    assert "does not match its checksum" in error


@SQLITE_SUBPROCESS
def test_a_backup_whose_manifest_was_changed_to_match_is_refused(
    backups: dict[str, Path], tmp_path: Path
) -> None:
    copy = _copy(backups["with_keys"], tmp_path)
    database = copy / "database.sqlite3"
    database.write_bytes(database.read_bytes() + b"extra")
    signed = json.loads((copy / "manifest.json").read_text())
    signed["manifest"]["database"].update(
        bytes=database.stat().st_size, sha256=hashlib.sha256(database.read_bytes()).hexdigest()
    )
    (copy / "manifest.json").write_text(json.dumps(signed))

    error = _refused(copy, tmp_path / "target")
    assert "manifest has been changed" in error


@SQLITE_SUBPROCESS
def test_a_changed_key_file_is_refused(backups: dict[str, Path], tmp_path: Path) -> None:
    copy = _copy(backups["with_keys"], tmp_path)
    (copy / "keys" / "master.key").write_text("{}")

    error = _refused(copy, tmp_path / "target")
    assert "master.key" in error


@SQLITE_SUBPROCESS
def test_a_backup_made_with_another_master_key_is_refused(
    backups: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "target"
    other = base64.urlsafe_b64encode(os.urandom(32)).decode()

    error = _refused(
        backups["without_keys"], target, env=_env(target) | {"CONFIDE_MASTER_KEY": other}
    )
    assert "was made with master key" in error and "CONFIDE_MASTER_KEY" in error
    error = _refused(backups["without_keys"], target)  # no key configured at all
    assert "none is configured" in error
    assert not (target / "master.key").exists()


@SQLITE_SUBPROCESS
def test_a_backup_without_keys_restores_with_its_master_key_configured(
    seeded: Path, backups: dict[str, Path], tmp_path: Path
) -> None:
    keyring = json.loads((seeded / "master.key").read_text())
    key = keyring["keys"][keyring["current"]]
    target = tmp_path / "target"
    env = _env(target) | {"CONFIDE_MASTER_KEY": key}

    result = _run("restore", str(backups["without_keys"]), env=env)

    assert result.returncode == 0, result.stderr
    assert "need the key store (space-keys.json)" in result.stderr
    assert (target / "confide.sqlite3").stat().st_size > 0
    assert not (target / "master.key").exists()


POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def two_postgres_databases() -> Iterator[tuple[str, str]]:
    """Two new, empty databases on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg  # noqa: PLC0415 - only on PostgreSQL runs

    server = urlsplit(os.environ["DATABASE_URL"])
    names = [f"confide_backup_{secrets.token_hex(4)}_{end}" for end in ("from", "to")]
    with psycopg.connect(urlunsplit(server._replace(path="/postgres")), autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield tuple(urlunsplit(server._replace(path=f"/{name}")) for name in names)  # type: ignore[misc]
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(not POSTGRES, reason="needs the suite's PostgreSQL server (DATABASE_URL)")
def test_a_postgresql_backup_restores_into_an_empty_database_only(
    two_postgres_databases: tuple[str, str], tmp_path: Path
) -> None:
    source_url, target_url = two_postgres_databases
    source = _env(tmp_path / "source") | {"DATABASE_URL": source_url}
    _confide("migrate", "-v0", env=source)
    _confide("shell", "--no-imports", "-c", SEED_TEXTS, env=source)
    out = _confide("backup", str(tmp_path / "backup"), "--with-keys", env=source)
    assert (tmp_path / "backup" / "database.pgdump").stat().st_size > 0, out

    target = _env(tmp_path / "target") | {"DATABASE_URL": target_url}
    _confide("restore", str(tmp_path / "backup"), env=target)
    snapshot = ("shell", "--no-imports", "-c", SNAPSHOT)
    assert json.loads(_confide(*snapshot, env=target)) == json.loads(
        _confide(*snapshot, env=source)
    )

    again = _env(tmp_path / "again") | {"DATABASE_URL": target_url}
    result = _run("restore", str(tmp_path / "backup"), env=again)
    assert result.returncode != 0
    assert "The database is not empty" in result.stderr
    assert not (tmp_path / "again" / "master.key").exists()


# --- a worker killed in the middle of a task ------------------------------------------------

STATES = (
    "from django_tasks_db.models import DBTaskResult; "
    "print(sorted(DBTaskResult.objects.values_list('status', flat=True)))"
)
RECLAIM_LATER = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from confide.core.tasklease import LEASE, STALE_AFTER, tasks_reclaim; "
    "later = timezone.now() + max(LEASE, STALE_AFTER) + timedelta(seconds=1); "
    "print(tasks_reclaim(now=later).requeued)"
)


@pytest.fixture
def events() -> Iterator[_EventListener]:
    listener = _EventListener()
    yield listener
    listener.close()


@SQLITE_SUBPROCESS
def test_a_task_whose_worker_was_killed_is_run_by_the_next_worker(
    data_dir: Path, tmp_path: Path, events: _EventListener
) -> None:
    env = _env(data_dir)
    marks = tmp_path / "marks"
    marks.mkdir()
    os.mkfifo(marks / "release")  # the task waits on it (confide/core/tests/slowtask.py)
    enqueue = (
        "from confide.core.tests.slowtask import hold; "
        f"hold.enqueue({str(marks)!r}, {events.address!r})"
    )
    _confide("shell", "--no-imports", "-c", enqueue, env=env)

    first = _start("worker", "--interval", "0.1", env=env, log=tmp_path / "worker1.log")
    try:
        events.expect("started", "the first worker to start the task")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert _confide("shell", "--no-imports", "-c", STATES, env=env).strip() == "['RUNNING']"
    # A living worker's sweep would take the task back once the dead one's heartbeat is
    # stale; here the sweep is run as if that time had passed.
    assert _confide("shell", "--no-imports", "-c", RECLAIM_LATER, env=env).strip() == "1"
    assert _confide("shell", "--no-imports", "-c", STATES, env=env).strip() == "['READY']"

    second = _start("worker", "--interval", "0.1", env=env, log=tmp_path / "worker2.log")
    # Opening the pipe for writing waits for the second worker's task to open it; closing it
    # lets that task go on.
    releaser = threading.Thread(target=lambda: (marks / "release").open("w").close(), daemon=True)
    releaser.start()
    try:
        events.expect("started", "the second worker to start the task")
        events.expect("finished", "the second worker to finish the task")
    finally:
        _stop(second)
    assert (marks / "started").read_text().count("started") == 2
    assert (marks / "finished").read_text() == "finished\n"
    # A successful task's row is purged (core/taskrows.py): nothing is left RUNNING or READY.
    assert _confide("shell", "--no-imports", "-c", STATES, env=env).strip() == "[]"


@SQLITE_SUBPROCESS
def test_serve_with_worker_starts_a_killed_worker_again() -> None:
    from confide.core.management.commands.serve import WorkerKeeper

    keeper = WorkerKeeper(
        command=[sys.executable, "-c", "import signal; signal.pause()"], check_every=0.05
    )
    keeper.start()
    try:
        first = keeper.wait_for_worker(timeout=DEADLINE)
        assert first is not None, "gave up waiting for the worker to start"
        first.send_signal(signal.SIGKILL)
        again = keeper.wait_for_worker(other_than=first, timeout=DEADLINE)
        assert again is not None, "gave up waiting for the worker to be started again"
        assert keeper.restarts == 1
        assert keeper.process is not None and keeper.process.poll() is None
    finally:
        keeper.stop()
    assert keeper.process is not None and keeper.process.poll() is not None


# --- a server killed in the middle of hundreds of form posts --------------------------------

SEED = """
import json
from django.test import Client
from confide.accounts.tests.factories import UserFactory
from confide.circles.tests.factories import join, make_circle

circle = make_circle(UserFactory(display_name="Owner"))
cookies = []
for n in range({people}):
    person = UserFactory(display_name=f"Person {{n}}")
    join(circle, person, f"Member{{n}}")
    client = Client()
    client.force_login(person)
    cookies.append(client.cookies["sessionid"].value)
print(json.dumps({{"circle": str(circle.pk), "sessions": cookies}}))
"""
TITLES = (
    "import json; from confide.circles.models import Thread; "
    "print(json.dumps([thread.title for thread in Thread.objects.all()]))"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Live:
    """One `confide serve` process at a time on a fixed port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port = env, log, _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until uvicorn says it listens: its output comes through
        a pipe, copied line by line into the log, and the line that says so ends the wait."""
        listening = threading.Event()
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "confide", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env | {"CONFIDE_LOG_LEVEL": "INFO"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output = self.process.stdout
        assert output is not None

        def copy() -> None:
            with output, self.log.open("ab") as log:
                for line in output:  # ends when the server's end of the pipe closes
                    log.write(line)
                    log.flush()
                    if b"Uvicorn running on" in line:
                        listening.set()
            listening.set()  # it stopped: the check below says so

        threading.Thread(target=copy, daemon=True).start()
        assert listening.wait(DEADLINE), "gave up waiting for the server to listen"
        assert self.process.poll() is None, self.log.read_text()
        assert self.request("GET", "/healthz", "", body="")[0] == 200  # noqa: PLR2004

    def request(self, method: str, path: str, session: str, *, body: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                method,
                path,
                body=body,
                headers={
                    "Cookie": f"sessionid={session}; csrftoken={CSRF}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            connection.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def live(data_dir: Path, tmp_path: Path) -> Iterator[tuple[Live, dict[str, object]]]:
    env = _env(data_dir)
    seeded = json.loads(
        _confide("shell", "--no-imports", "-c", SEED.format(people=PEOPLE), env=env)
    )
    server = Live(env, tmp_path / "serve.log")
    server.start()
    yield server, seeded
    if server.process is not None:
        _stop(server.process)


@SQLITE_SUBPROCESS
def test_no_acknowledged_post_is_lost_or_doubled_when_the_server_is_killed(
    live: tuple[Live, dict[str, object]],
) -> None:
    server, seeded = live
    path = f"/circles/{seeded['circle']}/threads/new/"
    sessions = list(seeded["sessions"])  # type: ignore[call-overload]
    posts = [
        (f"post-{person}-{n}", secrets.token_urlsafe(16), sessions[person])
        for n in range(POSTS_EACH)
        for person in range(PEOPLE)
    ]
    acknowledged: dict[str, str] = {}  # title -> Location of the new thread
    lock = threading.Lock()
    killed = threading.Event()  # once, in the middle of the first round
    refused: list[int] = []

    def send(post: tuple[str, str, str]) -> None:
        title, key, session = post
        form = {"csrfmiddlewaretoken": CSRF, "idempotency_key": key, "title": title,
                "body": "Thank you all for a kind evening.", "content_note": ""}  # fmt: skip
        try:
            status, location = server.request("POST", path, session, body=urlencode(form))
        except (OSError, http.client.HTTPException):
            return  # cut: not acknowledged
        if status != 302:  # noqa: PLR2004
            # Not acknowledged either (an overloaded SQLite's "database is locked" is a 500,
            # which keeps nothing): the client tries again with the same key.
            refused.append(status)
            return
        with lock:
            assert acknowledged.setdefault(title, location) == location
        with lock:
            if len(acknowledged) >= len(posts) // 3 and not killed.is_set():
                killed.set()
                server.kill()

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        list(pool.map(send, posts))
    assert killed.is_set(), "the server was never killed"
    before_restart = dict(acknowledged)
    assert 0 < len(before_restart) < len(posts)

    server.start()
    for _ in range(5):  # the retries a browser or a person would make, with the same keys
        waiting = [post for post in posts if post[0] not in acknowledged]
        with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
            list(pool.map(send, waiting))
    assert len(acknowledged) == len(posts), sorted(set(refused))
    assert set(refused) <= {500, 503}
    # Retrying what was already acknowledged answers the same redirect and writes nothing.
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        list(pool.map(send, [post for post in posts if post[0] in before_restart][:50]))
    # Two copies of one post sent at the same moment (a double click, a proxy's retry).
    twins = [(f"twin-{n}", secrets.token_urlsafe(16), sessions[n % PEOPLE]) for n in range(10)]
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        list(pool.map(send, [post for post in twins for _copy in range(2)]))
    assert all(title in acknowledged for title, _key, _session in twins)

    titles = json.loads(_confide("shell", "--no-imports", "-c", TITLES, env=server.env))
    assert sorted(titles) == sorted(title for title, _key, _session in [*posts, *twins])


# --- one PostgreSQL connection per server process -------------------------------------------


@pytest.mark.skipif(not POSTGRES, reason="needs the suite's PostgreSQL server (DATABASE_URL)")
def test_a_server_keeps_one_postgresql_connection_across_requests(
    two_postgres_databases: tuple[str, str], tmp_path: Path
) -> None:
    import psycopg  # noqa: PLC0415 - only on PostgreSQL runs

    database_url, _unused = two_postgres_databases
    name = f"confide-serve-{secrets.token_hex(4)}"
    env = _env(tmp_path / "data") | {"DATABASE_URL": f"{database_url}?application_name={name}"}
    _confide("migrate", "-v0", env=env)
    server = Live(env, tmp_path / "serve.log")

    def backends() -> list[int]:
        with psycopg.connect(database_url, autocommit=True) as probe:
            rows = probe.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [name]
            ).fetchall()
        return [row[0] for row in rows]

    server.start()
    try:
        for _ in range(20):
            assert server.request("GET", "/healthz", "", body="")[0] == 200
        first = backends()
        for _ in range(20):
            assert server.request("GET", "/healthz", "", body="")[0] == 200
        # Opened once and kept: not a new connection (a new server backend) per request.
        assert len(first) == 1
        assert backends() == first
    finally:
        if server.process is not None:
            _stop(server.process)
