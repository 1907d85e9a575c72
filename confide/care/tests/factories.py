"""Care test helpers: a verified counsellor, and a relationship with each person's consent."""

from __future__ import annotations

from datetime import date

from confide.accounts.models import User
from confide.care.models import CareRelationship, CounsellorProfile, Scope
from confide.care.services import consent_set, counsellor_apply, relationship_invite
from confide.pairs.models import Pair


def make_counsellor(user: User, *, verified: bool = True) -> CounsellorProfile:
    profile = counsellor_apply(
        user=user, name=user.display_name, credentials="Licensed counsellor", practice="Practice"
    )
    if verified:
        profile.status = CounsellorProfile.Status.VERIFIED
        profile.save(update_fields=["status"])
    return profile


def make_care(
    counsellor: User,
    pair: Pair,
    consents: dict[User, Scope] | None = None,
    until: date | None = None,
) -> CareRelationship:
    """`pair` invites `counsellor` (made a verified counsellor if not one yet)."""
    if not CounsellorProfile.objects.filter(user=counsellor).exists():
        make_counsellor(counsellor)
    inviter = next(m.user for m in pair.members.all())
    relationship = relationship_invite(
        inviter=inviter, counsellor_email=counsellor.email, pair=pair
    )
    for person, scope in (consents or {}).items():
        consent_set(
            relationship=relationship, person=person, actor=person, scope=scope, until=until
        )
    return relationship
