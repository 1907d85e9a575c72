"""Background tasks of the scheduler. They take ids and are safe to run twice."""

from __future__ import annotations

from django.tasks import task

from confide.core.sweep import scheduled_send_run


@task()
def run_scheduled_send(send_id: int) -> str:
    """Do one item a sweep recorded (see confide/core/sweep.py)."""
    return scheduled_send_run(send_id=send_id)
