from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.pairs.models import CheckIn, Pair, PairInvitation
from confide.pairs.services.checkins import checkin_submit, reply_create
from confide.pairs.services.pairing import pair_leave
from confide.pairs.services.prompts import prompt_answer, prompt_draw
from tests.personas import client_for

pytestmark = pytest.mark.django_db
PRIVATE = "canary-private-3b9e"
SHARED = "canary-shared-51c2"
UNREVEALED = "canary-unrevealed-9d0a"


def _checkin(pair: Pair, author: User, note: str, visibility: str) -> CheckIn:
    return checkin_submit(
        pair=pair,
        author=author,
        mood=3,
        feelings=["tender"],
        needs=["rest"],
        note=note,
        visibility=visibility,
    )


def _pages(pair: Pair, checkin: CheckIn | None = None) -> list[str]:
    urls = [
        reverse("pairs:detail", args=[pair.pk]),
        reverse("pairs:history", args=[pair.pk]),
        reverse("pairs:prompts", args=[pair.pk]),
        reverse("pairs:checkin", args=[pair.pk]),
        reverse("notifications:list"),
        reverse("core:home"),
    ]
    if checkin is not None:
        urls.append(reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk]))
    return urls


def test_a_partner_never_sees_the_others_private_checkin_or_unrevealed_answer(
    pair: Pair, alex: User, blake: User
) -> None:
    private = _checkin(pair, alex, PRIVATE, "private")
    round_ = prompt_draw(pair=pair, user=alex, level=1)
    prompt_answer(prompt_round=round_, author=alex, text=UNREVEALED)
    client = client_for(blake)
    for url in _pages(pair):
        body = client.get(url).content.decode()
        assert PRIVATE not in body, url
        assert UNREVEALED not in body, url
    assert (
        client.get(reverse("pairs:checkin_detail", args=[pair.pk, private.pk])).status_code == 404
    )
    # Alex sees both of their own.
    mine = client_for(alex)
    assert PRIVATE in mine.get(reverse("pairs:detail", args=[pair.pk])).content.decode()
    assert UNREVEALED in mine.get(reverse("pairs:prompts", args=[pair.pk])).content.decode()


def test_after_revealing_both_see_both_answers(pair: Pair, alex: User, blake: User) -> None:
    round_ = prompt_draw(pair=pair, user=alex, level=1)
    prompt_answer(prompt_round=round_, author=alex, text="alex-answer-1")
    prompt_answer(prompt_round=round_, author=blake, text="blake-answer-1")
    for person in (alex, blake):
        body = client_for(person).get(reverse("pairs:prompts", args=[pair.pk])).content.decode()
        assert "alex-answer-1" in body
        assert "blake-answer-1" in body


def test_an_outsider_gets_404_on_every_pair_url(pair: Pair, alex: User, casey: User) -> None:
    checkin = _checkin(pair, alex, SHARED, "shared")
    round_ = prompt_draw(pair=pair, user=alex, level=1)
    client = client_for(casey)
    gets = [
        *_pages(pair, checkin)[:4],
        _pages(pair, checkin)[-1],
        reverse("pairs:leave", args=[pair.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("pairs:reply", args=[pair.pk, checkin.pk]),
        reverse("pairs:understood", args=[pair.pk, checkin.pk]),
        reverse("pairs:draw", args=[pair.pk]),
        reverse("pairs:answer", args=[pair.pk, round_.pk]),
        reverse("pairs:levels", args=[pair.pk]),
        reverse("pairs:leave", args=[pair.pk]),
        reverse("pairs:checkin", args=[pair.pk]),
    ]
    for url in posts:
        assert (
            client.post(url, {"text": "x", "kind": "reflect", "level": 1, "rating": 3}).status_code
            == 404
        ), url
    assert pair.members.count() == 2


def test_after_leaving_each_sees_only_their_own_words(pair: Pair, alex: User, blake: User) -> None:
    mine = _checkin(pair, alex, "alex-shared-words", "shared")
    reply_create(checkin=mine, author=blake, kind="reflect", text="blake-reply-words")
    _checkin(pair, blake, "blake-shared-words", "shared")
    pair_leave(pair=pair, user=alex)
    alex_view = client_for(alex).get(reverse("pairs:history", args=[pair.pk])).content.decode()
    blake_view = client_for(blake).get(reverse("pairs:history", args=[pair.pk])).content.decode()
    assert "alex-shared-words" in alex_view
    assert "blake-shared-words" not in alex_view
    assert "blake-shared-words" in blake_view
    assert "alex-shared-words" not in blake_view
    detail = (
        client_for(alex)
        .get(reverse("pairs:checkin_detail", args=[pair.pk, mine.pk]))
        .content.decode()
    )
    assert "blake-reply-words" not in detail


def test_the_whole_flow_through_forms(client: Client, alex: User, blake: User) -> None:
    client.force_login(alex)
    response = client.post(reverse("pairs:invite"), {"email": ""})
    invitation = PairInvitation.objects.get()
    page = client.get(response["Location"]).content.decode()
    link = re.search(r'value="http://testserver(/pairs/join/[^"]+)"', page)
    assert link
    # The link is shown once only.
    assert "/pairs/join/" not in client.get(response["Location"]).content.decode()
    partner = client_for(blake)
    assert partner.get(link.group(1)).status_code == 200
    accepted = partner.post(link.group(1), {"action": "accept"})
    pair = Pair.objects.get()
    assert accepted["Location"] == reverse("pairs:detail", args=[pair.pk])
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    form = {
        "mood": "4",
        "feelings": ["tender"],
        "needs": ["rest"],
        "note": "hello",
        "visibility": "shared",
    }
    assert client.post(reverse("pairs:checkin", args=[pair.pk]), form).status_code == 302
    again = client.post(reverse("pairs:checkin", args=[pair.pk]), form)
    assert again.status_code == 200
    assert "already checked in today" in again.content.decode()
    checkin = CheckIn.objects.get()
    edit = client.post(
        reverse("pairs:checkin", args=[pair.pk]), {**form, "mood": "2", "checkin": str(checkin.pk)}
    )
    assert edit.status_code == 302
    assert CheckIn.objects.get().mood == 2
    reply = partner.post(
        reverse("pairs:reply", args=[pair.pk, checkin.pk]),
        {"kind": "validate", "text": "It makes sense."},
    )
    assert reply.status_code == 302
    rate = client.post(reverse("pairs:understood", args=[pair.pk, checkin.pk]), {"rating": "5"})
    assert rate.status_code == 302
    assert "Alex: 5.0" in partner.get(reverse("pairs:detail", args=[pair.pk])).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mood": "9"}, "Choose a mood from 1 to 5."),
        ({"mood": ""}, "This field is required."),
        ({"feelings": ["tender", "smug-ish"]}, "is not one of the listed feelings"),
        ({"needs": ["world peace"]}, "is not one of the listed needs"),
        ({"note": "n" * 2001}, "2000 characters or fewer"),
        ({"visibility": "public"}, "Choose who may see this check-in."),
    ],
)
def test_bad_checkin_forms_show_the_error_and_save_nothing(
    pair: Pair, alex: User, change: dict[str, object], message: str
) -> None:
    form = {
        "mood": "4",
        "feelings": ["tender"],
        "needs": ["rest"],
        "note": "",
        "visibility": "shared",
        **change,
    }
    response = client_for(alex).post(reverse("pairs:checkin", args=[pair.pk]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_replying_to_a_private_checkin_is_a_404(pair: Pair, alex: User, blake: User) -> None:
    private = _checkin(pair, alex, PRIVATE, "private")
    response = client_for(blake).post(
        reverse("pairs:reply", args=[pair.pk, private.pk]), {"kind": "reflect", "text": "hi"}
    )
    assert response.status_code == 404


def test_joining_with_a_bad_token_explains_why(client: Client, blake: User) -> None:
    client.force_login(blake)
    response = client.get(reverse("pairs:join", args=["made-up-token"]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_accepting_ones_own_invitation_is_refused(client: Client, alex: User) -> None:
    client.force_login(alex)
    client.post(reverse("pairs:invite"), {"email": ""})
    page = client.get(
        reverse("pairs:invitation", args=[PairInvitation.objects.get().pk])
    ).content.decode()
    link = re.search(r'value="http://testserver(/pairs/join/[^"]+)"', page)
    assert link
    response = client.post(link.group(1), {"action": "accept"})
    assert response.status_code == 400
    assert "your own invitation" in response.content.decode()
    assert not Pair.objects.exists()


def _fill(pair: Pair, alex: User, blake: User, days: int) -> None:
    import datetime as dt

    for n in range(days):
        for person in (alex, blake):
            c = CheckIn(
                pair=pair,
                author=person,
                day=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                mood=3,
                visibility="shared",
                space=pair.space,
                note=f"note {n}",
                feelings_text="tender",
                needs_text="rest",
            )
            c.save()


# Person (the session is read through the cache), pair, its members with their people (the partner
# among them), unread count; then the page's own: the check-ins with their reply counts (today's
# among the newest), the two kinds of "understood" ratings, the open prompt, and the Rhythm
# section's one read (is the recovery contract on?). History: the count for its pages and one page
# of check-ins.
DETAIL_QUERIES = 9
HISTORY_QUERIES = 6


@pytest.mark.parametrize("days", [2, 20])
def test_the_pair_page_and_history_keep_a_fixed_number_of_queries(
    pair: Pair, alex: User, blake: User, days: int, django_assert_num_queries: object
) -> None:
    _fill(pair, alex, blake, days)
    client = client_for(alex)
    client.get(reverse("pairs:detail", args=[pair.pk]))  # warm the key cache and session
    with django_assert_num_queries(DETAIL_QUERIES):  # type: ignore[operator]
        client.get(reverse("pairs:detail", args=[pair.pk]))
    with django_assert_num_queries(HISTORY_QUERIES):  # type: ignore[operator]
        response = client.get(reverse("pairs:history", args=[pair.pk]))
    assert response.status_code == 200
