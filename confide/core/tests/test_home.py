from __future__ import annotations

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.services import notify
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_home_shows_the_persons_pairs_and_whats_new(pair: Pair, alex: User, casey: User) -> None:
    notify(
        user=alex,
        kind="partner_checkin",
        event_key="e1",
        title="Blake shared a check-in",
        url="/pairs/",
    )
    body = client_for(alex).get(reverse("core:home")).content.decode()
    assert "You and Blake" in body
    assert "Blake shared a check-in" in body
    outsider = client_for(casey).get(reverse("core:home")).content.decode()
    assert "You and Blake" not in outsider
    assert "You are not in a pair yet." in outsider
    assert "You are not in a circle yet." in outsider


@pytest.mark.django_db
def test_home_lists_todays_checkin_until_it_is_done(pair: Pair, alex: User) -> None:
    from confide.pairs.services.checkins import checkin_submit

    client = client_for(alex)
    page = client.get(reverse("core:home")).content.decode()
    assert "Check in with Blake" in page
    checkin_submit(
        pair=pair, author=alex, mood=4, feelings=[], needs=[], note="", visibility="shared"
    )
    assert "Check in with Blake" not in client.get(reverse("core:home")).content.decode()
