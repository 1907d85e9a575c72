from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


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

        worker = None
        if options["with_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "confide", "worker"])  # noqa: S603
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
                worker.terminate()
                worker.wait(timeout=30)
