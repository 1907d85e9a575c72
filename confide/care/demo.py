"""Demo care: Eli becomes a verified counsellor (with a demo authenticator, so
`confide demo code eli@example.com` prints the code) for Alex and Blake's pair. Alex lets Eli
see measures and topics, Blake measures only; one homework is set and one is done. Eli stays a
member of the demo circle too. Safe to run again: nothing is made twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from confide.accounts.models import User
from confide.care.models import (
    CareRelationship,
    ConsentChange,
    CounsellorProfile,
    Homework,
    Scope,
)
from confide.care.services import (
    consent_set,
    counsellor_apply,
    homework_assign,
    homework_complete,
    relationship_invite,
)


def demo_care(
    *, alex: User, blake: User, eli: User, progress: Callable[[str], None] = lambda _: None
) -> CareRelationship | None:
    from confide.accounts.demo import demo_second_factor
    from confide.measures.selectors import active_pairs

    profile = CounsellorProfile.objects.filter(user=eli).first() or counsellor_apply(
        user=eli,
        name="Eli",
        credentials="Registered couples counsellor (demo)",
        practice="Harbour Street Practice (demo)",
    )
    if not profile.is_verified:
        profile.status = CounsellorProfile.Status.VERIFIED
        profile.decided_at = timezone.now()
        profile.save(update_fields=["status", "decided_at"])
    demo_second_factor(eli)
    pair = next(
        (p for p in active_pairs(person=alex) if blake.pk in {m.user_id for m in p.members.all()}),
        None,
    )
    if pair is None:
        progress("no demo pair: care left out")
        return None
    relationship = CareRelationship.objects.filter(
        counsellor=eli, pair=pair, ended_at__isnull=True
    ).first() or relationship_invite(inviter=alex, counsellor_email=eli.email, pair=pair)
    if not ConsentChange.objects.filter(relationship=relationship).exists():
        for person, scope in ((alex, Scope.MEASURES_TOPICS), (blake, Scope.MEASURES)):
            consent_set(
                relationship=relationship, person=person, actor=person, scope=scope, until=None
            )
    if not Homework.objects.filter(relationship=relationship).exists():
        today = timezone.localdate()
        done = homework_assign(
            relationship=relationship,
            counsellor=eli,
            kind="measure",
            target="closeness-picture",
            due_on=today,
        )
        homework_complete(homework=done, person=blake)
        homework_assign(
            relationship=relationship,
            counsellor=eli,
            kind="measure",
            target="weekly-closeness",
            due_on=today + timedelta(days=4),
        )
    progress("Eli counsels Alex and Blake (confide demo code eli@example.com)")
    return relationship
