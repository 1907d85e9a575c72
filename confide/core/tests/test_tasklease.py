"""A task left RUNNING by a dead worker is queued again; one on a living worker is left alone
(confide/core/tasklease.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from confide.core.models import WorkerHeartbeat
from confide.core.tasklease import (
    LEASE,
    MAX_CLAIMS,
    STALE_AFTER,
    heartbeat_beat,
    heartbeat_end,
    last_heartbeat_age,
    tasks_reclaim,
)

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TASK = "confide.core.tasks.run_scheduled_send"


def _running(*, worker_ids: list[str], started_at: datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=TASK,
        backend_name="default",
        run_after=T0,
        started_at=started_at,
        worker_ids=worker_ids,
    )


def _status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


@pytest.mark.parametrize(
    ("beat_ago", "started_ago", "requeued"),
    [
        (None, LEASE + timedelta(seconds=1), True),  # the worker never beat (or ended)
        (STALE_AFTER + timedelta(seconds=1), LEASE + timedelta(seconds=1), True),
        (STALE_AFTER - timedelta(seconds=1), LEASE + timedelta(hours=5), False),  # long task
        (None, LEASE - timedelta(seconds=1), False),  # within its lease
        (STALE_AFTER + timedelta(seconds=1), LEASE, True),  # exactly at the lease's end
    ],
)
def test_a_running_task_is_taken_back_only_past_its_lease_from_a_silent_worker(
    beat_ago: timedelta | None, started_ago: timedelta, requeued: bool
) -> None:
    if beat_ago is not None:
        heartbeat_beat(worker_id="w1", now=T0 - beat_ago)
    task = _running(worker_ids=["w1"], started_at=T0 - started_ago)

    report = tasks_reclaim(now=T0)

    assert report.requeued == int(requeued)
    assert _status(task) == (TaskResultStatus.READY if requeued else TaskResultStatus.RUNNING)
    if requeued:
        assert task.started_at is None
        assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_only_the_last_workers_heartbeat_counts() -> None:
    heartbeat_beat(worker_id="old", now=T0)  # alive, but it is not the one running the task now
    task = _running(worker_ids=["old", "dead"], started_at=T0 - LEASE * 2)

    assert tasks_reclaim(now=T0).requeued == 1
    assert _status(task) == TaskResultStatus.READY


def test_a_task_whose_workers_died_max_claims_times_is_given_up() -> None:
    task = _running(worker_ids=[f"w{n}" for n in range(MAX_CLAIMS)], started_at=T0 - LEASE * 2)

    report = tasks_reclaim(now=T0)

    assert (report.requeued, report.failed) == (0, 1)
    assert _status(task) == TaskResultStatus.FAILED
    assert task.exception_class_path == "confide.core.tasklease.WorkerLost"


def test_two_sweeps_at_once_take_a_task_back_once() -> None:
    task = _running(worker_ids=["dead"], started_at=T0 - LEASE * 2)
    stale = DBTaskResult.objects.get(pk=task.pk)
    assert tasks_reclaim(now=T0).requeued == 1
    # A second sweep that read the row before the first moved it: its conditional update on
    # (status, started_at) matches nothing.
    same = DBTaskResult.objects.filter(
        pk=stale.pk, status=TaskResultStatus.RUNNING, started_at=stale.started_at
    )
    assert same.update(status=TaskResultStatus.READY) == 0
    assert tasks_reclaim(now=T0).requeued == 0


def test_the_heartbeat_is_one_row_per_worker_and_a_clean_stop_removes_it() -> None:
    heartbeat_beat(worker_id="w1", now=T0)
    heartbeat_beat(worker_id="w1", now=T0 + timedelta(seconds=10))

    row = WorkerHeartbeat.objects.get()
    assert (row.started_at, row.beat_at) == (T0, T0 + timedelta(seconds=10))
    with time_machine.travel(T0 + timedelta(seconds=25), tick=False):
        assert last_heartbeat_age() == 15.0
    heartbeat_end(worker_id="w1")
    assert last_heartbeat_age() is None


def test_workers_silent_for_a_day_are_forgotten() -> None:
    heartbeat_beat(worker_id="gone", now=T0 - timedelta(days=2))
    heartbeat_beat(worker_id="here", now=T0)

    tasks_reclaim(now=T0)

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["here"]
