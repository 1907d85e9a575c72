"""The database task queue forgets a task once it has run.

A queued task's row holds its arguments (an account id, an address to confirm), so a row kept
after the task ran keeps them for nothing. Successful rows are deleted as soon as any task
finishes; failed ones are kept for FAILED_KEPT so that an operator can look into them
(`confide shell`, the row's traceback), then deleted too. `confide worker` also purges once at
start, for rows left by an earlier version. The receiver is registered when this module is
imported (CoreConfig.ready).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import DatabaseError
from django.db.models import Q
from django.dispatch import receiver
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

FAILED_KEPT = datetime.timedelta(days=7)


def task_rows_purge() -> int:
    """Delete every successful task row and failed ones older than FAILED_KEPT; return how many."""
    cutoff = timezone.now() - FAILED_KEPT
    deleted, _ = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL)
        | Q(status=TaskResultStatus.FAILED, finished_at__lte=cutoff)
    ).delete()
    return deleted


@receiver(task_finished, dispatch_uid="confide.core.taskrows.purge")
def _purge_after_each_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    # The worker sends the backend itself after a success and its class after a failure.
    backend = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend, DatabaseBackend):
        return
    try:
        task_rows_purge()
    except DatabaseError:
        # Raising would make the worker record the task itself as failed; the next finished
        # task tries the purge again.
        logger.warning("Finished task rows could not be purged after task %s", task_result.id)
