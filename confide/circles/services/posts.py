"""Threads, replies, validating reactions, and the approval of held first posts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.circles.models import (
    MAX_CONTENT_NOTE,
    MAX_POST,
    MAX_TITLE,
    Membership,
    PostStatus,
    Reaction,
    ReactionKind,
    Reply,
    Thread,
)
from confide.circles.services import CircleError
from confide.core.audit import audit_log
from confide.moderation import screening as moderation  # hooks: screening and restrictions
from confide.moderation.models import Block
from confide.notifications.models import Kind
from confide.notifications.services import notify
from confide.safety.services import remember


def require_can_post(membership: Membership) -> None:
    if not membership.is_active:
        raise CircleError(_("You are no longer a member of this circle."))
    if not membership.has_accepted_guidelines:
        raise CircleError(
            _("Please read and accept the circle's current guidelines before you post.")
        )


def _clean(text: str, *, limit: int, what: str, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise CircleError(_("Write %(what)s before sending.") % {"what": what})
    if len(text) > limit:
        raise CircleError(
            _("Keep %(what)s to %(n)d characters or fewer (it has %(len)d).")
            % {"what": what, "n": limit, "len": len(text)}
        )
    return text


def _status_for(membership: Membership) -> str:
    held = membership.circle.hold_first_posts and not (
        membership.trusted or membership.is_facilitator
    )
    return PostStatus.HELD if held else PostStatus.PUBLISHED


@transaction.atomic
def thread_create(*, membership: Membership, title: str, body: str, content_note: str) -> Thread:
    """A new thread; held for a facilitator when the circle holds new members' first posts."""
    require_can_post(membership)
    moderation.require_not_muted(membership)  # moderation hook: a muted member waits
    thread = Thread(
        circle_id=membership.circle_id,
        space_id=membership.circle.space_id,
        author=membership,
        title=_clean(title, limit=MAX_TITLE, what=_("a title")),
        body=_clean(body, limit=MAX_POST, what=_("your post")),
        content_note=_clean(
            content_note, limit=MAX_CONTENT_NOTE, what=_("the content note"), required=False
        ),
        status=_status_for(membership),
    )
    # Moderation hook: slurs and probation hold the post; crisis words alert the facilitators.
    check = moderation.screen_post(thread.title, thread.body, thread.content_note)
    thread.status = moderation.status_on_write(membership, thread.status, check.screening)
    thread.save()
    moderation.alert_on_write(membership, thread, check.screening)
    remember(thread, check)
    audit_log(
        actor=membership.user,
        action="circles.thread.created",
        target=thread,
        data={"status": thread.status},
    )
    return thread


@transaction.atomic
def reply_create(
    *,
    membership: Membership,
    thread: Thread,
    body: str,
    content_note: str,
    send_as_is: bool = True,
) -> Reply:
    """A reply, screened once as stored; harsh words raise `CoachFirst` unless `send_as_is`."""
    require_can_post(membership)
    moderation.require_not_muted(membership)  # moderation hook: a muted member waits
    if thread.status != PostStatus.PUBLISHED:
        raise CircleError(_("Replies open once this thread is approved."))
    reply = Reply(
        thread=thread,
        space_id=membership.circle.space_id,
        author=membership,
        body=_clean(body, limit=MAX_POST, what=_("your reply")),
        content_note=_clean(
            content_note, limit=MAX_CONTENT_NOTE, what=_("the content note"), required=False
        ),
        status=_status_for(membership),
    )
    # Moderation hook: slurs and probation hold the reply; crisis words alert the facilitators.
    check = moderation.screen_post(
        reply.body, reply.content_note, send_as_is=send_as_is, coached=True
    )
    reply.status = moderation.status_on_write(membership, reply.status, check.screening)
    reply.save()
    moderation.alert_on_write(membership, reply, check.screening)
    remember(reply, check)
    if reply.status == PostStatus.PUBLISHED:
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=reply.created_at
        )
        tell_author_of_reply(reply)
    audit_log(
        actor=membership.user,
        action="circles.reply.created",
        target=reply,
        data={"status": reply.status},
    )
    return reply


def tell_author_of_reply(reply: Reply) -> None:
    """A published reply: its thread's author hears of it (never its words)."""
    thread = Thread.objects.select_related("author__user", "author__circle").get(pk=reply.thread_id)
    _tell_author(
        thread.author,
        Membership.objects.get(pk=reply.author_id),
        kind=Kind.CIRCLE_REPLY,
        event_key=f"circle_reply:{reply.pk}",
        title=_("%(name)s replied to your post in %(circle)s"),
        url=moderation.post_url(reply),
    )


def _tell_author(
    author: Membership, actor: Membership, *, kind: str, event_key: str, title: str, url: str
) -> None:
    """Not for one's own posts, nor from someone the author blocked or who has left."""
    if author.pk == actor.pk or not author.is_active:
        return
    if Block.objects.filter(blocker_id=author.pk, blocked_id=actor.pk).exists():
        return
    author = Membership.objects.select_related("user", "circle").get(pk=author.pk)
    notify(
        user=author.user,
        kind=kind,
        event_key=event_key,
        title=title % {"name": actor.pseudonym, "circle": author.circle.name},
        url=url,
    )


@transaction.atomic
def reaction_set(
    *, membership: Membership, thread: Thread, reply: Reply | None, kind: str, on: bool
) -> None:
    """Give (on) or take back (off) one reaction. The page says which it offers, so a form sent
    twice, or from an old page, is told what happened instead of flipping the reaction back."""
    if kind not in ReactionKind.values:
        raise CircleError(_("Choose one of the listed reactions."))
    require_can_post(membership)
    target_status = reply.status if reply is not None else thread.status
    if target_status != PostStatus.PUBLISHED:
        raise CircleError(_("You can react once this post is approved."))
    existing = Reaction.objects.filter(thread=thread, reply=reply, member=membership, kind=kind)
    if not on:
        if not existing.delete()[0]:
            raise CircleError(_("You had not given this reaction, so there is nothing to undo."))
        return
    if existing.exists():
        raise CircleError(_("You have already given this reaction."))
    try:
        with transaction.atomic():
            Reaction.objects.create(thread=thread, reply=reply, member=membership, kind=kind)
    except IntegrityError:
        raise CircleError(_("You have already given this reaction.")) from None
    post: Thread | Reply = reply if reply is not None else thread
    _tell_author(
        post.author,
        membership,
        kind=Kind.CIRCLE_REACTION,
        event_key=f"circle_reaction:{post.pk}:{membership.pk}:{kind}",
        title=_("%(name)s reacted to your post in %(circle)s"),
        url=moderation.post_url(post),
    )


@transaction.atomic
def post_decide(
    *, membership: Membership, thread: Thread | None, reply: Reply | None, approve: bool
) -> None:
    """A facilitator approves or declines a held post. Approving trusts its author from then on."""
    if not membership.is_facilitator:
        raise CircleError(_("Only the circle's facilitators can do this."))
    post: Thread | Reply | None = reply if reply is not None else thread
    if post is None:
        raise CircleError(_("This post no longer exists."))
    model = type(post)
    post = model.objects.select_for_update().select_related("author").get(pk=post.pk)
    if post.status != PostStatus.HELD:
        raise CircleError(_("This post has already been decided."))
    post.status = PostStatus.PUBLISHED if approve else PostStatus.DECLINED
    post.save(update_fields=["status"])
    if approve:
        Membership.objects.filter(pk=post.author_id).update(trusted=True)
        if isinstance(post, Reply):
            Thread.objects.filter(pk=post.thread_id).update(
                reply_count=F("reply_count") + 1, last_activity_at=timezone.now()
            )
            tell_author_of_reply(post)
    audit_log(
        actor=membership.user,
        action="circles.post.approved" if approve else "circles.post.declined",
        target=post,
    )
