"""Fetch and authorise in one step. Every read of a client's data by a counsellor passes through
`access_client_data`, at every request, so a narrowed, withdrawn or expired consent, or an
ended relationship, takes effect on the counsellor's very next page."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date
from enum import StrEnum

from django.http import Http404
from django.utils import timezone

from confide.accounts.models import User
from confide.care.models import (
    CareConsent,
    CareRelationship,
    CounsellorProfile,
    Homework,
    HomeworkKind,
    Scope,
)


class DataKind(StrEnum):
    """What a counsellor may look at; `NEEDS` gives the least scope that covers each."""

    OVERVIEW = "overview"  # the person's name, their consent, homework completion
    MEASURES = "measures"  # measures with reliable change
    TOPICS = "topics"  # topics and their status
    PATTERNS = "patterns"  # figures over time: harsh findings, replies, ratings
    SHARED = "shared"  # shared check-ins, replies and dialogue transcripts


NEEDS: dict[DataKind, Scope] = {
    DataKind.OVERVIEW: Scope.NOTHING,
    DataKind.MEASURES: Scope.MEASURES,
    DataKind.TOPICS: Scope.MEASURES_TOPICS,
    DataKind.PATTERNS: Scope.MEASURES_TOPICS,
    DataKind.SHARED: Scope.FULL,
}


def allows(scope: int, kind: DataKind) -> bool:
    return scope >= NEEDS[kind]


# The least scope every client must have granted before a counsellor may set homework of a kind:
# a measure adds to measures; a conversation on a topic names a topic; prompt answers and
# gestures are shared entries.
HOMEWORK_NEEDS: dict[str, Scope] = {
    HomeworkKind.MEASURE: Scope.MEASURES,
    HomeworkKind.DIALOGUE: Scope.MEASURES_TOPICS,
    HomeworkKind.PROMPTS: Scope.FULL,
    HomeworkKind.GESTURES: Scope.FULL,
}


def homework_kinds_allowed(scopes: list[Scope]) -> list[str]:
    """The kinds of homework that every one of these scopes covers, in the usual order; none
    without clients."""
    if not scopes:
        return []
    least = min(scopes)
    return [kind for kind in HomeworkKind.values if least >= HOMEWORK_NEEDS[kind]]


def person_today(person: User) -> date:
    try:
        zone = zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def effective_scope(consent: CareConsent | None, *, today: date, active: bool) -> Scope:
    """The scope that holds today: nothing once the relationship ended or the date passed."""
    if consent is None or not active:
        return Scope.NOTHING
    if consent.until is not None and today > consent.until:
        return Scope.NOTHING
    return Scope(consent.scope)


def verified_counsellor(user: User) -> CounsellorProfile | None:
    profile = CounsellorProfile.objects.filter(user=user).first()
    return profile if profile is not None and profile.is_verified else None


def is_verified_counsellor(user: User) -> bool:
    return CounsellorProfile.objects.filter(
        user=user, status=CounsellorProfile.Status.VERIFIED
    ).exists()


def clients_of(relationship: CareRelationship) -> list[User]:
    """The people a relationship is about: the pair's current members, or the one person."""
    if relationship.person_id is not None:
        return [relationship.person] if relationship.person else []
    if relationship.pair is None or not relationship.pair.is_active:
        return []
    return [m.user for m in relationship.pair.members.all() if m.left_at is None]


def access_relationship_as_counsellor(
    user: User, relationship_id: uuid.UUID | str
) -> CareRelationship:
    """An open relationship of this verified counsellor; anything else is a 404."""
    if not is_verified_counsellor(user):
        raise Http404
    relationship = (
        CareRelationship.objects.filter(pk=relationship_id, counsellor=user, ended_at__isnull=True)
        .select_related("pair", "person")
        .prefetch_related("pair__members__user")
        .first()
    )
    if relationship is None:
        raise Http404
    return relationship


def access_relationship_as_client(user: User, relationship_id: uuid.UUID | str) -> CareRelationship:
    """A relationship `user` is (or was) a client in: theirs alone, or their pair's."""
    relationship = (
        CareRelationship.objects.filter(pk=relationship_id)
        .select_related("pair", "person", "counsellor")
        .prefetch_related("pair__members__user")
        .first()
    )
    if relationship is None:
        raise Http404
    if relationship.person_id is not None:
        if relationship.person_id != user.pk:
            raise Http404
    elif relationship.pair is None or not any(
        m.user_id == user.pk for m in relationship.pair.members.all()
    ):
        raise Http404
    return relationship


def access_client_data(
    counsellor: User, relationship: CareRelationship, client_id: int | str, kind: DataKind
) -> tuple[User, Scope]:
    """The client and their scope, if their consent today covers `kind`; else a 404.

    Reads the consent row afresh on every call: nothing is cached between requests.
    """
    if relationship.counsellor_id != counsellor.pk or not relationship.is_active:
        raise Http404
    client = next((c for c in clients_of(relationship) if str(c.pk) == str(client_id)), None)
    if client is None:
        raise Http404
    consent = CareConsent.objects.filter(relationship=relationship, person=client).first()
    scope = effective_scope(consent, today=person_today(client), active=relationship.is_active)
    if not allows(scope, kind):
        raise Http404
    return client, scope


def access_homework_as_client(user: User, homework_id: int) -> Homework:
    homework = Homework.objects.filter(pk=homework_id).select_related("relationship").first()
    if homework is None:
        raise Http404
    access_relationship_as_client(user, homework.relationship_id)
    if not homework.relationship.is_active:
        raise Http404
    return homework


def access_relationship_to_end(user: User, relationship_id: uuid.UUID | str) -> CareRelationship:
    """Either side may end: the relationship's counsellor, or one of its clients."""
    relationship = CareRelationship.objects.filter(pk=relationship_id, counsellor=user).first()
    return relationship or access_relationship_as_client(user, relationship_id)
