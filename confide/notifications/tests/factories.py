from __future__ import annotations

import factory

from confide.accounts.tests.factories import UserFactory
from confide.notifications.models import Kind, Notification


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = Kind.PARTNER_CHECKIN
    event_key = factory.Sequence(lambda n: f"test-event:{n}")
    title = factory.Sequence(lambda n: f"Something happened, number {n}")
    url = factory.Sequence(lambda n: f"/pairs/{n}/")
