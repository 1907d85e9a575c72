"""Tasks are never lost: a heartbeat per worker and a sweep that takes back what a dead worker
held.

django-tasks-db marks a task RUNNING when a worker claims it and only moves it on when the task
returns. A worker killed in between (SIGKILL, the machine losing power, the out-of-memory
killer) leaves the row RUNNING forever. So every `confide worker` records a heartbeat
(`WorkerHeartbeat`, a row per worker id, updated every HEARTBEAT_SECONDS by a thread beside
the task loop), and the sweep (`tasks_reclaim`, run every minute by each worker's scheduler
thread) puts back to READY every task that has been RUNNING for longer than its lease while
the worker that claimed it has not been heard from for STALE_AFTER. Another worker (or the
same one, restarted) then runs it.

Why running a task again is safe: tasks take ids and are idempotent. Those with a side effect
that must not happen twice claim it before acting (an email's notification row moves
pending -> claimed in its own transaction before the send; a scheduled item leaves `pending`
in the transaction that sends), so the second run finds the claim and does nothing.

A task whose workers keep dying (a task that kills its process) is marked FAILED after
MAX_CLAIMS claims instead of being queued again for ever.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from confide.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0
# A worker not heard from for this long is taken for dead (several missed beats, so a slow
# database moment is not mistaken for a death).
STALE_AFTER = timedelta(seconds=60)
# A task is never taken back sooner than this after it started, whatever the heartbeat says.
LEASE = timedelta(seconds=60)
MAX_CLAIMS = 3
FORGET_WORKERS_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded as the failure of a task whose workers died MAX_CLAIMS times while running it."""


def new_worker_id() -> str:
    return get_random_string(32)


def heartbeat_beat(*, worker_id: str, now: datetime | None = None) -> None:
    """Record that this worker is alive now."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"beat_at": now, "pid": os.getpid()},
            create_defaults={"beat_at": now, "started_at": now, "pid": os.getpid()},
        )


def heartbeat_end(*, worker_id: str) -> None:
    """A worker that stops cleanly says so, so its tasks need not wait for STALE_AFTER."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def last_heartbeat_age(*, now: datetime | None = None) -> float | None:
    """Seconds since any worker last beat; None when no worker has ever beaten."""
    now = now or timezone.now()
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        return None
    return max(0.0, (now - latest).total_seconds())


@dataclass
class ReclaimReport:
    requeued: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"tasks queued again {self.requeued}, given up {self.failed}"


def tasks_reclaim(*, now: datetime | None = None) -> ReclaimReport:
    """Queue again every task RUNNING past its lease whose worker's heartbeat is stale.

    Each row is moved by a conditional UPDATE on (status, started_at), so when several workers
    sweep at once only one of them takes a task back. Call outside a transaction."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gt=now - STALE_AFTER).values_list(
            "worker_id", flat=True
        )
    )
    report = ReclaimReport()
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lte=now - LEASE
    ).values_list("pk", "started_at", "worker_ids")
    for pk, started_at, worker_ids in running:
        if worker_ids and worker_ids[-1] in alive:
            continue  # a long task on a living worker
        same = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(worker_ids) >= MAX_CLAIMS:
            report.failed += same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="",
            )
        else:
            report.requeued += same.update(status=TaskResultStatus.READY, started_at=None)
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    if report.requeued or report.failed:
        # Ids and counts only: a task's arguments may name a person.
        logger.warning("Tasks of dead workers: %s", report)
    return report


class HeartbeatThread(threading.Thread):
    """Beats at once, then every `every` seconds, until stop(); a failed beat is logged and
    the next one tries again."""

    def __init__(self, *, worker_id: str, every: float = HEARTBEAT_SECONDS) -> None:
        super().__init__(name="confide-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.beaten = threading.Event()
        self._stopping = threading.Event()

    def run(self) -> None:
        while True:
            try:
                heartbeat_beat(worker_id=self.worker_id)
            except DatabaseError as error:
                logger.warning("The worker's heartbeat failed: %s", type(error).__name__)
            finally:
                connections.close_all()
                self.beaten.set()
            if self._stopping.wait(self.every):
                return

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)
        # On the caller's own connection, which stays open: it is the caller's to close.
        try:
            heartbeat_end(worker_id=self.worker_id)
        except DatabaseError as error:
            logger.warning("The worker's heartbeat could not be removed: %s", type(error).__name__)
