"""Operators' decisions on counsellors: a decline may give a reason, a verification can be
withdrawn (with a reason), which ends the counsellor's relationships as if they had ended them;
the applicant is told each decision without the reason. Refusals change nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from confide.accounts.models import User
from confide.care.access import is_verified_counsellor
from confide.care.models import (
    CareRelationship,
    CounsellorDecision,
    CounsellorNote,
    CounsellorProfile,
    Scope,
)
from confide.care.selectors import latest_decision
from confide.care.services import (
    CareError,
    counsellor_apply,
    counsellor_decide,
    counsellor_revoke,
    note_add,
    relationship_invite,
)
from confide.care.tests.factories import make_care, make_counsellor
from confide.core.models import AuditEntry
from confide.notifications.models import Kind, Notification
from confide.pairs.models import Pair

pytestmark = pytest.mark.django_db

REASON = "Registration lapsed in October"


def _decision_titles(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=Kind.CARE_APPLICATION)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def _verified(eli: User, operator: User) -> CounsellorProfile:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    return counsellor_decide(operator=operator, profile=profile, verify=True)


def test_the_applicant_is_told_of_a_verification(eli: User, operator: User) -> None:
    profile = _verified(eli, operator)
    assert _decision_titles(eli) == ["An operator verified you as a counsellor"]
    assert Notification.objects.get(user=eli).url == reverse("care:apply")
    decision = latest_decision(profile)
    assert decision is not None
    assert decision.outcome == CounsellorProfile.Status.VERIFIED


def test_a_decline_keeps_its_reason_sealed_and_out_of_the_notification(
    eli: User, operator: User
) -> None:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    profile = counsellor_decide(
        operator=operator, profile=profile, verify=False, reason=f"  {REASON} "
    )
    assert _decision_titles(eli) == ["An operator declined your application to counsel"]
    assert all(REASON not in title for title in _decision_titles(eli))
    decision = latest_decision(profile)
    assert decision is not None
    assert decision.reason == REASON
    stored = CounsellorDecision.objects.filter(pk=decision.pk).values_list("reason", flat=True)
    assert REASON not in str(stored[0])  # ciphertext at rest
    assert decision.space_id == profile.space_id
    assert REASON not in str(AuditEntry.objects.filter(action="care.counsellor.declined").get())
    assert not mail.outbox


def test_an_over_long_decline_reason_is_refused_and_nothing_changes(
    eli: User, operator: User
) -> None:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    with pytest.raises(CareError, match="under 1000 characters"):
        counsellor_decide(operator=operator, profile=profile, verify=False, reason="x" * 1001)
    profile.refresh_from_db()
    assert profile.status == CounsellorProfile.Status.PENDING
    assert not CounsellorDecision.objects.exists()
    assert not Notification.objects.exists()


def test_withdrawing_ends_every_relationship_as_if_the_counsellor_ended_it(
    pair: Pair, alex: User, blake: User, casey: User, eli: User, operator: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.MEASURES})
    alone = relationship_invite(inviter=casey, counsellor_email=eli.email, pair=None)
    note = note_add(relationship=relationship, counsellor=eli, text="Kept for myself")
    profile = CounsellorProfile.objects.get(user=eli)

    assert counsellor_revoke(operator=operator, profile=profile, reason=REASON) == 2

    assert not is_verified_counsellor(eli)
    for ended in (relationship, alone):
        ended.refresh_from_db()
        assert ended.ended_at is not None
        assert ended.ended_by == eli
    for client in (alex, blake, casey):
        last = Notification.objects.filter(user=client, kind=Kind.CARE_CONSENT).latest("pk")
        assert last.title == "Eli ended care with you"
    assert _decision_titles(eli) == ["An operator withdrew your verification as a counsellor"]
    assert CounsellorNote.objects.get(pk=note.pk).text == "Kept for myself"
    revoked = AuditEntry.objects.get(action="care.counsellor.revoked")
    assert revoked.actor_id == operator.pk
    assert revoked.data["relationships_ended"] == 2
    ended_entries = AuditEntry.objects.filter(action="care.relationship.ended")
    assert {e.actor_id for e in ended_entries} == {operator.pk}
    assert REASON not in " ".join(str(e.data) for e in AuditEntry.objects.all())
    decision = latest_decision(CounsellorProfile.objects.get(user=eli))
    assert decision is not None
    assert decision.reason == REASON


def test_a_withdrawn_counsellor_cannot_be_invited(
    pair: Pair, alex: User, eli: User, operator: User
) -> None:
    profile = make_counsellor(eli)
    counsellor_revoke(operator=operator, profile=profile, reason=REASON)
    with pytest.raises(CareError, match="not a verified counsellor"):
        relationship_invite(inviter=alex, counsellor_email=eli.email, pair=pair)
    assert not CareRelationship.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "write the reason"), ("   ", "write the reason"), ("x" * 1001, "under 1000")],
)
def test_withdrawing_without_a_fitting_reason_is_refused_and_changes_nothing(
    pair: Pair, alex: User, eli: User, operator: User, reason: str, message: str
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    profile = CounsellorProfile.objects.get(user=eli)
    with pytest.raises(CareError, match=message):
        counsellor_revoke(operator=operator, profile=profile, reason=reason)
    assert is_verified_counsellor(eli)
    relationship.refresh_from_db()
    assert relationship.is_active
    assert not CounsellorDecision.objects.exists()
    assert _decision_titles(eli) == []


def test_only_an_operator_withdraws_and_only_a_verification(
    eli: User, casey: User, operator: User
) -> None:
    profile = make_counsellor(eli)
    with pytest.raises(CareError, match="Only an operator"):
        counsellor_revoke(operator=casey, profile=profile, reason=REASON)
    with pytest.raises(CareError, match="Another operator"):
        counsellor_revoke(operator=operator, profile=make_counsellor(operator), reason=REASON)
    counsellor_revoke(operator=operator, profile=profile, reason=REASON)
    with pytest.raises(CareError, match="not verified"):
        counsellor_revoke(operator=operator, profile=profile, reason=REASON)
    pending = make_counsellor(casey, verified=False)
    with pytest.raises(CareError, match="not verified"):
        counsellor_revoke(operator=operator, profile=pending, reason=REASON)
    assert CounsellorDecision.objects.count() == 1


def test_a_withdrawn_counsellor_may_apply_again_and_waits_for_an_operator(
    eli: User, operator: User
) -> None:
    profile = make_counsellor(eli)
    counsellor_revoke(operator=operator, profile=profile, reason=REASON)
    again = counsellor_apply(user=eli, name="Eli", credentials="MSc, renewed", practice="Harbour")
    assert again.status == CounsellorProfile.Status.PENDING
    assert latest_decision(again) is None
    assert not is_verified_counsellor(eli)


def test_the_applicants_export_holds_each_decision_and_erasure_removes_them(
    eli: User, operator: User
) -> None:
    from confide.care.privacy import care_erase, care_export

    profile = make_counsellor(eli)
    counsellor_revoke(operator=operator, profile=profile, reason=REASON)
    decisions = care_export(eli)["counsellor_application"]["decisions"]
    assert [(d["outcome"], d["reason"]) for d in decisions] == [("revoked", REASON)]
    care_erase(operator)
    assert CounsellorDecision.objects.get().decided_by is None
    care_erase(eli)
    assert not CounsellorDecision.objects.exists()
