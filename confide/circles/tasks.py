"""Background work for circles. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.tasks import task


@task()
def send_meeting_reminder(meeting_id: str, occurrence: str) -> int:
    from confide.circles.services.meetings import meeting_reminder_send

    return meeting_reminder_send(meeting_id=meeting_id, occurrence=occurrence)
