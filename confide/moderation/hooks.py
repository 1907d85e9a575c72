"""What circles' post views call (hooks): the writer's side of screening (support after a post;
the screening itself is safety.services.screen_write, called by the post services), and what a
viewer sees of hidden posts and of members they blocked."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.circles.models import Membership, Reply, Thread
from confide.moderation.models import Block, HiddenPost, Standing
from confide.safety.services import WriteCheck, support_url


def held_message(membership: Membership, check: WriteCheck | None) -> str | None:
    """Why a post waits for a facilitator, when moderation held it; None for other holds."""
    if check is not None and check.slur:
        return _(
            "Your post waits for a facilitator: some words in it may hurt people for who they "
            "are. A facilitator will read it soon."
        )
    if Standing.objects.filter(membership_id=membership.pk, probation=True).exists():
        return _("Your post waits for a facilitator, who reviews your posts for now.")
    return None


def after_post(
    request: HttpRequest, check: WriteCheck | None, person: User, where: str, next_url: str
) -> HttpResponse:
    """Crisis or fear words: support for the writer first, then on to the post."""
    url = support_url(check=check, writer=person, next_url=next_url, where=where)
    if check is not None and check.crisis:
        messages.info(
            request,
            _(
                "The circle's facilitators have been told that a member may need support, "
                "so they can reach out. They see your post, nothing more."
            ),
        )
    return redirect(url or next_url)


def annotate_posts(viewer: Membership, thread: Thread, replies: Iterable[Reply]) -> None:
    """Mark what this viewer sees of each post: `moderation_hidden` (a facilitator hid it),
    `moderation_conceal` (hidden, and the viewer is neither a facilitator nor its author) and
    `moderation_collapse` (the viewer blocked its author)."""
    hidden_replies = set(
        HiddenPost.objects.filter(thread=thread).values_list("reply_id", flat=True)
    )
    blocked = set(Block.objects.filter(blocker=viewer).values_list("blocked_id", flat=True))
    posts: list[tuple[Thread | Reply, bool]] = [(thread, None in hidden_replies)]
    posts += [(reply, reply.pk in hidden_replies) for reply in replies]
    for post, is_hidden in posts:
        conceal = is_hidden and not viewer.is_facilitator and post.author_id != viewer.pk
        # Template-only attributes, read by moderation/partials.html.
        setattr(post, "moderation_hidden", is_hidden)  # noqa: B010
        setattr(post, "moderation_conceal", conceal)  # noqa: B010
        setattr(post, "moderation_collapse", not conceal and post.author_id in blocked)  # noqa: B010
