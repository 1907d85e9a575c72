"""Background work for circles. Tasks take ids and are safe to run twice.

Meeting reminders are found and queued by the scheduler's sweep (see meeting_reminders_due);
this task stays so that reminders queued before the scheduler existed still run, once each.
"""

from __future__ import annotations

from django.tasks import task


@task()
def send_meeting_reminder(meeting_id: str, occurrence: str) -> int:
    from confide.circles.services.meetings import meeting_reminder_send

    return meeting_reminder_send(meeting_id=meeting_id, occurrence=occurrence)
