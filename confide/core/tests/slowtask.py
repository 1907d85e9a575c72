"""A task for the worker-kill test (tests/test_operations_live.py): it says it started, waits
until the test lets it go, then says it finished. Only tests enqueue it.

It says so twice: in a file (what the test counts afterwards) and to the test's listening
socket (what the test waits on, so it waits for the event itself, with no polling). The test
makes ``release`` a named pipe: opening it for reading blocks until the test opens it for
writing, so the task waits on the test itself, with no polling either."""

from __future__ import annotations

import socket
from pathlib import Path

from django.tasks import task


def _tell(address: str, event: str) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as line:
        line.connect(address)
        line.sendall(event.encode())


@task()
def hold(folder: str, address: str) -> str:
    here = Path(folder)
    with (here / "started").open("a") as marker:
        marker.write("started\n")
    _tell(address, "started")
    with (here / "release").open() as gate:
        gate.read()
    with (here / "finished").open("a") as marker:
        marker.write("finished\n")
    _tell(address, "finished")
    return "finished"
