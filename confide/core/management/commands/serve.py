from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

logger = logging.getLogger(__name__)
QUICK_DEATH_SECONDS = 60.0


class WorkerKeeper(threading.Thread):
    """Runs `confide worker` beside the server and starts it again when it dies (killed, out
    of memory), waiting a little longer after each quick death so a worker that cannot start
    does not spin. The tasks the dead one held are taken back by the sweep
    (confide/core/tasklease.py)."""

    def __init__(self, *, command: list[str] | None = None, check_every: float = 1.0) -> None:
        super().__init__(name="confide-worker-keeper", daemon=True)
        self.command = command or [sys.executable, "-m", "confide", "worker"]
        self.check_every = check_every
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._spawned_at = 0.0
        self._lock = threading.Lock()
        self._spawned = threading.Condition(self._lock)
        self._stopping = threading.Event()

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                self.process = subprocess.Popen(self.command)  # noqa: S603
                self._spawned_at = time.monotonic()
                self._spawned.notify_all()

    def wait_for_worker(
        self, *, other_than: subprocess.Popen[bytes] | None = None, timeout: float
    ) -> subprocess.Popen[bytes] | None:
        """The running worker once there is one other than `other_than` (None after
        `timeout` seconds)."""
        with self._spawned:
            self._spawned.wait_for(
                lambda: self.process is not None and self.process is not other_than, timeout
            )
            return self.process if self.process is not other_than else None

    def run(self) -> None:
        self._spawn()
        quick_deaths = 0
        while not self._stopping.wait(self.check_every):
            process = self.process
            if process is None or process.poll() is None:
                continue
            lived = time.monotonic() - self._spawned_at
            quick_deaths = quick_deaths + 1 if lived < QUICK_DEATH_SECONDS else 0
            logger.warning(
                "The task worker stopped (exit %s); starting it again.", process.returncode
            )
            # Right away after a death that ends a long life; a little later after each quick
            # one, so a worker that cannot start does not spin.
            if quick_deaths > 1 and self._stopping.wait(
                min(60.0, self.check_every * 2 ** min(quick_deaths, 6))
            ):
                return
            self.restarts += 1
            self._spawn()

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Command(BaseCommand):
    help = "Serve Confide's ASGI application with uvicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("CONFIDE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CONFIDE_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1, help="Server processes.")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run the background task worker beside the server, and stop it with it.",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("CONFIDE_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            help="Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are trusted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        if options["workers"] > 1 and not settings.REDIS_URL:
            raise CommandError(
                "Several server processes need REDIS_URL: without Redis the cache, the sessions "
                "read through it and the real-time channel are each process's own, so a session "
                "ended in one process would still be open in another. Set REDIS_URL or serve "
                "with --workers 1."
            )

        worker = None
        if options["with_worker"]:
            worker = WorkerKeeper()
            worker.start()
        self.stdout.write(f"Confide is serving on http://{options['host']}:{options['port']}")
        try:
            uvicorn.run(
                "confide.asgi:application",
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                proxy_headers=True,
                forwarded_allow_ips=options["forwarded_allow_ips"],
                server_header=False,
                lifespan="off",
                # Django's logging (already set up) handles uvicorn's lines too, so the
                # access log goes through the filter that keeps tokens out.
                log_config=None,
                log_level="info",
            )
        finally:
            if worker is not None:
                worker.stop()
