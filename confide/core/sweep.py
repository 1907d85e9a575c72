"""The sweep: once a minute, inside `confide worker`, record what every registered sweep finds
due (once per slot), queue a task for each new item, queue again what waits or failed, and
forget what is too old.

Why it cannot send twice: an item is recorded by an INSERT under the unique key (sweep, kind,
subject, slot), each in its own transaction. When two workers sweep at once, both may see the
slot as new, but only one INSERT succeeds; the other gets an IntegrityError and skips it. The
task then locks the row and moves it out of `pending` in the same transaction as the send, so
a task that runs twice (or a retry that overlaps a slow first try) acts once.

Why it does not flood: each sweep looks back CATCH_UP (an hour). A worker that was down for
three hours sends what fell due in the last hour when it comes back, and never the rest.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from confide.core.idempotency import idempotency_keys_purge
from confide.core.models import ScheduledSend
from confide.core.scheduler import (
    CATCH_UP,
    Defer,
    Due,
    Sent,
    registered_sweeps,
    sweep_named,
    sweep_window,
)
from confide.core.tasklease import tasks_reclaim

logger = logging.getLogger(__name__)

State = ScheduledSend.State
RETRY_AFTER = timedelta(minutes=5)  # a queued item not done by then is queued again
MAX_ATTEMPTS = 3
KEEP = timedelta(days=14)  # finished rows are kept this long, far beyond CATCH_UP


@dataclass
class SweepReport:
    recorded: int = 0  # new items, each queued once
    requeued: int = 0  # items queued again: deferred until now, or not done in time
    missed: int = 0  # items still waiting more than CATCH_UP after they fell due: skipped
    pruned: int = 0
    failed: list[str] = field(default_factory=list)  # sweeps whose find() raised

    def __str__(self) -> str:
        text = (
            f"recorded {self.recorded}, queued again {self.requeued}, "
            f"skipped as missed {self.missed}, forgotten {self.pruned}"
        )
        return text + (f"; failed: {', '.join(self.failed)}" if self.failed else "")


def sweep_run(*, now: datetime | None = None) -> SweepReport:
    """Run every registered sweep once. Call outside a transaction (each item commits alone)."""
    now = (now or timezone.now()).astimezone(UTC)
    after, until = sweep_window(now)
    report = SweepReport()
    for sweep in registered_sweeps():
        try:
            items = [item for item in sweep.find(after, until) if after < item.when <= until]
        except Exception as error:  # one app's failure must not stop the others' reminders
            logger.error(
                "Sweep %s failed to find what is due: %s", sweep.name, type(error).__name__
            )
            report.failed.append(sweep.name)
            continue
        report.recorded += _record(sweep.name, items, now=now)
    report.missed = ScheduledSend.objects.filter(state=State.PENDING, due_at__lte=after).update(
        state=State.SKIPPED, finished_at=now
    )
    report.requeued = _requeue(after=after, now=now)
    report.pruned, _ = ScheduledSend.objects.filter(
        due_at__lt=now - KEEP, state__in=[State.DONE, State.SKIPPED, State.FAILED]
    ).delete()
    return report


def _existing_keys(sweep: str, items: list[Due]) -> set[tuple[str, str, datetime]]:
    """Keys already recorded, read in one query so that a sweep tries to insert only new ones."""
    slots = [item.slot for item in items]
    rows = ScheduledSend.objects.filter(sweep=sweep, slot__gte=min(slots), slot__lte=max(slots))
    return set(rows.values_list("kind", "subject", "slot"))


def _record(sweep: str, items: list[Due], *, now: datetime) -> int:
    if not items:
        return 0
    existing = _existing_keys(sweep, items)
    recorded = 0
    for item in items:
        if (item.kind, item.subject, item.slot) in existing:
            continue
        try:
            with transaction.atomic():
                row = ScheduledSend.objects.create(
                    sweep=sweep,
                    kind=item.kind,
                    subject=item.subject,
                    slot=item.slot.astimezone(UTC),
                    due_at=item.when.astimezone(UTC),
                    enqueued_at=now,
                )
                transaction.on_commit(partial(_enqueue, row.pk))
        except IntegrityError:
            continue  # another worker recorded it a moment ago; that one queues it
        recorded += 1
    return recorded


def _requeue(*, after: datetime, now: datetime) -> int:
    """Queue again the waiting items whose time has come: deferred ones (never queued since),
    and ones queued RETRY_AFTER ago and still not done (their worker died, or the send failed).
    The conditional UPDATE lets only one sweeping worker queue each."""
    waiting = ScheduledSend.objects.filter(
        state=State.PENDING, due_at__gt=after, due_at__lte=now
    ).filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - RETRY_AFTER))
    requeued = 0
    for pk, queued_at in waiting.values_list("pk", "enqueued_at"):
        same = Q(enqueued_at__isnull=True) if queued_at is None else Q(enqueued_at=queued_at)
        if ScheduledSend.objects.filter(same, pk=pk, state=State.PENDING).update(enqueued_at=now):
            transaction.on_commit(partial(_enqueue, pk))
            requeued += 1
    return requeued


def _enqueue(send_id: int) -> None:
    from confide.core.tasks import run_scheduled_send

    run_scheduled_send.enqueue(send_id)


def scheduled_send_run(*, send_id: int, now: datetime | None = None) -> str:
    """Do one recorded item if it still waits and its time has come; returns what happened.

    Safe to run twice, or twice at once: the row is locked (SELECT ... FOR UPDATE; on SQLite
    the write transaction itself) and leaves `pending` in the transaction that sends. A send
    that raises leaves the item pending with one more attempt counted, for the sweep to queue
    again after RETRY_AFTER; after MAX_ATTEMPTS it is marked failed.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _run_locked(send_id, now)
    except Exception as error:  # any failure is counted and retried the same way
        return _after_failure(send_id, error, now=now)


def _run_locked(send_id: int, now: datetime) -> str:
    row = ScheduledSend.objects.select_for_update().filter(pk=send_id, state=State.PENDING).first()
    if row is None:
        return "gone"  # done, skipped or failed already: a second run does nothing
    if row.due_at > now:
        return "waiting"  # deferred; the sweep queues it again when its time comes
    sweep = sweep_named(row.sweep)
    if row.due_at <= now - CATCH_UP or sweep is None:
        _finish(row, State.SKIPPED, now)
        return "missed" if sweep is not None else "unknown sweep"
    outcome = sweep.send(row, now)
    if isinstance(outcome, Defer):
        row.due_at, row.enqueued_at = max(outcome.until, now), None
        row.save(update_fields=["due_at", "enqueued_at"])
        return "deferred"
    _finish(row, State.DONE if outcome == Sent.DONE else State.SKIPPED, now)
    return str(outcome)


def _finish(row: ScheduledSend, state: str, now: datetime) -> None:
    row.state, row.finished_at = state, now
    row.save(update_fields=["state", "finished_at"])


def _after_failure(send_id: int, error: Exception, *, now: datetime) -> str:
    ScheduledSend.objects.filter(pk=send_id, state=State.PENDING).update(attempts=F("attempts") + 1)
    row = ScheduledSend.objects.filter(pk=send_id).first()
    attempts = row.attempts if row is not None else 0
    # Ids and the error's type only: an error message might quote someone's text.
    logger.warning(
        "Scheduled item %s failed (attempt %s of %s): %s",
        send_id,
        attempts,
        MAX_ATTEMPTS,
        type(error).__name__,
    )
    if attempts >= MAX_ATTEMPTS:
        ScheduledSend.objects.filter(pk=send_id, state=State.PENDING).update(
            state=State.FAILED, finished_at=now
        )
        return "failed"
    return "retry"


def housekeeping_run(*, now: datetime | None = None) -> None:
    """What every worker also does once a minute: take back the tasks of dead workers, and
    forget idempotency keys older than a day. Both are conditional writes, safe on many
    workers at once."""
    tasks_reclaim(now=now)
    idempotency_keys_purge(now=now)


class SweepThread(threading.Thread):
    """Runs sweep_run at once, then at the start of every minute, until stop().

    A sweep that fails is logged and the next minute tries again, so one bad minute never stops
    the schedule. The thread closes its database connections after each sweep.
    """

    def __init__(self, *, every: float = 60.0) -> None:
        super().__init__(name="confide-sweep", daemon=True)
        self.every = every
        self.swept = threading.Event()  # set after each sweep (for tests and health checks)
        self._stopping = threading.Event()

    def run(self) -> None:
        while True:
            self.sweep_once()
            if self._stopping.wait(self.every - time.time() % self.every):
                return

    def sweep_once(self) -> SweepReport | None:
        try:
            housekeeping_run()
        except Exception as error:  # taking tasks back must not stop the reminders
            logger.error("Housekeeping failed; it runs again in a minute: %s", type(error).__name__)
        try:
            report = sweep_run()
        except Exception as error:
            logger.error("The sweep failed; it runs again in a minute: %s", type(error).__name__)
            return None
        else:
            if report.recorded or report.requeued or report.missed or report.failed:
                logger.info("Sweep: %s", report)
            return report
        finally:
            connections.close_all()
            self.swept.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)
