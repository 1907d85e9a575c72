"""A task for the worker-kill test (tests/test_faults_live.py): it says it started, waits until
the test lets it go, then records that it finished. Only tests enqueue it."""

from __future__ import annotations

import time
from pathlib import Path

from django.tasks import task

WAIT_SECONDS = 60.0


@task()
def hold(folder: str) -> str:
    here = Path(folder)
    with (here / "started").open("a") as marker:
        marker.write("started\n")
    deadline = time.monotonic() + WAIT_SECONDS
    while not (here / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.05)
    with (here / "finished").open("a") as marker:
        marker.write("finished\n")
    return "finished"
