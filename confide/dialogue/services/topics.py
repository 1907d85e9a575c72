from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.dialogue.models import MAX_STARTUP, MAX_TITLE, Topic
from confide.dialogue.services import DialogueError
from confide.dialogue.services.sessions import member_or_fail
from confide.pairs.models import Pair
from confide.privacy.keys import person_space
from confide.safety.services import remember, screen_write


@transaction.atomic
def topic_create(
    *, pair: Pair, raised_by: User, title: str, startup: str = "", send_as_is: bool = True
) -> Topic:
    """A topic on the pair's list, screened once (title and start-up as stored): words of
    crisis or fear keep it with the person who raised it until they choose to share it."""
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
    check = screen_write(text=f"{title}\n{startup}" if startup else title, send_as_is=send_as_is)
    withheld = check.keep_private
    space_id = person_space(user=raised_by).pk if withheld else pair.space_id
    topic = Topic(pair=pair, space_id=space_id, raised_by=raised_by, title=title, withheld=withheld)
    topic.startup = startup
    topic.save()
    remember(topic, check)
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


def _own_withheld_topic(user: User, topic_id: uuid.UUID) -> Topic:
    topic = (
        Topic.objects.select_for_update()
        .select_related("pair__space")
        .filter(pk=topic_id, raised_by=user)
        .first()
    )
    if topic is None:
        raise DialogueError(_("This entry was not found. It may already be deleted."))
    return topic


@transaction.atomic
def topic_share(*, user: User, topic_id: uuid.UUID) -> Topic:
    """Put a topic kept private after a safety finding on the pair's shared list."""
    topic = _own_withheld_topic(user, topic_id)
    member_or_fail(topic.pair, user)
    if topic.withheld:
        topic.withheld = False
        topic.space = topic.pair.space  # the sealed fields re-seal under it on save
        topic.updated_at = timezone.now()
        topic.save()
    return topic


@transaction.atomic
def topic_delete(*, user: User, topic_id: uuid.UUID) -> None:
    """Delete a topic the person raised and kept private (a shared topic stays on the list)."""
    topic = _own_withheld_topic(user, topic_id)
    if not topic.withheld:
        raise DialogueError(_("A shared topic stays on your pair's list; mark it resolved."))
    topic.delete()
