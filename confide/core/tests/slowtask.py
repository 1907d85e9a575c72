"""A task for the worker-kill test (tests/test_operations_live.py): it says it started, waits
until the test lets it go, then records that it finished. Only tests enqueue it.

The test makes ``release`` a named pipe: opening it for reading blocks until the test opens it
for writing, so the task waits on the test itself, with no polling."""

from __future__ import annotations

from pathlib import Path

from django.tasks import task


@task()
def hold(folder: str) -> str:
    here = Path(folder)
    with (here / "started").open("a") as marker:
        marker.write("started\n")
    with (here / "release").open() as gate:
        gate.read()
    with (here / "finished").open("a") as marker:
        marker.write("finished\n")
    return "finished"
