"""After an erasure, the titles others received no longer name the person (issue 13).

Alex (display name "Alex", pseudonym "Quiet Fox" in Dana's circle) shares a pair with Blake and
is a client of Eli, a counsellor. Casey shares nothing with Alex, and has a title naming another
"Alex" and another "Quiet Fox": it stays as it was.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from confide.accounts.models import User
from confide.accounts.tests.factories import DEFAULT_PASSWORD
from confide.care.models import Scope
from confide.care.tests.factories import make_care
from confide.circles.models import Circle
from confide.circles.services.posts import reply_create, thread_create
from confide.circles.tests.factories import join, make_circle, owner_of
from confide.notifications.models import Notification
from confide.notifications.privacy import notifications_forget
from confide.notifications.services import notify
from confide.pairs.models import Pair
from confide.pairs.services.checkins import checkin_submit
from confide.privacy.erasure import ErasureRefused, account_erase
from confide.privacy.registry import Alias, privacy_handlers

pytestmark = pytest.mark.django_db


def _titles(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True)
    )


def _names(title: str, *names: str) -> list[str]:
    return [name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title)]


@pytest.fixture
def circle(dana: User, alex: User, blake: User) -> Circle:
    circle = make_circle(dana, name="Tuesday circle", pseudonym="Lantern")
    fox = join(circle, alex, "Quiet Fox")
    join(circle, blake, "Willow")
    thread = thread_create(
        membership=owner_of(circle), title="Opening", body="How was the week?", content_note=""
    )
    reply_create(membership=fox, thread=thread, body="A gentle one, thank you.", content_note="")
    return circle


@pytest.fixture
def shared_life(
    alex: User, blake: User, casey: User, eli: User, pair: Pair, circle: Circle
) -> dict[str, Any]:
    """Titles as the real services write them, plus an unrelated one for Casey."""
    checkin_submit(
        pair=pair, author=alex, mood=4, feelings=[], needs=[], note="", visibility="shared"
    )
    make_care(eli, pair, consents={alex: Scope.MEASURES})
    for user, key, title in (
        (casey, "other:1", "Alex shared a check-in"),
        (casey, "other:2", "Quiet Fox replied to your post in Book club"),
        (blake, "other:3", "Alexandra reacted to your post in Book club"),
    ):
        notify(user=user, kind="circle_reply", event_key=key, title=title, url="/x/")
    return {"casey": _titles(casey)}


def test_the_handlers_that_know_names_and_the_one_that_forgets_them_are_registered() -> None:
    by_app = {handler.app: handler for handler in privacy_handlers()}
    assert {app for app, handler in by_app.items() if handler.aliases} == {
        "care",
        "circles",
        "pairs",
    }
    assert {app for app, handler in by_app.items() if handler.forget} == {"notifications"}


def test_the_titles_alex_appears_in_exist_before_the_erasure(
    shared_life: dict[str, Any], blake: User, dana: User, eli: User
) -> None:
    assert "Alex shared a check-in" in _titles(blake)
    assert "Alex changed what Eli may see" in _titles(blake)
    assert "Alex changed what you may see" in _titles(eli)
    assert "Quiet Fox replied to your post in Tuesday circle" in _titles(dana)


def test_after_erasure_others_titles_name_nobody_and_read_sensibly(
    shared_life: dict[str, Any], alex: User, blake: User, casey: User, dana: User, eli: User
) -> None:
    account_erase(user=alex, password=DEFAULT_PASSWORD)
    blake_titles = _titles(blake)
    assert "Your former partner shared a check-in" in blake_titles
    assert "Your former partner changed what Eli may see" in blake_titles
    # The pairs handler tells Blake of the leaving during the erasure; that title loses it too.
    assert "Your former partner has left your pair. What you wrote stays with you." in blake_titles
    assert "A former member replied to your post in Tuesday circle" in _titles(dana)
    assert "A former client changed what you may see" in _titles(eli)
    # The same names elsewhere, or inside another word, stay.
    assert "Alexandra reacted to your post in Book club" in blake_titles
    assert _titles(casey) == shared_life["casey"]
    for person in (blake, dana, eli):
        for title in _titles(person):
            assert not _names(title, "Alex", "Quiet Fox"), (person.display_name, title)


def test_erasing_the_counsellor_names_them_for_their_clients_as_a_former_counsellor(
    shared_life: dict[str, Any], blake: User, eli: User
) -> None:
    notify(
        user=blake,
        kind="care_consent",
        event_key="care:end",
        title="Eli ended care with you",
        url="/care/",
    )
    account_erase(user=eli, password=DEFAULT_PASSWORD)
    titles = _titles(blake)
    assert "Alex changed what your former counsellor may see" in titles
    assert "Your former counsellor ended care with you" in titles


def test_a_wrong_password_changes_no_title(
    shared_life: dict[str, Any], alex: User, blake: User, dana: User, eli: User
) -> None:
    before = {user.pk: _titles(user) for user in (blake, dana, eli)}
    with pytest.raises(ErasureRefused):
        account_erase(user=alex, password="not-my-password")
    assert {user.pk: _titles(user) for user in (blake, dana, eli)} == before


def test_a_failure_after_the_titles_changed_undoes_them(
    shared_life: dict[str, Any], alex: User, blake: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confide.privacy import erasure

    before = _titles(blake)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(erasure, "audit_log", fail)  # runs after the titles were rewritten
    with pytest.raises(RuntimeError):
        account_erase(user=alex, password=DEFAULT_PASSWORD)
    assert _titles(blake) == before


def _alias(name: str, *readers: User) -> Alias:
    return Alias(
        name=name,
        seen_by=frozenset(reader.pk for reader in readers),
        start="Someone who left",
        inside="someone who left",
    )


@pytest.mark.parametrize("count", [3, 40])
def test_forgetting_takes_the_same_queries_however_many_titles(
    count: int, blake: User, dana: User, django_assert_num_queries: Any
) -> None:
    for n in range(count):
        notify(
            user=blake if n % 2 else dana,
            kind="circle_reply",
            event_key=f"k:{n}",
            title=f"Sam replied to your post number {n}",
            url="/x/",
        )
    # One read of the candidate titles (with their readers' languages), one write of them all.
    with django_assert_num_queries(2):
        notifications_forget([_alias("Sam", blake, dana)])
    titles = _titles(blake) + _titles(dana)
    assert len(titles) == count
    assert all(title.startswith("Someone who left replied") for title in titles)


def test_forgetting_touches_only_the_readers_of_each_name(
    alex: User, blake: User, casey: User
) -> None:
    for user in (alex, blake, casey):
        notify(user=user, kind="circle_reply", event_key="k", title="Sam and Fox", url="/x/")
    notifications_forget([_alias("Sam", alex), _alias("Fox", blake)])
    assert _titles(alex) == ["Someone who left and Fox"]
    assert _titles(blake) == ["Sam and someone who left"]
    assert _titles(casey) == ["Sam and Fox"]


def test_forgetting_nothing_asks_nothing(django_assert_num_queries: Any, blake: User) -> None:
    with django_assert_num_queries(0):
        notifications_forget([])
        notifications_forget([_alias("  ", blake), _alias("Sam")])


def test_someone_alex_invited_reads_that_someone_invited_them(alex: User, dana: User) -> None:
    from confide.pairs.services.pairing import invitation_create

    invitation_create(inviter=alex, email="dana@example.org")
    assert _titles(dana) == ["Alex invites you to a pair"]
    account_erase(user=alex, password=DEFAULT_PASSWORD)
    assert _titles(dana) == ["Someone invites you to a pair"]
