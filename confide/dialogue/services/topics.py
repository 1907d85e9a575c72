from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.dialogue.models import MAX_STARTUP, MAX_TITLE, Topic
from confide.dialogue.services import DialogueError
from confide.dialogue.services.sessions import member_or_fail
from confide.pairs.models import Pair


@transaction.atomic
def topic_create(*, pair: Pair, raised_by: User, title: str, startup: str = "") -> Topic:
    member_or_fail(pair, raised_by)
    title, startup = title.strip(), startup.strip()
    if not title:
        raise DialogueError({"title": _("Give the topic a short title.")})
    if len(title) > MAX_TITLE:
        raise DialogueError(
            {"title": _("Keep the title to %(n)d characters or fewer.") % {"n": MAX_TITLE}}
        )
    if len(startup) > MAX_STARTUP:
        raise DialogueError(
            {"startup": _("Keep this to %(n)d characters or fewer.") % {"n": MAX_STARTUP}}
        )
    topic = Topic(pair=pair, space_id=pair.space_id, raised_by=raised_by, title=title)
    topic.startup = startup
    topic.save()
    return topic


@transaction.atomic
def topic_set_status(*, topic: Topic, user: User, status: str) -> Topic:
    topic = Topic.objects.select_for_update().select_related("pair").get(pk=topic.pk)
    member_or_fail(topic.pair, user)
    if status not in Topic.Status.values:
        raise DialogueError({"status": _("Choose one of the listed states.")})
    topic.status = status
    topic.updated_at = timezone.now()
    topic.save(update_fields=["status", "updated_at"])
    return topic
