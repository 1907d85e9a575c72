from __future__ import annotations

from confide.accounts.models import User
from confide.circles import content
from confide.circles.models import Circle, Membership, Role
from confide.circles.services.membership import circle_create, invitation_accept, invitation_create


def make_circle(
    owner: User, *, name: str = "Tuesday circle", pseudonym: str = "Lantern", hold: bool = False
) -> Circle:
    return circle_create(
        owner=owner,
        name=name,
        purpose="Walking through grief together.",
        pseudonym=pseudonym,
        guidelines=str(content.STARTER_GUIDELINES),
        hold_first_posts=hold,
    )


def owner_of(circle: Circle) -> Membership:
    return Membership.objects.select_related("circle", "user").get(circle=circle, role=Role.OWNER)


def join(circle: Circle, user: User, pseudonym: str) -> Membership:
    """Join through a fresh invitation link, accepting the guidelines."""
    invitation, _raw = invitation_create(membership=owner_of(circle))
    membership = invitation_accept(
        invitation=invitation, user=user, pseudonym=pseudonym, accept_guidelines=True
    )
    return Membership.objects.select_related("circle", "user").get(pk=membership.pk)
