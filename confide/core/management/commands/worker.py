from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from confide.core.sweep import SweepThread, housekeeping_run, sweep_run
from confide.core.tasklease import (
    HeartbeatThread,
    heartbeat_beat,
    heartbeat_end,
    new_worker_id,
)
from confide.core.taskrows import task_rows_purge


class Command(BaseCommand):
    help = (
        "Run the background task worker (emails, reminders) with the scheduler, which every "
        "minute queues what is due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Sweep once, run what is due, then exit."
        )
        parser.add_argument(
            "--sweep-once",
            action="store_true",
            help="Record and queue what is due now, print a summary, then exit (runs no task).",
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sweep_once"]:
            self.stdout.write(f"Sweep: {sweep_run()}")
            return
        # Rows of tasks that ran before this start (older versions kept them all); from now on
        # each finished task purges them (confide/core/taskrows.py).
        task_rows_purge()
        worker_id = new_worker_id()
        worker = ["db_worker", "--interval", str(options["interval"]), "--no-reload"]
        worker += ["--worker-id", worker_id]
        # The heartbeat tells the other workers' sweeps that the tasks this one runs are not
        # abandoned (confide/core/tasklease.py).
        if options["batch"]:
            # A batch runs what is queued now and stops: one beat on this thread's own
            # connection (a thread of its own would commit beside the caller's transaction).
            heartbeat_beat(worker_id=worker_id)
            try:
                housekeeping_run()
                sweep_run()
                call_command(*worker, "--batch")
            finally:
                heartbeat_end(worker_id=worker_id)
            return
        heartbeat = HeartbeatThread(worker_id=worker_id)
        heartbeat.start()
        heartbeat.beaten.wait(10)
        try:
            # The sweep runs in a thread beside the task loop; every worker may run one, since
            # the unique key of each slot lets only one of them queue it.
            scheduler = SweepThread()
            scheduler.start()
            try:
                call_command(*worker)
            finally:
                scheduler.stop()
        finally:
            heartbeat.stop()
