"""The thread page: replies a page at a time, one reactions form per post, and a weight that
stays small with a long thread (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, Reaction, Reply, Thread
from confide.circles.selectors import REPLIES_PAGE, ReactionCount, reaction_summaries
from confide.circles.services.posts import reaction_set, reply_create, thread_create
from confide.circles.tests.factories import join
from confide.safety.classifier import use_classifier
from tests.personas import client_for

pytestmark = pytest.mark.django_db

# A reply of an ordinary length for a support circle (about 300 characters).
WORDS = (
    "Thank you for telling us about your week. It sounds like the evenings were the hardest "
    "part, when the house goes quiet. I had weeks like that after my move, and what helped "
    "was one small plan for each evening, even a walk around the block. You are not alone in this."
)


def _thread_with_replies(
    writers: list[Membership], count: int, *, body: str = WORDS
) -> tuple[Thread, list[Reply]]:
    thread = thread_create(
        membership=writers[0], title="Quiet evenings", body=body, content_note=""
    )
    with use_classifier(None, "the test's own words"):
        replies = [
            reply_create(
                membership=writers[n % len(writers)], thread=thread, body=body, content_note=""
            )
            for n in range(count)
        ]
    return thread, replies


def _thread_url(circle: Circle, thread: Thread) -> str:
    return reverse("circles:thread", args=[circle.pk, thread.pk])


def test_a_long_thread_shows_its_replies_a_page_at_a_time_with_earlier_and_later_links(
    circle: Circle, alex_member: Membership, blake_member: Membership, blake: User
) -> None:
    thread, replies = _thread_with_replies([alex_member], 2 * REPLIES_PAGE)
    client = client_for(blake)
    url = _thread_url(circle, thread)

    first = client.get(url).content.decode()
    assert first.count('class="card reply"') == REPLIES_PAGE
    assert f'id="reply-{replies[0].pk}"' in first
    assert f'id="reply-{replies[REPLIES_PAGE].pk}"' not in first
    assert '<a href="?page=2" rel="next">Next</a>' in first
    assert 'rel="prev"' not in first
    assert "Page 1 of 2" in first

    later = client.get(url, {"page": 2}).content.decode()
    assert later.count('class="card reply"') == REPLIES_PAGE
    assert f'id="reply-{replies[REPLIES_PAGE].pk}"' in later
    assert f'id="reply-{replies[-1].pk}"' in later
    assert '<a href="?page=1" rel="prev">Previous</a>' in later
    assert 'rel="next"' not in later
    # Replies are numbered through the thread, not from 1 again on each page.
    assert f'aria-label="Reply {REPLIES_PAGE + 1}"' in later
    assert 'aria-label="Reply 1"' not in later

    # Where a new reply lands, and what an out-of-range page shows: the last page.
    for page in ("last", "99"):
        shown = client.get(url, {"page": page}).content.decode()
        assert f'id="reply-{replies[-1].pk}"' in shown and "Page 2 of 2" in shown, page


def test_each_post_has_one_reactions_form_whose_buttons_give_or_take_back(
    circle: Circle,
    alex_member: Membership,
    blake_member: Membership,
    facilitator: Membership,
    blake: User,
) -> None:
    thread, replies = _thread_with_replies([alex_member], 2)
    reaction_set(membership=blake_member, thread=thread, reply=replies[1], kind="hear", on=True)
    reaction_set(membership=facilitator, thread=thread, reply=replies[1], kind="hear", on=True)
    client = client_for(blake)
    page = client.get(_thread_url(circle, thread)).content.decode()

    react_url = reverse("circles:react", args=[circle.pk, thread.pk])
    forms = re.findall(rf'<form method="post" action="{react_url}">(.*?)</form>', page, re.S)
    assert len(forms) == 3  # the thread and its two replies
    thread_form, first_form, second_form = forms
    assert 'name="reply"' not in thread_form
    assert f'name="reply" value="{replies[0].pk}"' in first_form
    for form in forms:
        assert form.count('name="idempotency_key"') == 1
        assert re.findall(r'name="reaction" value="(?:give|take):(\w+)"', form) == [
            "hear",
            "me_too",
            "thanks",
            "strength",
        ]
    assert 'value="give:hear" class="reaction" aria-pressed="false">I hear you</button>' in (
        first_form
    )
    assert (
        'value="take:hear" class="reaction reaction-mine" aria-pressed="true">I hear you '
        '<span class="reaction-count">2</span></button>'
    ) in second_form

    # Pressing "Me too" on the first reply gives that reaction to that reply only.
    next_url = _thread_url(circle, thread) + "?page=1"
    response = client.post(
        react_url, {"reaction": "give:me_too", "reply": str(replies[0].pk), "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{next_url}#reply-{replies[0].pk}"
    given = Reaction.objects.get(member=blake_member, kind="me_too")
    assert (given.thread_id, given.reply_id) == (thread.pk, replies[0].pk)
    # Taking back "I hear you" on the second reply leaves Dana's.
    client.post(react_url, {"reaction": "take:hear", "reply": str(replies[1].pk)})
    assert list(Reaction.objects.filter(reply=replies[1]).values_list("member", flat=True)) == [
        facilitator.pk
    ]


def _counts(summary: list[ReactionCount]) -> dict[str, tuple[int, bool]]:
    return {r.kind: (r.count, r.mine) for r in summary if r.count or r.mine}


def test_reaction_summaries_count_the_thread_and_the_replies_shown_in_one_query(
    circle: Circle,
    alex_member: Membership,
    blake_member: Membership,
    facilitator: Membership,
    django_assert_num_queries: object,
) -> None:
    thread, replies = _thread_with_replies([alex_member], 3)
    given = [
        (blake_member, None, "thanks"),
        (facilitator, None, "thanks"),
        (facilitator, None, "strength"),
        (blake_member, replies[0], "hear"),
        (facilitator, replies[0], "hear"),
        (alex_member, replies[0], "me_too"),
        (blake_member, replies[2], "strength"),  # a reply not shown: not counted
    ]
    for member, reply, kind in given:
        reaction_set(membership=member, thread=thread, reply=reply, kind=kind, on=True)
    shown = replies[:2]
    with django_assert_num_queries(1):  # type: ignore[operator]
        summaries = reaction_summaries(viewer=blake_member, thread=thread, replies=shown)
    assert set(summaries) == {None, replies[0].pk, replies[1].pk}
    assert [r.kind for r in summaries[None]] == ["hear", "me_too", "thanks", "strength"]
    assert [r.label for r in summaries[None]][0] == "I hear you"
    table = {
        None: {"thanks": (2, True), "strength": (1, False)},
        replies[0].pk: {"hear": (2, True), "me_too": (1, False)},
        replies[1].pk: {},
    }
    assert {post: _counts(summary) for post, summary in summaries.items()} == table
    # What each button offers: take back what the viewer gave, give the rest.
    assert [r.button for r in summaries[replies[0].pk]] == [
        "take:hear",
        "give:me_too",
        "give:thanks",
        "give:strength",
    ]


def test_a_thread_page_with_50_replies_stays_well_under_the_page_weight_limit(
    circle: Circle,
    alex_member: Membership,
    blake_member: Membership,
    facilitator: Membership,
    casey: User,
) -> None:
    """Issue 14: a key page transfers less than 100 KB with its stylesheet and scripts (about
    20 KB); the thread's HTML, every reply by someone else (so each has its report and block
    controls) and with reactions, keeps under 80 KB. It weighed 118 KB with a form per reaction."""
    reader = join(circle, casey, "Pebble")
    thread, replies = _thread_with_replies([alex_member, blake_member, facilitator], 50)
    for reply in replies[:REPLIES_PAGE]:
        reaction_set(membership=reader, thread=thread, reply=reply, kind="hear", on=True)
        reaction_set(membership=alex_member, thread=thread, reply=reply, kind="thanks", on=True)
    response = client_for(casey).get(_thread_url(circle, thread))
    page = response.content.decode()
    assert page.count('class="card reply"') == REPLIES_PAGE
    assert page.count(">Report this reply by ") == REPLIES_PAGE
    assert page.count('aria-pressed="true"') == REPLIES_PAGE
    assert len(response.content) < 80 * 1024, len(response.content)
