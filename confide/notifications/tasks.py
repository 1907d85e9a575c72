"""Background email for notifications. The task is safe to run twice: delivery claims each
notification before sending, so a second run sends nothing."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.tasks import task

from confide.notifications.delivery import notification_email_deliver

logger = logging.getLogger(__name__)


def _send_later(notification_id: int, run_after: datetime.datetime) -> None:
    if not send_notification_email.get_backend().supports_defer:
        # Only a test or development backend runs tasks at once and cannot wait; the
        # notification stays pending rather than being sent in quiet hours or in a tight loop.
        logger.warning(
            "The task backend cannot defer; the email for notification %s is not retried",
            notification_id,
        )
        return
    send_notification_email.using(run_after=run_after).enqueue(notification_id)


@task()
def send_notification_email(notification_id: int) -> str:
    outcome = notification_email_deliver(
        notification_id=notification_id, reschedule=partial(_send_later, notification_id)
    )
    return str(outcome)
