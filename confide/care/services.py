"""Every write in care: applying and verifying counsellors, inviting, consent, homework, notes,
ending, and the figures-only tally of harsh findings. Refusals raise CareError with a message
for the person; nothing is changed when one is raised."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.care.access import (
    HOMEWORK_NEEDS,
    clients_of,
    effective_scope,
    person_today,
    verified_counsellor,
)
from confide.care.models import (
    MAX_NOTE,
    MAX_REASON,
    CareConsent,
    CareRelationship,
    ConsentChange,
    CounsellorDecision,
    CounsellorNote,
    CounsellorProfile,
    FindingTally,
    Homework,
    HomeworkKind,
    Scope,
)
from confide.core.audit import audit_log
from confide.notifications.models import Kind
from confide.notifications.services import notify
from confide.pairs.models import Pair
from confide.privacy.keys import space_create
from confide.privacy.models import Space


class CareError(ValidationError):
    """A refusal to show the person; nothing was changed."""


# --- counsellors ---------------------------------------------------------------------------


# An applicant may apply again after a decline, or after their verification was withdrawn.
_MAY_APPLY_AGAIN = frozenset({CounsellorProfile.Status.DECLINED, CounsellorProfile.Status.REVOKED})


@transaction.atomic
def counsellor_apply(
    *, user: User, name: str, credentials: str, practice: str
) -> CounsellorProfile:
    """Apply (or apply again after a decline or a withdrawal) to counsel here; an operator
    decides."""
    profile = CounsellorProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None and profile.status not in _MAY_APPLY_AGAIN:
        raise CareError(_("You have already applied; an operator looks at each application."))
    fields = {
        "name": name.strip(),
        "credentials": credentials.strip(),
        "practice": practice.strip(),
    }
    if not all(fields.values()):
        raise CareError(_("Please give your name, your credentials and your practice."))
    if profile is None:
        profile = CounsellorProfile.objects.create(
            user=user, space=space_create(kind=Space.Kind.COUNSELLOR), **fields
        )
    else:
        for key, value in fields.items():
            setattr(profile, key, value)
        profile.status = CounsellorProfile.Status.PENDING
        profile.applied_at = timezone.now()
        profile.decided_at = None
        profile.decided_by = None
        profile.save()
    audit_log(actor=user, action="care.counsellor.applied", target=profile)
    return profile


def _check_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise CareError(_("Please write the reason; only the counsellor will read it."))
    if len(reason) > MAX_REASON:
        raise CareError(_("Please keep the reason under %(n)s characters.") % {"n": MAX_REASON})
    return reason


def _decision_record(
    *, operator: User, profile: CounsellorProfile, reason: str
) -> CounsellorDecision:
    """Keep the decision (the reason sealed in the applicant's own space) and tell the applicant
    that it was made. The notification names what happened, never the reason: that is on their
    application page alone."""
    profile.decided_at = timezone.now()
    profile.decided_by = operator
    profile.save(update_fields=["status", "decided_at", "decided_by"])
    decision = CounsellorDecision.objects.create(
        profile=profile,
        outcome=profile.status,
        reason=reason,
        space=profile.space,
        decided_by=operator,
        at=profile.decided_at,
    )
    titles = {
        CounsellorProfile.Status.VERIFIED: _("An operator verified you as a counsellor"),
        CounsellorProfile.Status.DECLINED: _("An operator declined your application to counsel"),
        CounsellorProfile.Status.REVOKED: _(
            "An operator withdrew your verification as a counsellor"
        ),
    }
    notify(
        user=profile.user,
        kind=Kind.CARE_APPLICATION,
        event_key=f"care_decision:{decision.pk}",
        title=titles[CounsellorProfile.Status(profile.status)],
        url=reverse("care:apply"),
    )
    return decision


def _check_operator(operator: User, profile: CounsellorProfile) -> None:
    if not operator.is_staff:
        raise CareError(_("Only an operator can verify counsellors."))
    if profile.user_id == operator.pk:
        raise CareError(_("Another operator must decide on your own application."))


@transaction.atomic
def counsellor_decide(
    *, operator: User, profile: CounsellorProfile, verify: bool, reason: str = ""
) -> CounsellorProfile:
    """An operator verifies or declines a waiting application. A decline may give a reason,
    which only the applicant reads (on their application page)."""
    _check_operator(operator, profile)
    profile = CounsellorProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != CounsellorProfile.Status.PENDING:
        raise CareError(_("This application was already decided."))
    reason = "" if verify else _check_reason(reason, required=False)
    profile.status = (
        CounsellorProfile.Status.VERIFIED if verify else CounsellorProfile.Status.DECLINED
    )
    _decision_record(operator=operator, profile=profile, reason=reason)
    audit_log(
        actor=operator,
        action="care.counsellor.verified" if verify else "care.counsellor.declined",
        target=profile,
        data={"user": profile.user_id},
    )
    return profile


@transaction.atomic
def counsellor_revoke(*, operator: User, profile: CounsellorProfile, reason: str) -> int:
    """An operator withdraws a counsellor's verification, for a reason only the counsellor
    reads. From the next request they cannot be invited or open any client's page, and each of
    their open relationships ends as if they had ended it (clients are told the same way);
    their notes stay theirs. Returns how many relationships ended."""
    _check_operator(operator, profile)
    profile = CounsellorProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != CounsellorProfile.Status.VERIFIED:
        raise CareError(_("This counsellor is not verified, so there is nothing to withdraw."))
    reason = _check_reason(reason, required=True)
    profile.status = CounsellorProfile.Status.REVOKED
    _decision_record(operator=operator, profile=profile, reason=reason)
    open_ones = list(
        CareRelationship.objects.filter(counsellor_id=profile.user_id, ended_at__isnull=True)
    )
    for relationship in open_ones:
        relationship_end(relationship=relationship, actor=profile.user, operator=operator)
    audit_log(
        actor=operator,
        action="care.counsellor.revoked",
        target=profile,
        data={"user": profile.user_id, "relationships_ended": len(open_ones)},
    )
    return len(open_ones)


# --- relationships and consent --------------------------------------------------------------


@transaction.atomic
def relationship_invite(
    *, inviter: User, counsellor_email: str, pair: Pair | None
) -> CareRelationship:
    """Invite a verified counsellor for a pair the inviter is in, or for the inviter alone.

    Everyone starts at "nothing": each person then chooses what the counsellor may see.
    """
    counsellor = User.objects.filter(email__iexact=counsellor_email.strip()).first()
    profile = verified_counsellor(counsellor) if counsellor is not None else None
    if counsellor is None or profile is None:
        raise CareError(
            _("That address is not a verified counsellor here. Ask them to apply, or check it.")
        )
    if counsellor.pk == inviter.pk:
        raise CareError(_("You cannot be your own counsellor."))
    if pair is not None:
        members = [m for m in pair.members.all() if m.left_at is None]
        if not pair.is_active or inviter.pk not in {m.user_id for m in members}:
            raise CareError(_("You can invite a counsellor only for a pair you are in."))
        if counsellor.pk in {m.user_id for m in members}:
            raise CareError(_("A partner in the pair cannot be its counsellor."))
    relationship = CareRelationship(
        counsellor=counsellor,
        pair=pair,
        person=None if pair is not None else inviter,
        invited_by=inviter,
    )
    try:
        with transaction.atomic():
            relationship.save()
    except IntegrityError:
        raise CareError(_("This counsellor already works with you.")) from None
    for client in clients_of(relationship):
        CareConsent.objects.create(relationship=relationship, person=client)
    audit_log(
        actor=inviter,
        action="care.relationship.invited",
        target=relationship,
        data={"counsellor": counsellor.pk, "pair": str(pair.pk) if pair else None},
    )
    return relationship


@transaction.atomic
def consent_set(
    *,
    relationship: CareRelationship,
    person: User,
    actor: User,
    scope: int,
    until: date | None,
) -> CareConsent:
    """Set what the counsellor may see of `person`. Only the person chooses for themselves."""
    if actor.pk != person.pk:
        raise CareError(
            _("You can choose only what the counsellor sees of you; your partner chooses theirs.")
        )
    if not relationship.is_active:
        raise CareError(_("This counsellor no longer works with you."))
    if person.pk not in {c.pk for c in clients_of(relationship)}:
        raise CareError(_("You are not a client in this relationship."))
    if scope not in Scope.values:
        raise CareError(_("Please choose one of the options."))
    if until is not None and until < person_today(person):
        raise CareError(_("The end date has already passed; choose a later one or none."))
    consent, _created = CareConsent.objects.select_for_update().get_or_create(
        relationship=relationship, person=person
    )
    before = (consent.scope, consent.until)
    consent.scope = scope
    consent.until = until
    consent.updated_at = timezone.now()
    consent.save(update_fields=["scope", "until", "updated_at"])
    change = ConsentChange.objects.create(
        relationship=relationship, person=person, scope=scope, until=until
    )
    _announce(
        relationship=relationship,
        actor=person,
        event_key=f"care_consent:{change.pk}",
        to_client=_("%(name)s changed what %(counsellor)s may see"),
        to_counsellor=_("%(name)s changed what you may see"),
    )
    audit_log(
        actor=actor,
        action="care.consent.changed",
        target=relationship,
        data={
            "person": person.pk,
            "from": before[0],
            "to": scope,
            "until": until.isoformat() if until else None,
        },
    )
    return consent


@transaction.atomic
def relationship_end(
    *, relationship: CareRelationship, actor: User, operator: User | None = None
) -> CareRelationship:
    """Either side ends it; the counsellor's access ends at once, their notes stay theirs.

    `operator` is given when an operator withdrew the counsellor's verification: the
    relationship then ends as if the counsellor (`actor`) had ended it, and the audit entry
    names the operator who did.
    """
    relationship = CareRelationship.objects.select_for_update().get(pk=relationship.pk)
    if not relationship.is_active:
        raise CareError(_("This relationship has already ended."))
    relationship.ended_at = timezone.now()
    relationship.ended_by = actor
    relationship.save(update_fields=["ended_at", "ended_by"])
    audit_log(
        actor=operator or actor,
        action="care.relationship.ended",
        target=relationship,
        data={"verification_withdrawn": True} if operator is not None else None,
    )
    _announce(
        relationship=relationship,
        actor=actor,
        event_key=f"care_ended:{relationship.pk}",
        to_client=_("%(name)s ended care with %(counsellor)s"),
        to_counsellor=_("%(name)s ended care with you"),
    )
    return relationship


def _announce(
    *,
    relationship: CareRelationship,
    actor: User,
    event_key: str,
    to_client: str,
    to_counsellor: str,
) -> None:
    """Tell everyone else in the relationship that `actor` changed a consent or ended care.

    Titles name people and what happened, never a scope or anything shared: the details are on
    the care page, in the consent history. When the counsellor ends care, clients read that the
    counsellor ended it.
    """
    counsellor = relationship.counsellor
    if counsellor is None:  # the counsellor's account was erased: nobody left to tell there
        return
    names = {"name": actor.display_name, "counsellor": counsellor.display_name}
    for client in clients_of(relationship):
        if client.pk == actor.pk:
            continue
        if actor.pk == counsellor.pk:
            title = _("%(counsellor)s ended care with you") % names
        else:
            title = to_client % names
        notify(
            user=client,
            kind=Kind.CARE_CONSENT,
            event_key=event_key,
            title=title,
            url=reverse("care:relationship", args=[relationship.pk]),
        )
    if actor.pk != counsellor.pk:
        url = (
            reverse("care:case", args=[relationship.pk])
            if relationship.is_active
            else reverse("care:counsellor")
        )
        notify(
            user=counsellor,
            kind=Kind.CARE_CONSENT,
            event_key=event_key,
            title=to_counsellor % names,
            url=url,
        )


# --- homework ------------------------------------------------------------------------------


def _check_target(relationship: CareRelationship, kind: str, target: str) -> str:
    from confide.measures.registry import all_instruments
    from confide.pairs.content import TOPICS

    if kind == HomeworkKind.MEASURE:
        instrument = all_instruments().get(target)
        if instrument is None or instrument.audience not in ("person", "pair"):
            raise CareError(_("Please choose a measure."))
    elif kind == HomeworkKind.PROMPTS:
        if target not in TOPICS:
            raise CareError(_("Please choose a deck of prompts."))
    elif kind == HomeworkKind.DIALOGUE:
        from confide.dialogue.models import Topic

        topic_id = _uuid_or_none(target)
        if (
            relationship.pair is None
            or topic_id is None
            or not Topic.objects.filter(
                pk=topic_id, pair=relationship.pair, withheld=False
            ).exists()
        ):
            raise CareError(_("Please choose one of the pair's topics."))
    else:
        target = ""
    return target


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


@transaction.atomic
def homework_assign(
    *, relationship: CareRelationship, counsellor: User, kind: str, target: str, due_on: date
) -> Homework:
    """Set homework, if every client's consent today covers its kind."""
    if relationship.counsellor_id != counsellor.pk or not relationship.is_active:
        raise CareError(_("You no longer work with these clients."))
    if kind not in HOMEWORK_NEEDS:
        raise CareError(_("Please choose a kind of exercise."))
    clients = clients_of(relationship)
    consents = {c.person_id: c for c in CareConsent.objects.filter(relationship=relationship)}
    needed = HOMEWORK_NEEDS[kind]
    for client in clients:
        scope = effective_scope(
            consents.get(client.pk), today=person_today(client), active=relationship.is_active
        )
        if scope < needed:
            raise CareError(
                _(
                    "%(name)s has not consented to what this exercise needs (%(needed)s), "
                    "so it cannot be set."
                )
                % {"name": client.display_name, "needed": Scope(needed).label}
            )
    if not clients:
        raise CareError(_("You no longer work with these clients."))
    if due_on < timezone.localdate():
        raise CareError(_("The due date has already passed."))
    homework = Homework.objects.create(
        relationship=relationship,
        kind=kind,
        target=_check_target(relationship, kind, target),
        due_on=due_on,
    )
    audit_log(
        actor=counsellor,
        action="care.homework.assigned",
        target=relationship,
        data={"homework": homework.pk, "kind": kind},
    )
    return homework


@transaction.atomic
def homework_complete(*, homework: Homework, person: User) -> Homework:
    homework = (
        Homework.objects.select_for_update().select_related("relationship").get(pk=homework.pk)
    )
    if not homework.relationship.is_active:
        raise CareError(_("This counsellor no longer works with you."))
    if homework.is_done:
        raise CareError(_("This exercise is already marked done."))
    homework.done_at = timezone.now()
    homework.done_by = person
    homework.save(update_fields=["done_at", "done_by"])
    return homework


# --- notes ---------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, relationship: CareRelationship, counsellor: User, text: str) -> CounsellorNote:
    """A note sealed in the counsellor's own space."""
    profile = verified_counsellor(counsellor)
    if profile is None or relationship.counsellor_id != counsellor.pk:
        raise CareError(_("Only the counsellor keeps notes here."))
    text = text.strip()
    if not text:
        raise CareError(_("The note is empty."))
    if len(text) > MAX_NOTE:
        raise CareError(_("Please keep a note under %(n)s characters.") % {"n": MAX_NOTE})
    return CounsellorNote.objects.create(
        counsellor=counsellor, relationship=relationship, space=profile.space, text=text
    )


# --- figures -------------------------------------------------------------------------------

_WRITER_FIELDS = ("author", "raised_by", "person", "writer")


def _writer_id(entry: Any) -> int | None:
    """The id of the person who wrote `entry`: its writer field points at the person, or at
    something that does (a circle post's author is the writer's membership)."""
    for name in _WRITER_FIELDS:
        try:
            field = entry._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            continue
        value = getattr(entry, field.attname, None)
        if value is None:
            continue
        if field.related_model is User:
            return int(value)
        owner = getattr(getattr(entry, name), "user_id", None)
        return int(owner) if owner is not None else None
    return None


def findings_tally(entry: Any, check: Any) -> None:
    """Count the harsh findings of a stored write (called from safety's screening seam).

    Only figures: the writer, the day, the subtype and how many; never text or the entry.
    """
    writer_id = _writer_id(entry)
    if writer_id is None:
        return
    subtypes = {f.subtype for f in check.screening.findings if f.label == "harsh"}
    day = timezone.localdate()
    for subtype in sorted(subtypes):
        row, _created = FindingTally.objects.get_or_create(
            user_id=writer_id, day=day, label="harsh", subtype=subtype
        )
        FindingTally.objects.filter(pk=row.pk).update(count=F("count") + 1)
