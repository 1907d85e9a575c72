"""Care services: applying, verifying, inviting, consent, homework, notes, ending; each refusal
is clear and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from confide.accounts.models import User
from confide.care.access import DataKind, access_client_data, is_verified_counsellor
from confide.care.models import (
    CareConsent,
    CareRelationship,
    ConsentChange,
    CounsellorNote,
    CounsellorProfile,
    FindingTally,
    Homework,
    Scope,
)
from confide.care.services import (
    CareError,
    consent_set,
    counsellor_apply,
    counsellor_decide,
    homework_assign,
    homework_complete,
    note_add,
    relationship_end,
    relationship_invite,
)
from confide.care.tests.factories import make_care, make_counsellor
from confide.core.models import AuditEntry
from confide.pairs.models import Pair

pytestmark = pytest.mark.django_db


def _later(days: int = 7) -> date:
    return timezone.localdate() + timedelta(days=days)


def test_an_application_waits_until_an_operator_verifies_it(eli: User, operator: User) -> None:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    assert profile.status == CounsellorProfile.Status.PENDING
    assert not is_verified_counsellor(eli)
    counsellor_decide(operator=operator, profile=profile, verify=True)
    assert is_verified_counsellor(eli)
    assert AuditEntry.objects.filter(action="care.counsellor.verified").exists()


def test_only_an_operator_verifies_and_only_once(eli: User, casey: User, operator: User) -> None:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    with pytest.raises(CareError):
        counsellor_decide(operator=casey, profile=profile, verify=True)
    counsellor_decide(operator=operator, profile=profile, verify=False)
    with pytest.raises(CareError, match="already decided"):
        counsellor_decide(operator=operator, profile=profile, verify=True)
    assert not is_verified_counsellor(eli)


def test_an_empty_application_is_refused(eli: User) -> None:
    with pytest.raises(CareError):
        counsellor_apply(user=eli, name=" ", credentials="MSc", practice="x")
    assert not CounsellorProfile.objects.exists()


def test_inviting_an_unverified_counsellor_is_refused_and_nothing_is_made(
    pair: Pair, alex: User, eli: User
) -> None:
    make_counsellor(eli, verified=False)
    with pytest.raises(CareError, match="not a verified counsellor"):
        relationship_invite(inviter=alex, counsellor_email=eli.email, pair=pair)
    with pytest.raises(CareError, match="not a verified counsellor"):
        relationship_invite(inviter=alex, counsellor_email="nobody@example.org", pair=pair)
    assert not CareRelationship.objects.exists()


def test_an_invitation_starts_with_nothing_shared_by_anyone(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    assert {c.person_id: c.scope for c in CareConsent.objects.all()} == {
        alex.pk: Scope.NOTHING,
        blake.pk: Scope.NOTHING,
    }
    with pytest.raises(CareError, match="already works with you"):
        relationship_invite(inviter=blake, counsellor_email=eli.email, pair=pair)
    assert CareRelationship.objects.get() == relationship


def test_an_outsider_cannot_invite_for_someone_elses_pair(
    pair: Pair, casey: User, eli: User
) -> None:
    make_counsellor(eli)
    with pytest.raises(CareError):
        relationship_invite(inviter=casey, counsellor_email=eli.email, pair=pair)
    assert not CareRelationship.objects.exists()


def test_consenting_for_the_partner_is_refused_and_changes_nothing(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    with pytest.raises(CareError, match="only what the counsellor sees of you"):
        consent_set(
            relationship=relationship, person=blake, actor=alex, scope=Scope.FULL, until=None
        )
    assert CareConsent.objects.get(person=blake).scope == Scope.NOTHING
    assert not ConsentChange.objects.exists()


def test_a_consent_change_is_audited_and_kept_in_the_history_both_see(
    pair: Pair, alex: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS})
    consent_set(
        relationship=relationship, person=alex, actor=alex, scope=Scope.MEASURES, until=None
    )
    assert [c.scope for c in ConsentChange.objects.all()] == [Scope.MEASURES, Scope.MEASURES_TOPICS]
    assert AuditEntry.objects.filter(action="care.consent.changed").count() == 2


def test_an_end_date_in_the_past_is_refused(pair: Pair, alex: User, eli: User) -> None:
    relationship = make_care(eli, pair)
    with pytest.raises(CareError, match="already passed"):
        consent_set(
            relationship=relationship,
            person=alex,
            actor=alex,
            scope=Scope.FULL,
            until=timezone.localdate() - timedelta(days=2),
        )
    assert CareConsent.objects.get(person=alex).scope == Scope.NOTHING


@pytest.mark.parametrize(
    ("kind", "target", "needs"),
    [
        ("measure", "weekly-closeness", Scope.MEASURES),
        ("prompts", "repair", Scope.FULL),
        ("gestures", "", Scope.FULL),
    ],
)
@pytest.mark.parametrize("granted", list(Scope))
def test_homework_needs_everyones_consent_for_its_kind(
    pair: Pair,
    alex: User,
    blake: User,
    eli: User,
    kind: str,
    target: str,
    needs: Scope,
    granted: Scope,
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: granted})
    if granted >= needs:
        homework_assign(
            relationship=relationship, counsellor=eli, kind=kind, target=target, due_on=_later()
        )
        assert Homework.objects.count() == 1
    else:
        with pytest.raises(CareError, match="Blake has not consented"):
            homework_assign(
                relationship=relationship, counsellor=eli, kind=kind, target=target, due_on=_later()
            )
        assert not Homework.objects.exists()


def test_a_dialogue_homework_names_a_topic_of_the_pair(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    from confide.dialogue.services.topics import topic_create

    topic = topic_create(pair=pair, raised_by=alex, title="Evenings")
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS, blake: Scope.MEASURES})
    with pytest.raises(CareError, match="Blake has not consented"):
        homework_assign(
            relationship=relationship,
            counsellor=eli,
            kind="dialogue",
            target=str(topic.pk),
            due_on=_later(),
        )
    consent_set(
        relationship=relationship,
        person=blake,
        actor=blake,
        scope=Scope.MEASURES_TOPICS,
        until=None,
    )
    with pytest.raises(CareError, match="topics"):
        homework_assign(
            relationship=relationship,
            counsellor=eli,
            kind="dialogue",
            target="nonsense",
            due_on=_later(),
        )
    homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="dialogue",
        target=str(topic.pk),
        due_on=_later(),
    )
    assert Homework.objects.get().target == str(topic.pk)


def test_homework_is_refused_once_consent_expired(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    import time_machine

    relationship = make_care(
        eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES}, until=_later(1)
    )
    due_on = _later(10)
    with (
        time_machine.travel(timezone.now() + timedelta(days=3)),
        pytest.raises(CareError, match="has not consented"),
    ):
        homework_assign(
            relationship=relationship,
            counsellor=eli,
            kind="measure",
            target="weekly-closeness",
            due_on=due_on,
        )
    assert not Homework.objects.exists()


def test_a_client_marks_homework_done_once(pair: Pair, alex: User, blake: User, eli: User) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    homework = homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="measure",
        target="weekly-closeness",
        due_on=_later(),
    )
    homework_complete(homework=homework, person=blake)
    with pytest.raises(CareError, match="already"):
        homework_complete(homework=homework, person=alex)
    homework.refresh_from_db()
    assert homework.done_by == blake


def test_notes_are_sealed_in_the_counsellors_own_space_and_stay_after_ending(
    pair: Pair, alex: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    note = note_add(relationship=relationship, counsellor=eli, text="Talked about evenings.")
    profile = CounsellorProfile.objects.get(user=eli)
    assert note.space_id == profile.space_id
    assert profile.space.kind == "counsellor"
    raw = CounsellorNote.objects.values_list("text", flat=True).get()
    assert "evenings" not in str(getattr(raw, "token", raw))
    relationship_end(relationship=relationship, actor=alex)
    assert CounsellorNote.objects.get().text == "Talked about evenings."


def test_only_the_counsellor_keeps_notes(pair: Pair, alex: User, eli: User) -> None:
    relationship = make_care(eli, pair)
    with pytest.raises(CareError):
        note_add(relationship=relationship, counsellor=alex, text="x")
    assert not CounsellorNote.objects.exists()


def test_ending_stops_access_at_once_and_refuses_a_second_end(
    pair: Pair, alex: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    access_client_data(eli, relationship, alex.pk, DataKind.SHARED)
    relationship_end(relationship=relationship, actor=eli)
    relationship.refresh_from_db()
    from django.http import Http404

    with pytest.raises(Http404):
        access_client_data(eli, relationship, alex.pk, DataKind.OVERVIEW)
    with pytest.raises(CareError, match="already ended"):
        relationship_end(relationship=relationship, actor=alex)
    assert AuditEntry.objects.filter(action="care.relationship.ended").count() == 1


def test_harsh_findings_are_tallied_as_figures_only(pair: Pair, alex: User) -> None:
    from confide.pairs.services.checkins import checkin_submit

    checkin_submit(
        pair=pair,
        author=alex,
        mood=2,
        feelings=[],
        needs=[],
        note="You are pathetic.",
        visibility="shared",
        send_as_is=True,
    )
    tally = FindingTally.objects.get()
    assert (tally.user, tally.label, tally.count) == (alex, "harsh", 1)
    assert tally.subtype
    assert not {f.name for f in FindingTally._meta.get_fields()} & {"text", "note", "entry"}


def test_a_harsh_circle_post_is_tallied_for_the_member_who_wrote_it(dana: User, eli: User) -> None:
    # A circle post's author is a membership, not a person: the tally follows it to the person.
    from confide.circles.services.posts import thread_create
    from confide.circles.tests.factories import join, make_circle

    membership = join(make_circle(dana), eli, "Heron")
    thread_create(membership=membership, title="Tonight", body="You are pathetic.", content_note="")
    tally = FindingTally.objects.get()
    assert (tally.user, tally.label, tally.count) == (eli, "harsh", 1)
