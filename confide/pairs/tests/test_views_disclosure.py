"""Words of crisis or fear in a pair stay private to the writer, with no notification, until the
writer chooses to share them, keep them private or delete them (DESIGN.md section F)."""

from __future__ import annotations

from html import unescape

import pytest
from django.http.response import HttpResponseBase
from django.urls import reverse

from confide.accounts.models import User
from confide.dialogue.models import Topic
from confide.notifications.models import Notification
from confide.pairs.models import CheckIn, ListeningReply, Pair, PromptAnswer, PromptRound
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.prompts import prompt_draw
from tests.personas import client_for

pytestmark = pytest.mark.django_db
FEAR = (
    "I'm scared of what Blake will do when Blake gets home tonight. "
    "Blake checks my phone and I'm afraid."
)
CRISIS = "Everyone would be better off without me."
HELD = reverse("safety:held_decide")


def _checkin_form(note: str) -> dict[str, object]:
    return {"mood": "2", "feelings": ["tired"], "needs": ["rest"], "note": note,
            "visibility": "shared"}  # fmt: skip


def _page(response: HttpResponseBase) -> str:
    """The page's text with HTML entities undone, so apostrophes compare as written."""
    return unescape(getattr(response, "content", b"").decode())


def _notified(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def _blakes_checkin(pair: Pair, blake: User) -> CheckIn:
    return checkin_submit(
        pair=pair, author=blake, mood=3, feelings=[], needs=[], note="Long day.",
        visibility="shared",
    )  # fmt: skip


@pytest.mark.parametrize("note", [FEAR, CRISIS, "I want to kill myself tonight."])
def test_a_shared_checkin_with_crisis_or_fear_stays_private_and_unannounced(
    pair: Pair, alex: User, blake: User, note: str
) -> None:
    response = client_for(alex).post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(note))
    assert response["Location"].startswith(reverse("safety:support"))
    assert "entry=checkin" in response["Location"]
    checkin = CheckIn.objects.get()
    assert (checkin.visibility, checkin.withheld) == ("private", True)
    assert checkin.space_id != pair.space_id  # sealed in Alex's private space
    assert _notified(blake) == []
    bob = client_for(blake)
    assert note not in _page(bob.get(reverse("pairs:detail", args=[pair.pk])))
    assert note not in _page(bob.get(reverse("pairs:history", args=[pair.pk])))
    detail = reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk])
    assert bob.get(detail).status_code == 404


def test_the_support_page_asks_and_sharing_tells_the_partner(
    pair: Pair, alex: User, blake: User
) -> None:
    client = client_for(alex)
    url = client.post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(CRISIS))["Location"]
    page = _page(client.get(url))
    assert "Blake has not seen it and has not been told anything" in page
    for choice in ("Share it with Blake now", "Keep it private", "Delete it"):
        assert choice in page
    checkin = CheckIn.objects.get()
    client.post(HELD, {"entry": f"checkin:{checkin.pk}", "action": "share"})
    checkin.refresh_from_db()
    assert (checkin.visibility, checkin.withheld, checkin.space_id) == (
        "shared", False, pair.space_id)  # fmt: skip
    assert checkin.note == CRISIS  # re-sealed under the pair's key, still readable
    assert _notified(blake) == ["partner_checkin"]
    detail = reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk])
    assert CRISIS in _page(client_for(blake).get(detail))


def test_fear_defaults_to_keeping_it_private_and_says_why(pair: Pair, alex: User) -> None:
    client = client_for(alex)
    url = client.post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(FEAR))["Location"]
    page = _page(client.get(url))
    assert page.index("Keep it private") < page.index("Share it with Blake")
    assert "sharing it could make things less safe for you" in page


def test_keep_private_and_delete(pair: Pair, alex: User, blake: User) -> None:
    client = client_for(alex)
    client.post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(FEAR))
    checkin = CheckIn.objects.get()
    client.post(HELD, {"entry": f"checkin:{checkin.pk}", "action": "keep"})
    checkin.refresh_from_db()
    assert (checkin.visibility, checkin.withheld) == ("private", False)
    client.post(HELD, {"entry": f"checkin:{checkin.pk}", "action": "delete"})
    assert not CheckIn.objects.exists()
    assert _notified(blake) == []


def test_nobody_else_can_decide_and_bad_choices_change_nothing(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    client_for(alex).post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(CRISIS))
    checkin = CheckIn.objects.get()
    for other in (blake, casey):
        client_for(other).post(HELD, {"entry": f"checkin:{checkin.pk}", "action": "share"})
        client_for(other).post(HELD, {"entry": f"checkin:{checkin.pk}", "action": "delete"})
    for bad in (
        {"entry": f"checkin:{checkin.pk}", "action": "publish"},
        {"entry": "checkin:not-a-uuid", "action": "share"},
        {"entry": f"nothing:{checkin.pk}", "action": "share"},
        {"entry": "", "action": ""},
    ):
        response = client_for(alex).post(HELD, bad)
        assert response.status_code == 302
    checkin.refresh_from_db()
    assert (checkin.visibility, checkin.withheld) == ("private", True)
    assert _notified(blake) == []


def test_a_reply_with_crisis_words_is_withheld_until_shared(
    pair: Pair, alex: User, blake: User
) -> None:
    theirs = _blakes_checkin(pair, blake)
    Notification.objects.all().delete()
    client = client_for(alex)
    response = client.post(
        reverse("pairs:reply", args=[pair.pk, theirs.pk]), {"kind": "reflect", "text": CRISIS}
    )
    assert "entry=reply" in response["Location"]
    reply = ListeningReply.objects.get()
    assert reply.withheld and reply.space_id != pair.space_id
    assert _notified(blake) == []
    detail = reverse("pairs:checkin_detail", args=[pair.pk, theirs.pk])
    assert CRISIS not in _page(client_for(blake).get(detail))
    assert CRISIS in _page(client.get(detail))  # the writer still sees their words
    client.post(HELD, {"entry": f"reply:{reply.pk}", "action": "share"})
    assert CRISIS in _page(client_for(blake).get(detail))
    assert _notified(blake) == ["listening_reply"]


def test_a_prompt_answer_with_fear_is_not_counted_and_not_announced(
    pair: Pair, alex: User, blake: User
) -> None:
    prompt_round = prompt_draw(pair=pair, user=blake, level=1)
    Notification.objects.all().delete()
    client = client_for(alex)
    client.post(reverse("pairs:answer", args=[pair.pk, prompt_round.pk]), {"text": FEAR})
    answer = PromptAnswer.objects.get()
    assert answer.withheld
    assert _notified(blake) == []
    # Blake answers: nothing is revealed, because Alex's answer does not count yet.
    client_for(blake).post(
        reverse("pairs:answer", args=[pair.pk, prompt_round.pk]), {"text": "Our first walk."}
    )
    prompt_round.refresh_from_db()
    assert not prompt_round.is_revealed
    prompts = reverse("pairs:prompts", args=[pair.pk])
    assert FEAR not in _page(client_for(blake).get(prompts))
    # Alex may keep it private and answer again to share; or share it, which reveals both.
    client.post(HELD, {"entry": f"answer:{answer.pk}", "action": "share"})
    prompt_round = PromptRound.objects.get(pk=prompt_round.pk)
    assert prompt_round.is_revealed
    assert FEAR in _page(client_for(blake).get(prompts))


def test_a_topic_with_fear_is_on_the_writers_list_only(pair: Pair, alex: User, blake: User) -> None:
    client = client_for(alex)
    topics = reverse("dialogue:topics", args=[pair.pk])
    response = client.post(topics, {"title": "He threatened to hurt me", "startup": ""})
    assert "entry=topic" in response["Location"]
    topic = Topic.objects.get()
    assert topic.withheld and topic.space_id != pair.space_id
    bob = client_for(blake)
    assert "He threatened to hurt me" not in _page(bob.get(topics))
    assert bob.get(reverse("dialogue:topic", args=[pair.pk, topic.pk])).status_code == 404
    assert "He threatened to hurt me" in _page(client.get(topics))
    client.post(HELD, {"entry": f"topic:{topic.pk}", "action": "share"})
    assert "He threatened to hurt me" in _page(bob.get(topics))


@pytest.mark.learned_screener
def test_warning_signs_without_the_rules_words_are_kept_with_the_writer_too(
    pair: Pair, alex: User, blake: User
) -> None:
    """The learned heads hear what the rules miss; the page says so gently ("maybe")."""
    note = "I've given my guitar to Sam and written letters to everyone I love."
    client = client_for(alex)
    response = client.post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(note))
    assert "kind=maybe" in response["Location"]
    checkin = CheckIn.objects.get()
    assert (checkin.visibility, checkin.withheld) == ("private", True)
    assert _notified(blake) == []
    page = _page(client.get(response["Location"]))
    assert "Before anyone else sees this" in page
    assert "Share it with Blake now" not in page  # "maybe" keeps it private first
    assert page.index("Keep it private") < page.index("Share it with Blake")
