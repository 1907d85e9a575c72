"""Export and erasure of what a person wrote or received in care (see privacy.registry)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from confide.care.models import (
    CareConsent,
    CareRelationship,
    ConsentChange,
    CounsellorDecision,
    CounsellorNote,
    CounsellorProfile,
    FindingTally,
    Homework,
    Scope,
)
from confide.pairs.models import PairMember
from confide.privacy.crypto import CryptoError
from confide.privacy.registry import Alias

CARE_MODELS = (
    CounsellorProfile,
    CounsellorDecision,
    CareRelationship,
    CareConsent,
    ConsentChange,
    Homework,
    CounsellorNote,
    FindingTally,
)


def notes_export_data(user: Any) -> list[dict[str, Any]]:
    found = []
    for note in CounsellorNote.objects.filter(counsellor=user).order_by("created_at"):
        try:
            text = note.text
        except CryptoError:
            text = None  # the space's keys were destroyed
        found.append(
            {
                "written_at": note.created_at.isoformat(),
                "relationship": str(note.relationship_id) if note.relationship_id else None,
                "text": text,
            }
        )
    return found


def _decisions_export(profile: CounsellorProfile) -> list[dict[str, Any]]:
    """The operators' decisions on the person's application, with the reasons given to them
    (never who decided: that stays in the audit log)."""
    found = []
    for decision in CounsellorDecision.objects.filter(profile=profile).order_by("at"):
        try:
            reason: str | None = decision.reason
        except CryptoError:
            reason = None
        found.append({"outcome": decision.outcome, "at": decision.at.isoformat(), "reason": reason})
    return found


def care_export(user: Any) -> dict[str, Any]:
    profile = CounsellorProfile.objects.filter(user=user).first()
    mine = (
        CareRelationship.objects.filter(
            Q(person=user) | Q(consents__person=user) | Q(invited_by=user)
        )
        .select_related("counsellor")
        .distinct()
    )
    return {
        "counsellor_application": (
            {
                "name": profile.name,
                "credentials": profile.credentials,
                "practice": profile.practice,
                "status": profile.status,
                "applied_at": profile.applied_at.isoformat(),
                "decisions": _decisions_export(profile),
            }
            if profile
            else None
        ),
        "counsellor_notes": notes_export_data(user),
        "relationships": [
            {
                "id": str(r.pk),
                # Whom the care was with, as the care page names them (None once erased).
                "counsellor": r.counsellor.display_name if r.counsellor else None,
                "started_at": r.started_at.isoformat(),
                "ended_at": r.ended_at.isoformat() if r.ended_at else None,
            }
            for r in mine
        ],
        "consents": [
            {
                "relationship": str(c.relationship_id),
                "scope": Scope(c.scope).name.lower(),
                "until": c.until.isoformat() if c.until else None,
                "at": c.at.isoformat(),
            }
            for c in ConsentChange.objects.filter(person=user).order_by("at")
        ],
        "homework": [
            {
                "kind": h.kind,
                "target": h.target,
                "due_on": h.due_on.isoformat(),
                "done_at": h.done_at.isoformat() if h.done_at else None,
            }
            for h in Homework.objects.filter(relationship__in=mine).order_by("due_on")
        ],
        "harsh_findings_by_day": [
            {"day": t.day.isoformat(), "subtype": t.subtype, "count": t.count}
            for t in FindingTally.objects.filter(user=user).order_by("day")
        ],
    }


def care_erase(user: Any) -> None:
    """Consents end, relationships the person is in end, a counsellor's notes become unreadable
    (their space's keys are destroyed) and are deleted, and the figures go."""
    from confide.privacy.keys import space_destroy_keys

    now = timezone.now()
    CareConsent.objects.filter(person=user).update(scope=Scope.NOTHING, until=None, updated_at=now)
    ConsentChange.objects.filter(person=user).delete()
    CareRelationship.objects.filter(
        Q(person=user) | Q(counsellor=user), ended_at__isnull=True
    ).update(ended_at=now)
    CareRelationship.objects.filter(invited_by=user).update(invited_by=None)
    CareRelationship.objects.filter(ended_by=user).update(ended_by=None)
    Homework.objects.filter(done_by=user).update(done_by=None)
    CareConsent.objects.filter(person=user).delete()
    profile = CounsellorProfile.objects.filter(user=user).first()
    if profile is not None:
        CounsellorNote.objects.filter(counsellor=user).delete()
        space_destroy_keys(space=profile.space)
        profile.delete()
    CounsellorNote.objects.filter(counsellor=user).delete()
    FindingTally.objects.filter(user=user).delete()
    CounsellorProfile.objects.filter(decided_by=user).update(decided_by=None)
    CounsellorDecision.objects.filter(decided_by=user).update(decided_by=None)


def care_aliases(user: Any) -> list[Alias]:
    """The display name, as counsellors saw a client and clients saw a counsellor, in every
    relationship the person was in (ended ones too). A client's partner is the pairs app's."""
    if not user.display_name.strip():
        return []
    pairs = PairMember.objects.filter(user=user).values("pair_id")
    consents = CareConsent.objects.filter(person=user).values("relationship_id")
    rows = CareRelationship.objects.filter(
        Q(counsellor=user) | Q(person=user) | Q(pair_id__in=pairs) | Q(pk__in=consents)
    ).values_list("counsellor_id", "person_id", "pair_id")
    counsellors: set[int] = set()
    clients: set[int] = set()
    client_pairs: set[Any] = set()
    for counsellor_id, person_id, pair_id in rows:
        if counsellor_id != user.pk:
            if counsellor_id is not None:
                counsellors.add(counsellor_id)
            continue
        if person_id is not None:
            clients.add(person_id)
        if pair_id is not None:
            client_pairs.add(pair_id)
    clients |= set(
        PairMember.objects.filter(pair_id__in=client_pairs).values_list("user_id", flat=True)
    )
    return [
        Alias(
            name=user.display_name,
            seen_by=frozenset(clients - {user.pk}),
            start=pgettext_lazy("an erased person, in a notification", "Your former counsellor"),
            inside=pgettext_lazy("an erased person, in a notification", "your former counsellor"),
        ),
        Alias(
            name=user.display_name,
            seen_by=frozenset(counsellors - {user.pk}),
            start=pgettext_lazy("an erased person, in a notification", "A former client"),
            inside=pgettext_lazy("an erased person, in a notification", "a former client"),
        ),
    ]
