from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from confide.accounts.models import User
from confide.accounts.tokens import hash_token
from confide.core.models import AuditEntry
from confide.notifications.models import Notification
from confide.pairs.models import Pair, PairInvitation, PairMember
from confide.pairs.services import PairError
from confide.pairs.services.pairing import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_find,
    invitation_withdraw,
    pair_leave,
)
from confide.pairs.tests.factories import make_pair

pytestmark = pytest.mark.django_db


def test_an_invitation_stores_only_a_hash_and_expires_in_seven_days(alex: User) -> None:
    invitation, raw = invitation_create(inviter=alex)
    assert invitation.token_hash == hash_token(raw)
    assert raw not in str(PairInvitation.objects.filter(pk=invitation.pk).values().get())
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert invitation_find(raw) == invitation


def test_accepting_makes_a_pair_and_the_link_works_once(
    alex: User, blake: User, casey: User
) -> None:
    invitation, raw = invitation_create(inviter=alex)
    pair = invitation_accept(invitation=invitation_find(raw), user=blake)
    assert set(pair.members.values_list("user__email", flat=True)) == {alex.email, blake.email}
    assert AuditEntry.objects.filter(action="pairs.pair.created").exists()
    assert Notification.objects.filter(user=alex, kind="pair_invitation").exists()
    with pytest.raises(PairError, match="already been used"):
        invitation_accept(invitation=invitation_find(raw), user=casey)
    assert Pair.objects.count() == 1


def test_a_person_may_be_in_several_pairs(alex: User, blake: User, casey: User) -> None:
    make_pair(alex, blake)
    invitation, raw = invitation_create(inviter=alex)
    invitation_accept(invitation=invitation, user=casey)
    assert PairMember.objects.filter(user=alex).count() == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("expired", "has expired"),
        ("own", "your own invitation"),
        ("declined", "was declined"),
        ("withdrawn", "was withdrawn"),
        ("already_paired", "already in a pair"),
        ("other_address", "another email address"),
    ],
)
def test_an_invitation_that_cannot_be_used_says_why_and_changes_nothing(
    alex: User, blake: User, casey: User, setup: str, message: str
) -> None:
    invitation, raw = invitation_create(
        inviter=alex, email="someone@example.org" if setup == "other_address" else ""
    )
    user = blake
    if setup == "own":
        user = alex
    elif setup == "declined":
        invitation_decline(invitation=invitation, user=casey)
    elif setup == "withdrawn":
        invitation_withdraw(invitation=invitation, inviter=alex)
    elif setup == "already_paired":
        make_pair(alex, blake)
    pairs_before = Pair.objects.count()
    when = timezone.now() + timedelta(days=8 if setup == "expired" else 0)
    with time_machine.travel(when), pytest.raises(PairError, match=message):
        invitation_accept(invitation=invitation_find(raw), user=user)
    assert Pair.objects.count() == pairs_before


@pytest.mark.parametrize("token", ["", "nope", "x" * 200])
def test_an_unknown_token_is_not_valid(token: str) -> None:
    with pytest.raises(PairError, match="not valid"):
        invitation_find(token)


def test_an_invitation_by_email_to_a_newcomer_is_emailed_once_without_private_text(
    alex: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation, _ = invitation_create(inviter=alex, email="New.Person@example.org")
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]
    assert "/pairs/join/" in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.email_token_hash
    from confide.pairs.tasks import send_pair_invitation

    send_pair_invitation.call(invitation.pk)
    assert len(mail.outbox) == 1


def test_an_invitation_by_email_to_a_member_is_a_notification(alex: User, blake: User) -> None:
    invitation_create(inviter=alex, email=blake.email)
    assert Notification.objects.filter(user=blake, kind="pair_invitation").exists()


def test_inviting_oneself_by_email_is_refused(alex: User) -> None:
    with pytest.raises(PairError, match="your own address"):
        invitation_create(inviter=alex, email=alex.email)
    assert not PairInvitation.objects.exists()


def test_leaving_ends_the_pair_records_it_and_tells_the_partner_kindly(
    pair: Pair, alex: User, blake: User
) -> None:
    pair_leave(pair=pair, user=alex)
    pair.refresh_from_db()
    assert not pair.is_active
    assert AuditEntry.objects.filter(action="pairs.pair.left", actor_id=alex.pk).exists()
    notice = Notification.objects.get(user=blake, kind="partner_left")
    assert "stays with you" in notice.title
    with pytest.raises(PairError, match="already ended"):
        pair_leave(pair=pair, user=blake)
