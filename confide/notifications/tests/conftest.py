from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PAIR_INVITE: dict[str, Any] = {
    "kind": "pair_invitation",
    "event_key": "invitation:1",
    "title": "Blake invited you to a pair",
    "url": "/pairs/invitations/1/",
}


@pytest.fixture
def db_tasks(settings: Settings) -> None:
    """The production task backend: enqueued tasks wait in the database until run_due_tasks."""
    settings.TASKS = DATABASE_TASKS


def run_due_tasks(limit: int = 20) -> list[Any]:
    """Do what the worker does now: run every task whose time has come, oldest first.

    Returns the tasks' return values. Time is whatever time-machine says it is.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    results: list[Any] = []
    for _ in range(limit):
        db_task = DBTaskResult.objects.ready().first()
        if db_task is None:
            return results
        db_task.claim(worker.worker_id)
        worker.run_task(db_task)
        # Not refreshed: a successful task's row is deleted as it finishes (core/taskrows.py),
        # and run_task records the outcome on this object too.
        assert db_task.status == "SUCCESSFUL", db_task.traceback
        results.append(db_task.return_value)
    raise AssertionError("tasks kept re-enqueueing themselves to run at once")


def waiting_tasks() -> list[DBTaskResult]:
    """Tasks enqueued and not yet run, due or not."""
    return list(DBTaskResult.objects.filter(status="READY").order_by("run_after"))
