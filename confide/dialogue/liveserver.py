"""Real server processes for the scale-out test and `confide bench`: a throw-away data folder,
redis-server and uvicorn on free loopback ports, and people with login sessions.

`python -m confide.dialogue.liveserver setup N` (run with CONFIDE_DATA_DIR set) creates N pairs
with an open conversation each and prints, as JSON, each session id with both partners'
session cookies. No private text is written.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STARTUP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Process:
    """A child process whose output lines are read in a thread, so they can be waited for."""

    args: list[str]
    env: dict[str, str]
    popen: subprocess.Popen[str] = field(init=False)
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.popen = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            self.args,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None  # noqa: S101 - PIPE above
        for line in self.popen.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = STARTUP_TIMEOUT) -> None:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise RuntimeError(
                    f"{self.args[0]} did not print {text!r} in {timeout} s:\n{''.join(self.seen)}"
                ) from None
            self.seen.append(line)
            if text in line:
                return

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._reader.join(timeout=15)
        if self.popen.stdout is not None:
            self.popen.stdout.close()


def redis_server_path() -> str | None:
    return shutil.which("redis-server")


def base_env(data_dir: Path, redis_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFIDE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        CONFIDE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="confide.settings",
        CONFIDE_LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


@contextmanager
def redis_server() -> Iterator[str]:
    """A private redis-server on a free loopback port, without persistence; yields its URL."""
    path = redis_server_path()
    if path is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server).")
    port = free_port()
    process = Process(
        [path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        env=dict(os.environ),
    )
    try:
        process.wait_for("Ready to accept connections")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.stop()


def prepare(env: dict[str, str], pairs: int) -> list[dict[str, str]]:
    """Migrate the data folder's database and create `pairs` pairs with open sessions."""
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "-m", "confide", "migrate", "--no-input", "-v", "0"], env=env, check=True
    )
    result = subprocess.run(  # noqa: S603
        [python, "-m", "confide.dialogue.liveserver", "setup", str(pairs)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"Preparing the conversations failed:\n{result.stderr}")
    sessions: list[dict[str, str]] = json.loads(result.stdout)
    return sessions


@contextmanager
def uvicorn_server(env: dict[str, str]) -> Iterator[str]:
    """Confide under uvicorn on a free loopback port; yields its base URL."""
    port = free_port()
    process = Process(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "confide.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--ws",
            "websockets-sansio",
            "--log-level",
            "info",
            "--no-access-log",
        ],
        env=env,
    )
    try:
        process.wait_for("Uvicorn running on")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


def _setup(pairs: int) -> list[dict[str, str]]:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from confide.accounts.models import User
    from confide.dialogue.services.sessions import dialogue_start
    from confide.pairs.services.pairing import pair_create

    def login(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    rows = []
    for n in range(pairs):
        people = []
        for name in ("a", "b"):
            user = User.objects.create_user(
                email=f"bench-{name}{n}@example.org", password=None, display_name=f"{name}{n}"
            )
            people.append(user)
        pair = pair_create(first=people[0], second=people[1])
        session = dialogue_start(pair=pair, starter=people[0])
        rows.append({"session": str(session.pk), "a": login(people[0]), "b": login(people[1])})
    return rows


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "setup":  # noqa: PLR2004
        sys.stdout.write(json.dumps(_setup(int(argv[1]))))
        return
    sys.stderr.write("usage: python -m confide.dialogue.liveserver setup N\n")
    sys.exit(2)


def socket_headers(url: str, cookie: str) -> dict[str, Any]:
    return {"origin": url, "additional_headers": {"Cookie": cookie}}


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        main(sys.argv[1:])
