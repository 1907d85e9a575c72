from __future__ import annotations

from django.http import Http404

from confide.accounts.models import User
from confide.notifications.models import Notification


def access_notification(user: User, notification_id: int) -> Notification:
    """One of the person's own notifications. Anyone else's is a 404, so nobody learns it exists."""
    notification = Notification.objects.filter(pk=notification_id, user_id=user.pk).first()
    if notification is None:
        raise Http404
    return notification
