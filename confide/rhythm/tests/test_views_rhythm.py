"""The rhythm pages through the client: appreciations, gestures and bids."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.http.response import HttpResponseBase
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.models import Kind, Notification
from confide.pairs.models import Pair
from confide.pairs.tests.factories import make_pair
from confide.rhythm import gestures
from confide.rhythm.models import Appreciation, Bid, GestureIdea, GesturePick
from confide.rhythm.services.appreciations import appreciation_create
from confide.rhythm.services.bids import bid_note
from confide.rhythm.services.gestures import gesture_idea_add, gesture_pick
from tests.personas import client_for

pytestmark = pytest.mark.django_db
WORDS = "canary-words-19ab: you fixed the bike before I asked"
IDEA = "canary-idea-7c21: a picnic on the roof"
CRISIS = "I want to kill myself tonight."
HARSH = "You never listen to me."


def _page(response: HttpResponseBase) -> str:
    return unescape(getattr(response, "content", b"").decode())


def _flash(response: HttpResponseBase) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def url(name: str, pair: Pair, *args: object) -> str:
    return reverse(f"rhythm:{name}", args=[pair.pk, *args])


# --- the pair page ------------------------------------------------------------------------


def test_the_pair_page_has_the_rhythm_section_with_one_tap_bids(
    pair: Pair, alex: User, blake: User
) -> None:
    page = _page(client_for(alex).get(reverse("pairs:detail", args=[pair.pk])))
    assert "You reached out and I turned toward you" in page
    assert "I missed your bid earlier — I'm here now" in page
    for name in ("appreciations", "gestures", "bids", "journey"):
        assert url(name, pair) in page
    assert url("contract", pair) not in page  # off: no link from the pair page


def test_a_bid_from_the_pair_page_comes_back_to_it(pair: Pair, alex: User) -> None:
    home = reverse("pairs:detail", args=[pair.pk])
    response = client_for(alex).post(url("bid", pair), {"kind": "came_back", "next": home})
    assert response["Location"] == home
    assert _flash(response) == ["Noted: you came back to Blake. That counts too."]
    assert Bid.objects.get().kind == "came_back"


@pytest.mark.parametrize("kind", ["", "ignored"])
def test_a_bad_bid_says_so_and_changes_nothing(pair: Pair, alex: User, kind: str) -> None:
    response = client_for(alex).post(url("bid", pair), {"kind": kind, "next": "https://evil.test/"})
    assert response["Location"] == url("bids", pair)  # never to another site
    assert _flash(response) == ["Choose one of the two notes."]
    assert not Bid.objects.exists()


def test_the_bids_page_shows_both_without_blame(
    pair: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    bid_note(pair=pair, person=alex, kind="turned_toward")
    bid_note(pair=pair, person=blake, kind="came_back")
    client = client_for(blake)
    with django_assert_max_num_queries(12):
        page = _page(client.get(url("bids", pair)))
    assert "turned toward 1 bid" in page
    assert "came back to 1" in page
    for word in ("missed bids", "failed", "ignored", "streak"):
        assert word not in page.lower()


# --- appreciations ------------------------------------------------------------------------


def test_an_appreciation_then_a_one_tap_thanks(pair: Pair, alex: User, blake: User) -> None:
    response = client_for(alex).post(url("appreciations", pair), {"text": WORDS})
    assert response["Location"] == url("appreciations", pair)
    appreciation = Appreciation.objects.get()
    page = _page(client_for(blake).get(url("appreciations", pair)))
    assert WORDS in page
    assert url("appreciation_thanks", pair, appreciation.pk) in page
    thanks = client_for(blake).post(url("appreciation_thanks", pair, appreciation.pk))
    assert _flash(thanks) == ["Your thanks are sent."]
    again = client_for(blake).post(url("appreciation_thanks", pair, appreciation.pk))
    assert _flash(again) == ["You have already thanked them for this one."]
    assert Notification.objects.filter(kind=Kind.APPRECIATION_THANKS).count() == 1
    assert "Blake thanked you" in _page(client_for(alex).get(url("appreciations", pair)))


def test_too_long_words_get_a_clear_message_and_nothing_is_saved(pair: Pair, alex: User) -> None:
    response = client_for(alex).post(url("appreciations", pair), {"text": "x" * 1001})
    assert response.status_code == 400
    assert "Keep this to 1000 characters or fewer." in _page(response)
    assert not Appreciation.objects.exists()


def test_harsh_words_show_the_coach_first(pair: Pair, alex: User) -> None:
    client = client_for(alex)
    response = client.post(url("appreciations", pair), {"text": HARSH})
    assert "Before you send: a gentler start?" in _page(response)
    assert not Appreciation.objects.exists()
    client.post(url("appreciations", pair), {"text": HARSH, "send_as_is": "1"})
    assert Appreciation.objects.count() == 1


def test_words_of_crisis_lead_the_writer_to_support_and_can_be_shared_later(
    pair: Pair, alex: User, blake: User
) -> None:
    client = client_for(alex)
    response = client.post(url("appreciations", pair), {"text": CRISIS})
    held = Appreciation.objects.get()
    assert response["Location"].startswith(reverse("safety:support"))
    assert f"entry=appreciation%3A{held.pk}" in response["Location"]
    assert CRISIS not in _page(client_for(blake).get(url("appreciations", pair)))
    assert "Decide whether to share it" in _page(client.get(url("appreciations", pair)))
    client.post(
        reverse("safety:held_decide"), {"entry": f"appreciation:{held.pk}", "action": "share"}
    )
    assert CRISIS in _page(client_for(blake).get(url("appreciations", pair)))
    assert Notification.objects.filter(user=blake, kind=Kind.APPRECIATION).exists()


def test_the_weekly_view_moves_between_weeks(
    pair: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        appreciation_create(pair=pair, author=alex if n % 2 else blake, text=f"{WORDS} {n}")
    client = client_for(alex)
    client.get(url("appreciations", pair))
    with django_assert_max_num_queries(12):
        page = _page(client.get(url("appreciations", pair)))
    assert page.count(WORDS) == 5
    earlier = _page(client.get(url("appreciations", pair) + "?week=2020-01-06"))
    assert WORDS not in earlier
    assert "The week of 6 January" in earlier
    for junk in ("?week=zz", "?week=" + "9" * 300, "?week=2999-01-01", "?week=0001-01-01"):
        assert client.get(url("appreciations", pair) + junk).status_code == 200


def test_thanking_an_appreciation_of_another_pair_is_not_found(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    other = make_pair(alex, casey)
    theirs = appreciation_create(pair=other, author=casey, text=WORDS)
    assert client_for(blake).post(url("appreciation_thanks", pair, theirs.pk)).status_code == 404
    # Through Alex's own pair with Blake, Casey's appreciation is not found either.
    assert client_for(alex).post(url("appreciation_thanks", pair, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.thanked_at is None


# --- gestures -----------------------------------------------------------------------------


def test_pick_a_gesture_mark_it_done_and_twice_is_a_clear_message(
    pair: Pair, alex: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    listed = gestures.catalogue()[7]
    response = client.post(url("gesture_pick", pair), {"gesture": listed.id})
    assert _flash(response) == ["This is your gesture for the week."]
    pick = GesturePick.objects.get()
    with django_assert_max_num_queries(15):
        page = _page(client.get(url("gestures", pair)))
    assert listed.text in page
    done = client.post(url("gesture_done", pair), {"pick": pick.pk})
    assert _flash(done) == ["Done. Thank you for the care you put into it."]
    again = client.post(url("gesture_done", pair), {"pick": pick.pk})
    assert again.status_code == 400
    assert "You have already marked this gesture done." in _page(again)
    pick.refresh_from_db()
    assert pick.is_done


@pytest.mark.parametrize(
    ("data", "status"),
    [({"gesture": "nope"}, 400), ({}, 400), ({"idea": "not-a-uuid"}, 400)],
)
def test_a_bad_pick_is_a_clear_message(
    pair: Pair, alex: User, data: dict[str, str], status: int
) -> None:
    response = client_for(alex).post(url("gesture_pick", pair), data)
    assert response.status_code == status
    assert 'role="alert"' in _page(response)
    assert not GesturePick.objects.exists()


def test_the_partners_done_form_and_ideas_are_not_found(
    pair: Pair, alex: User, blake: User
) -> None:
    pick = gesture_pick(pair=pair, person=alex, gesture_id=gestures.catalogue()[0].id)
    idea = gesture_idea_add(pair=pair, owner=alex, kind="time", effort="minute", text=IDEA)
    client = client_for(blake)
    assert client.post(url("gesture_done", pair), {"pick": pick.pk}).status_code == 404
    assert client.post(url("gesture_pick", pair), {"idea": str(idea.pk)}).status_code == 404
    assert client.post(url("gesture_idea_delete", pair, idea.pk)).status_code == 404
    assert GestureIdea.objects.exists()


def test_own_ideas_and_filters(pair: Pair, alex: User) -> None:
    client = client_for(alex)
    response = client.post(
        url("gesture_idea", pair), {"text": IDEA, "kind": "surprise", "effort": "evening"}
    )
    assert response.status_code == 302
    assert IDEA in _page(client.get(url("gestures", pair)))
    bad = client.post(url("gesture_idea", pair), {"text": "", "kind": "x", "effort": ""})
    assert bad.status_code == 400
    assert "Describe your idea in a few words." in _page(bad)
    assert GestureIdea.objects.count() == 1
    page = client.get(url("gestures", pair) + "?kind=time&effort=evening")
    shown = list(page.context["suggestions"])
    assert shown
    assert {(g.kind, g.effort) for g in shown} == {("time", "evening")}
    for junk in ("?kind=zzz", "?page=x", "?page=999", "?ideas=-1"):
        assert client.get(url("gestures", pair) + junk).status_code == 200


def test_a_partner_never_sees_the_others_gestures(pair: Pair, alex: User, blake: User) -> None:
    idea = gesture_idea_add(pair=pair, owner=alex, kind="time", effort="minute", text=IDEA)
    gesture_pick(pair=pair, person=alex, idea=idea)
    client = client_for(blake)
    for page_url in (
        url("gestures", pair),
        url("appreciations", pair),
        url("journey", pair),
        reverse("pairs:detail", args=[pair.pk]),
        reverse("core:home"),
        reverse("notifications:list"),
    ):
        assert "canary" not in _page(client.get(page_url)), page_url
