from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    def __init__(self) -> None:
        super().__init__("The audit log is append-only: entries cannot be changed or deleted.")


class AuditEntry(models.Model):
    """One event. Entries form a keyed hash chain (confide/core/audit.py), numbered by `seq`
    without gaps, so a changed, inserted or removed entry is detected and named."""

    # 1, 2, 3, ... in the order written; ids may skip (a PostgreSQL sequence does on rollback).
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: erasing a person must not rewrite the history.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[models.Manager[AuditEntry]] = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditChainHeadQuerySet(models.QuerySet["AuditChainHead"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditChainHead(models.Model):
    """A single row that is locked while an entry is appended, so the chain never forks. It
    names the last entry (`seq`, `last_hash`) under an HMAC (`mac`), so entries removed from the
    end are noticed; it only ever moves one entry forward (guarded in the database too)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, default="")
    key_id = models.CharField(max_length=16, default="")  # which audit key the log is under

    objects: ClassVar[models.Manager[AuditChainHead]] = AuditChainHeadQuerySet.as_manager()

    def __str__(self) -> str:
        return "audit chain head"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class ScheduledSend(models.Model):
    """One thing a periodic sweep found due: a person's reminder for one slot, a meeting's
    reminder for one occurrence (see confide/core/sweep.py).

    The unique key (sweep, kind, subject, slot) makes each slot happen once, however many
    workers sweep at the same moment: the one whose insert wins queues it, the others skip it.
    Rows hold ids and times only, never text.
    """

    class State(models.TextChoices):
        PENDING = "pending", "waiting"
        DONE = "done", "done"
        SKIPPED = "skipped", "skipped"  # no longer needed, or missed by more than CATCH_UP
        FAILED = "failed", "failed"  # failed MAX_ATTEMPTS times

    sweep = models.CharField(max_length=40)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=64)
    slot = models.DateTimeField()
    due_at = models.DateTimeField()  # the slot, or later (after quiet hours, before a meeting)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["sweep", "kind", "subject", "slot"], name="one_send_per_slot"
            ),
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="pending"),
                name="scheduled_send_pending",
            ),
            models.Index(fields=["sweep", "slot"], name="scheduled_send_sweep_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.sweep}:{self.kind}:{self.subject}@{self.slot:%Y-%m-%dT%H:%MZ}"


class WorkerHeartbeat(models.Model):
    """A task worker that is alive says so here every few seconds (confide/core/tasklease.py).

    A task left RUNNING by a worker whose heartbeat went stale is queued again by the sweep.
    Rows hold a random worker id, a process id and times: nothing about anyone."""

    worker_id = models.CharField(max_length=64, unique=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id}"


class IdempotencyKey(models.Model):
    """A form post's one-time key, claimed in the transaction of the write it guards, with the
    answer that write gave (confide/core/idempotency.py). A retry with the same key gets the
    same answer instead of a second write. `scope` names the person ("u:<id>"); `location` is
    the redirect's URL (ids only, never text). Kept a day, then purged by the sweep."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=2000, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_use_per_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:6]}…"
