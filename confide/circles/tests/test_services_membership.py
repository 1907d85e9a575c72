from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from confide.accounts.models import User
from confide.accounts.tokens import hash_token
from confide.circles.models import Circle, CircleInvitation, JoinRequest, Membership, Role
from confide.circles.services import CircleError
from confide.circles.services.membership import (
    circle_leave,
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_withdraw,
    join_request_create,
    join_request_decide,
    profile_update,
    role_set,
)
from confide.circles.tests.factories import join, make_circle
from confide.core.models import AuditEntry
from confide.notifications.models import Notification
from confide.privacy.models import Space

pytestmark = pytest.mark.django_db


def test_a_new_circle_has_its_own_space_guidelines_and_owner(circle: Circle, dana: User) -> None:
    assert circle.space.kind == Space.Kind.CIRCLE
    assert circle.guidelines_version == 1
    assert circle.guidelines.get().version == 1
    owner = Membership.objects.get(circle=circle)
    assert (owner.user, owner.role, owner.pseudonym) == (dana, Role.OWNER, "Lantern")
    assert owner.has_accepted_guidelines
    # The purpose is sealed: the database holds no plain text of it.
    raw = Circle.objects.filter(pk=circle.pk).values_list("purpose", flat=True).get()
    assert "grief" not in str(raw)


def test_an_invitation_stores_only_a_hash_and_works_once(
    circle: Circle, facilitator: Membership, alex: User, blake: User
) -> None:
    invitation, raw = invitation_create(membership=facilitator)
    assert invitation.token_hash == hash_token(raw)
    assert raw not in str(CircleInvitation.objects.filter(pk=invitation.pk).values().get())
    found = invitation_find(circle_id=circle.pk, raw_token=raw)
    membership = invitation_accept(
        invitation=found, user=alex, pseudonym="Harbour", accept_guidelines=True
    )
    assert membership.role == Role.MEMBER
    assert membership.accepted_version == 1
    with pytest.raises(CircleError, match="already been used"):
        invitation_accept(invitation=found, user=blake, pseudonym="Willow", accept_guidelines=True)
    assert not Membership.objects.filter(user=blake).exists()


def test_an_invitation_for_another_circle_is_refused(
    circle: Circle, facilitator: Membership, casey: User
) -> None:
    other = make_circle(casey, name="Other", pseudonym="Fern")
    _invitation, raw = invitation_create(membership=facilitator)
    with pytest.raises(CircleError, match="not valid"):
        invitation_find(circle_id=other.pk, raw_token=raw)
    with pytest.raises(CircleError, match="not valid"):
        invitation_find(circle_id=circle.pk, raw_token="made-up")
    with pytest.raises(CircleError, match="not valid"):
        invitation_find(circle_id=circle.pk, raw_token="x" * 500)


def test_expired_and_withdrawn_invitations_are_refused(
    circle: Circle, facilitator: Membership, alex: User
) -> None:
    old, _raw = invitation_create(membership=facilitator)
    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(CircleError, match="expired"),
    ):
        invitation_accept(invitation=old, user=alex, pseudonym="Harbour", accept_guidelines=True)
    withdrawn, _raw = invitation_create(membership=facilitator)
    invitation_withdraw(membership=facilitator, invitation=withdrawn)
    with pytest.raises(CircleError, match="withdrawn"):
        invitation_accept(
            invitation=withdrawn, user=alex, pseudonym="Harbour", accept_guidelines=True
        )
    assert not Membership.objects.filter(user=alex).exists()


def test_joining_needs_the_guidelines_accepted(
    circle: Circle, facilitator: Membership, alex: User
) -> None:
    invitation, _raw = invitation_create(membership=facilitator)
    with pytest.raises(CircleError, match="accept"):
        invitation_accept(
            invitation=invitation, user=alex, pseudonym="Harbour", accept_guidelines=False
        )
    invitation.refresh_from_db()
    assert invitation.status == CircleInvitation.Status.PENDING


@pytest.mark.parametrize("taken", ["Lantern", "lantern", "  LANTERN "])
def test_pseudonyms_are_unique_in_a_circle_whatever_the_case(
    circle: Circle, facilitator: Membership, alex: User, taken: str
) -> None:
    invitation, _raw = invitation_create(membership=facilitator)
    with pytest.raises(CircleError, match="already uses"):
        invitation_accept(invitation=invitation, user=alex, pseudonym=taken, accept_guidelines=True)
    invitation.refresh_from_db()
    assert invitation.status == CircleInvitation.Status.PENDING
    assert not Membership.objects.filter(user=alex).exists()


def test_the_same_pseudonym_is_fine_in_another_circle(circle: Circle, casey: User) -> None:
    other = make_circle(casey, name="Other", pseudonym="Lantern")
    assert other.memberships.get().pseudonym == "Lantern"


def test_a_profile_cannot_take_someone_elses_name(
    alex_member: Membership, blake_member: Membership
) -> None:
    with pytest.raises(CircleError, match="already uses"):
        profile_update(
            membership=alex_member,
            pseudonym="WILLOW",
            about="",
            pronouns="",
            background="",
            brings="",
        )
    alex_member.refresh_from_db()
    assert alex_member.pseudonym == "Harbour"
    profile_update(
        membership=alex_member,
        pseudonym="Harbour Light",
        about="I am new here.",
        pronouns="they/them",
        background="a long way from home",
        brings="tea and patience",
    )
    alex_member.refresh_from_db()
    assert (alex_member.pseudonym, alex_member.pronouns) == ("Harbour Light", "they/them")


@pytest.mark.parametrize("name", ["", "x", "y" * 41])
def test_a_pseudonym_needs_two_to_forty_characters(alex_member: Membership, name: str) -> None:
    with pytest.raises(CircleError):
        profile_update(
            membership=alex_member, pseudonym=name, about="", pronouns="", background="", brings=""
        )


def test_a_request_is_approved_by_a_facilitator_and_then_guidelines_are_due(
    circle: Circle, facilitator: Membership, casey: User, dana: User
) -> None:
    request = join_request_create(circle=circle, user=casey, pseudonym="Pebble")
    assert Notification.objects.filter(user=dana, kind="circle_request").count() == 1
    with pytest.raises(CircleError, match="already asked"):
        join_request_create(circle=circle, user=casey, pseudonym="Pebble")
    join_request_decide(membership=facilitator, join_request=request, approve=True)
    member = Membership.objects.select_related("circle").get(user=casey)
    assert member.pseudonym == "Pebble"
    assert not member.has_accepted_guidelines
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED
    with pytest.raises(CircleError, match="already been answered"):
        join_request_decide(membership=facilitator, join_request=request, approve=False)


def test_only_facilitators_decide_requests_and_invite(
    circle: Circle, alex_member: Membership, casey: User
) -> None:
    request = join_request_create(circle=circle, user=casey, pseudonym="Pebble")
    with pytest.raises(CircleError, match="facilitators"):
        join_request_decide(membership=alex_member, join_request=request, approve=True)
    with pytest.raises(CircleError, match="facilitators"):
        invitation_create(membership=alex_member)


def test_the_owner_makes_a_facilitator(
    facilitator: Membership, alex_member: Membership, blake_member: Membership
) -> None:
    role_set(membership=facilitator, target=alex_member, role=Role.FACILITATOR)
    alex_member.refresh_from_db()
    assert alex_member.is_facilitator
    with pytest.raises(CircleError, match="owner"):
        role_set(membership=alex_member, target=blake_member, role=Role.FACILITATOR)


def test_leaving_frees_the_name_and_a_new_invitation_brings_them_back(
    circle: Circle, alex_member: Membership, alex: User, casey: User
) -> None:
    circle_leave(membership=alex_member)
    with pytest.raises(CircleError, match="already left"):
        circle_leave(membership=alex_member)
    assert AuditEntry.objects.filter(action="circles.member.left").count() == 1
    again = join(circle, casey, "Harbour")  # the name is free again
    assert again.pseudonym == "Harbour"
    back = join(circle, alex, "Harbour Two")
    assert back.pk == alex_member.pk
    assert back.is_active
