"""Drives one `confide bench` run: the data set, the two servers, the signed-in people and the
measurements. Everything runs on 127.0.0.1 in a throw-away data folder with its own keys."""

from __future__ import annotations

import http.client
import json
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

from confide.bench.load import Target, pin_to_core, run_load
from confide.bench.report import AUTH_FLOOR, FRAMEWORK_FLOOR, FRAMEWORK_FLOOR_AGAIN, BenchResult
from confide.dialogue.liveserver import base_env, free_port

SERVER_CORE = 1
LOAD_CORE = 0
READY_TIMEOUT = 60.0
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
Say = Callable[[str], None]


def data_env(folder: Path) -> dict[str, str]:
    """For preparing the data: a development environment (the demo refuses production)."""
    env = base_env(folder)
    env["CONFIDE_LOG_LEVEL"] = "ERROR"
    return env


def serve_env(folder: Path) -> dict[str, str]:
    """For the server: production settings (DEBUG off, its own secret key), over plain HTTP
    on loopback, so without the HTTPS redirect."""
    env = data_env(folder)
    env.update(
        CONFIDE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        CONFIDE_ALLOWED_HOSTS="127.0.0.1",
        CONFIDE_SSL_REDIRECT="0",
        # The per-person write limit would answer most check-in submits with 429: lifted, so
        # the bench times the write itself.
        CONFIDE_WRITE_LIMITS="60:1000000",
    )
    return env


def prepare_data(env: dict[str, str], size: str, say: Say) -> dict[str, str]:
    python = sys.executable
    say("Preparing the data set: migrate, demo…")
    for args in (["migrate", "--no-input", "-v", "0"], ["demo"]):
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [python, "-m", "confide", *args], env=env, check=False, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"`confide {args[0]}` failed:\n{done.stderr[-3000:]}")
    say(f"Adding the bench's rows ({size})…")
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [python, "-m", "confide.bench.prepare", size],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"Preparing the data set failed:\n{done.stderr}")
    say(f"  data set ready in {time.perf_counter() - started:.1f} s")
    ids: dict[str, str] = json.loads(done.stdout)
    return ids


def _wait_ready(port: int, path: str, popen: subprocess.Popen[str], log: IO[str]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server stopped:\n{log.read()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:  # noqa: PLR2004
                connection.close()
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} was not ready in {READY_TIMEOUT:.0f} s")


@contextmanager
def server(args: list[str], env: dict[str, str], ready_path: str) -> Iterator[tuple[int, int]]:
    """A server process on a free port, pinned to the server core; yields its port and pid.
    Its output (the access log too, as in production) goes to a file, not through this
    process's core."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        popen = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, *args, "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        pin_to_core(popen.pid, SERVER_CORE)
        try:
            _wait_ready(port, ready_path, popen, log)
            yield port, popen.pid
        finally:
            popen.terminate()
            try:
                popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()


def confide_server(env: dict[str, str]) -> AbstractContextManager[tuple[int, int]]:
    return server(["-m", "confide", "serve", "--host", "127.0.0.1"], env, "/healthz")


def floor_server(env: dict[str, str]) -> AbstractContextManager[tuple[int, int]]:
    args = ["-m", "uvicorn", "confide.bench.floor:application", "--host", "127.0.0.1"]
    args += ["--lifespan", "off", "--no-access-log", "--log-level", "warning"]
    return server(args, env, "/")


class Browser:
    """One signed-in person: a cookie jar and the CSRF token, over plain http.client."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def headers(self, *, form: bool = False) -> dict[str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        return headers

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> tuple:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        connection.request(method, path, body=body, headers=self.headers(form=body is not None))
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        found = CSRF_FIELD.search(text)
        if found:
            self.csrf = found.group(1)
        connection.close()
        return response.status, response.getheader("Location", ""), text

    def sign_in(self, email: str, password: str, code: Callable[[], str]) -> None:
        self.request("GET", "/account/login/")
        status, location, _text = self.request(
            "POST", "/account/login/", {"email": email, "password": password}
        )
        if "/login/code/" in location:
            self.request("GET", location)
            status, location, _text = self.request("POST", location, {"code": code()})
        if status != 302 or "/login" in location:  # noqa: PLR2004
            raise RuntimeError(f"signing in as {email} failed ({status} -> {location})")
        # Signing in rotates the CSRF token: take the new one from a page with a form.
        self.request("GET", "/")


def demo_code(env: dict[str, str], email: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "confide", "demo", "code", email],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"\b(\d{6})\b", done.stdout)
    if found is None:
        raise RuntimeError(f"no demo code for {email}: {done.stdout!r}")
    return found.group(1)


def page_targets(ids: dict[str, str], alex: Browser, dana: Browser) -> list[Target]:
    pair, circle, thread = ids["pair"], ids["circle"], ids["thread"]
    submit = urlencode(
        {
            "mood": "4",
            "visibility": "shared",
            "note": "A calm day; we talked over dinner.",
            "checkin": ids["checkin"],
            "csrfmiddlewaretoken": alex.csrf,
        }
    ).encode()
    return [
        Target(AUTH_FLOOR, "/session/ping", headers=alex.headers(), expect=(204,)),
        Target("/healthz (anonymous)", "/healthz"),
        Target("home", "/", headers=alex.headers()),
        Target("pair page", f"/pairs/{pair}/", headers=alex.headers()),
        Target("history", f"/pairs/{pair}/history/", headers=alex.headers()),
        Target(
            "check-in submit",
            f"/pairs/{pair}/checkin/",
            method="POST",
            body=submit,
            headers=alex.headers(form=True),
            expect=(302,),
        ),
        Target("circle page", f"/circles/{circle}/", headers=dana.headers()),
        Target(
            "thread, 50 replies", f"/circles/{circle}/threads/{thread}/", headers=dana.headers()
        ),
        Target("progress", "/measures/progress/", headers=alex.headers()),
        Target("notifications", "/notifications/", headers=alex.headers()),
    ]


def run_pages(
    *, size: str, connections: int, seconds: float, only: list[str] | None, say: Say
) -> BenchResult:
    from confide.core.demo import DEMO_PASSWORD

    result = BenchResult(size=size, connections=connections, seconds=seconds)
    with tempfile.TemporaryDirectory(prefix="confide-bench-") as folder:
        env = data_env(Path(folder))
        ids = prepare_data(env, size, say)
        with (
            floor_server(serve_env(Path(folder))) as (floor_port, floor_pid),
            confide_server(serve_env(Path(folder))) as (port, pid),
        ):
            say(f"Framework floor on port {floor_port}, Confide on port {port}")
            floor = Target(FRAMEWORK_FLOOR, "/")
            measure = partial(run_load, connections=connections, seconds=seconds, progress=say)
            result.pages[FRAMEWORK_FLOOR] = measure(
                host="127.0.0.1", port=floor_port, server_pid=floor_pid, target=floor
            )
            say("Signing in as Alex, and as Dana (two-step login)…")
            alex, dana = Browser(port), Browser(port)
            alex.sign_in("alex@example.com", DEMO_PASSWORD, lambda: "")
            dana.sign_in(
                "dana@example.com", DEMO_PASSWORD, lambda: demo_code(env, "dana@example.com")
            )
            for target in page_targets(ids, alex, dana):
                if only and target.name not in only and target.name != AUTH_FLOOR:
                    continue
                result.pages[target.name] = measure(
                    host="127.0.0.1", port=port, server_pid=pid, target=target
                )
            # Measured again last: other work on the machine shows as a change between the two.
            again = Target(FRAMEWORK_FLOOR_AGAIN, "/")
            result.pages[again.name] = measure(
                host="127.0.0.1", port=floor_port, server_pid=floor_pid, target=again
            )
    return result


def run_dialogue(
    result: BenchResult, *, sessions: int, rounds: int, say: Say, pace: float = 0.0
) -> None:
    from confide.bench.stats import summarise
    from confide.dialogue.bench import dialogue_bench

    latencies, elapsed = dialogue_bench(sessions=sessions, rounds=rounds, say=say, pace=pace)
    result.dialogue = summarise(latencies, seconds=elapsed)
    result.dialogue_sessions = sessions
    result.dialogue_pace = pace


def run_screener(result: BenchResult, *, say: Say) -> None:
    from confide.safety.classifier import classifier_problem
    from confide.safety.evaluation import read_csv, timing
    from confide.safety.rules import DATA_DIR
    from confide.safety.screen import screen

    texts = [example.text for example in read_csv(DATA_DIR / "devset.csv")]
    problem = classifier_problem()
    what = "rules and model" if problem is None else f"rules alone: {problem}"
    say(f"Timing the screener on {len(texts)} texts ({what})…")
    measured = timing(texts, screener=screen)
    result.screener = {
        "texts": measured.texts,
        "what": what,
        "p50_ms": measured.p50,
        "p95_ms": measured.p95,
    }


def pin_this_process() -> bool:
    return pin_to_core(0, LOAD_CORE)
