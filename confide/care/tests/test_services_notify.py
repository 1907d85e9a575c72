"""Consent changes and endings tell the other people in the relationship, in the app, without
saying what was shared; a refused change tells nobody."""

from __future__ import annotations

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.care.models import Scope
from confide.care.services import CareError, consent_set, relationship_end, relationship_invite
from confide.care.tests.factories import make_care, make_counsellor
from confide.notifications.models import Kind, Notification
from confide.notifications.services import preferences_update
from confide.pairs.models import Pair

pytestmark = pytest.mark.django_db


def _titles(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=Kind.CARE_CONSENT).values_list(
            "title", flat=True
        )
    )


def test_a_consent_change_tells_the_partner_and_the_counsellor_but_not_the_chooser(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    consent_set(relationship=relationship, person=alex, actor=alex, scope=Scope.FULL, until=None)
    assert _titles(blake) == ["Alex changed what Eli may see"]
    assert _titles(eli) == ["Alex changed what you may see"]
    assert _titles(alex) == []
    partner_note = Notification.objects.get(user=blake, kind=Kind.CARE_CONSENT)
    assert partner_note.url == reverse("care:relationship", args=[relationship.pk])
    assert Notification.objects.get(user=eli, kind=Kind.CARE_CONSENT).url == reverse(
        "care:case", args=[relationship.pk]
    )


@pytest.mark.parametrize("scope", [Scope.NOTHING, Scope.MEASURES, Scope.FULL])
def test_each_change_is_its_own_notification_and_never_names_the_scope(
    pair: Pair, alex: User, blake: User, eli: User, scope: Scope
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS})
    consent_set(relationship=relationship, person=alex, actor=alex, scope=scope, until=None)
    titles = _titles(blake)
    assert len(titles) == 2  # the first choice and this change
    for title in titles:
        for label in Scope.labels:
            assert str(label).lower() not in title.lower()


def test_a_refused_change_tells_nobody(pair: Pair, alex: User, blake: User, eli: User) -> None:
    relationship = make_care(eli, pair)
    with pytest.raises(CareError):
        consent_set(
            relationship=relationship, person=blake, actor=alex, scope=Scope.FULL, until=None
        )
    assert not Notification.objects.filter(kind=Kind.CARE_CONSENT).exists()


def test_a_client_ending_care_tells_the_partner_and_the_counsellor(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    relationship_end(relationship=relationship, actor=blake)
    assert _titles(alex) == ["Blake ended care with Eli"]
    assert _titles(eli) == ["Blake ended care with you"]
    assert _titles(blake) == []
    # The case page is closed to the counsellor now: the link leads to their client list.
    assert Notification.objects.get(user=eli).url == reverse("care:counsellor")


def test_the_counsellor_ending_care_tells_each_client(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    relationship_end(relationship=relationship, actor=eli)
    assert _titles(alex) == ["Eli ended care with you"]
    assert _titles(blake) == ["Eli ended care with you"]
    assert _titles(eli) == []


def test_care_for_one_person_tells_only_the_counsellor(alex: User, eli: User) -> None:
    make_counsellor(eli)
    relationship = relationship_invite(inviter=alex, counsellor_email=eli.email, pair=None)
    consent_set(
        relationship=relationship, person=alex, actor=alex, scope=Scope.MEASURES, until=None
    )
    assert Notification.objects.filter(kind=Kind.CARE_CONSENT).count() == 1
    assert _titles(eli) == ["Alex changed what you may see"]


def test_the_partner_can_turn_these_notifications_off(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    preferences_update(
        user=blake,
        channels={Kind.CARE_CONSENT: "off"},
        quiet_start=None,
        quiet_end=None,
        quiet_enabled=False,
    )
    relationship = make_care(eli, pair)
    consent_set(relationship=relationship, person=alex, actor=alex, scope=Scope.FULL, until=None)
    assert _titles(blake) == []
    assert _titles(eli) == ["Alex changed what you may see"]
