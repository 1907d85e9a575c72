"""The task queue keeps only what a task needs, and forgets a task once it has run.

These use the production (database) task backend: enqueued tasks wait as rows until
`run_due_tasks()` does what the worker does.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from confide.accounts import tasks
from confide.accounts.models import User
from confide.core.taskrows import FAILED_KEPT, task_rows_purge
from confide.notifications.tests.conftest import DATABASE_TASKS, run_due_tasks
from tests.personas import CommitClient

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password_reset")


@pytest.fixture(autouse=True)
def _database_tasks(settings: Settings) -> None:
    settings.TASKS = DATABASE_TASKS


def everything_in_the_task_table() -> str:
    return " ".join(str(row) for row in DBTaskResult.objects.values())


@pytest.mark.parametrize("typed", ["Nobody.Canary@Example.org", "nobody.canary@example.org"])
def test_a_reset_for_an_address_without_an_account_stores_no_address(typed: str) -> None:
    response = CommitClient().post(RESET, {"email": typed})

    assert response.status_code == 302
    assert "canary" not in everything_in_the_task_table().lower()
    run_due_tasks()
    assert mail.outbox == []


def test_a_reset_for_a_known_address_queues_the_account_id_only(alex: User) -> None:
    CommitClient().post(RESET, {"email": "ALEX@example.org"})

    [row] = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [alex.pk], "kwargs": {}}
    assert "alex" not in everything_in_the_task_table().lower()
    run_due_tasks()
    assert [m.to for m in mail.outbox] == [[alex.email]]


def test_both_answers_cost_one_queued_task_so_timing_tells_nothing(alex: User) -> None:
    CommitClient().post(RESET, {"email": alex.email})
    CommitClient().post(RESET, {"email": "nobody@example.org"})

    assert DBTaskResult.objects.count() == 2


def test_a_finished_task_leaves_no_row_behind(alex: User) -> None:
    CommitClient().post(RESET, {"email": alex.email})
    CommitClient().post(RESET, {"email": "nobody@example.org"})
    assert DBTaskResult.objects.count() == 2

    run_due_tasks()

    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.exists()


def test_a_reset_queued_before_the_upgrade_is_dropped_without_sending(alex: User) -> None:
    # Rows queued by an older version carry the typed address; they run as a no-op and go.
    # The argument older versions passed: the typed address.
    tasks.send_password_reset.enqueue(alex.email)  # type: ignore[arg-type]

    run_due_tasks()

    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


def test_failed_rows_are_kept_for_a_week_to_be_looked_into_then_purged(alex: User) -> None:
    start = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        failed = tasks.send_password_changed_notice.enqueue(alex.pk)
        DBTaskResult.objects.filter(id=failed.id).update(
            status="FAILED", finished_at=timezone.now()
        )
        waiting = tasks.send_password_changed_notice.enqueue(alex.pk)
        task_rows_purge()
        assert DBTaskResult.objects.count() == 2
    with time_machine.travel(start + FAILED_KEPT + dt.timedelta(minutes=1), tick=False):
        task_rows_purge()
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [
        DBTaskResult.objects.get(id=waiting.id).id
    ]


def test_the_worker_command_purges_rows_left_from_before(alex: User) -> None:
    from django.core.management import call_command

    done = tasks.send_password_changed_notice.enqueue(alex.pk)
    DBTaskResult.objects.filter(id=done.id).update(status="SUCCESSFUL", finished_at=timezone.now())

    with mock.patch("confide.core.management.commands.worker.call_command") as db_worker:
        call_command("worker", "--batch")

    db_worker.assert_called_once()  # the worker itself starts after the purge
    assert not DBTaskResult.objects.exists()
