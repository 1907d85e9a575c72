"""The console withdraws a verification (reason, then one confirmation); the counsellor's next
request is refused and their clients see care ended; every applicant's page says the state of
their application plainly, and only there is the operator's reason shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.care.models import CareRelationship, CounsellorDecision, CounsellorProfile, Scope
from confide.care.services import counsellor_apply, counsellor_decide, counsellor_revoke, note_add
from confide.care.tests.factories import make_care, make_counsellor
from confide.notifications.models import Notification
from confide.pairs.models import Pair
from confide.privacy.models import AccessRecord
from tests.personas import client_for

pytestmark = pytest.mark.django_db

REASON = "Registration lapsed in October"


def _revoke_url(profile: CounsellorProfile) -> str:
    return reverse("console:revoke", args=[profile.pk])


def test_the_console_lists_verified_counsellors_and_records_the_opening(
    eli: User, casey: User, operator: User
) -> None:
    make_counsellor(eli)
    make_counsellor(casey, verified=False)
    page = client_for(operator).get(reverse("console:counsellors")).content.decode()
    assert "Withdraw Eli's verification" in page
    assert "Casey" not in page
    assert AccessRecord.objects.filter(subject=eli, role="operator").count() == 1
    assert not AccessRecord.objects.filter(subject=casey).exists()


def test_the_verified_list_query_count_does_not_grow_with_counsellors(
    django_assert_max_num_queries: Any, operator: User
) -> None:
    from confide.accounts.tests.factories import UserFactory

    console = client_for(operator)
    for n in range(6):
        make_counsellor(UserFactory.create(email=f"c{n}@example.org", display_name=f"C{n}"))
        with django_assert_max_num_queries(9):
            page = console.get(reverse("console:counsellors"))
        assert page.status_code == 200
    assert AccessRecord.objects.filter(kind="care.application").count() == 1 + 2 + 3 + 4 + 5 + 6


def test_withdrawing_asks_for_a_reason_then_confirms_once(
    pair: Pair, alex: User, blake: User, eli: User, operator: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    profile = CounsellorProfile.objects.get(user=eli)
    console = client_for(operator)
    form = console.get(_revoke_url(profile)).content.decode()
    assert "1 open care relationship" in form
    # No reason: the form says so, and nothing changes.
    empty = console.post(_revoke_url(profile), {"reason": "  "})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    # A reason: the confirmation page shows it back, and still nothing changes.
    confirm = console.post(_revoke_url(profile), {"reason": REASON}).content.decode()
    assert "Yes, withdraw it" in confirm
    assert REASON in confirm
    profile.refresh_from_db()
    assert profile.is_verified
    assert not CounsellorDecision.objects.exists()
    done = console.post(_revoke_url(profile), {"reason": REASON, "confirm": "yes"}, follow=True)
    assert "1 care relationship ended" in done.content.decode()
    profile.refresh_from_db()
    assert profile.status == CounsellorProfile.Status.REVOKED
    relationship.refresh_from_db()
    assert not relationship.is_active
    # Now there is nothing to withdraw: the page is gone.
    assert console.get(_revoke_url(profile)).status_code == 404


def test_only_an_operator_after_two_step_login_withdraws(
    pair: Pair, alex: User, eli: User, operator: User
) -> None:
    make_care(eli, pair, {alex: Scope.FULL})
    profile = CounsellorProfile.objects.get(user=eli)
    data = {"reason": REASON, "confirm": "yes"}
    assert client_for(alex).post(_revoke_url(profile), data).status_code == 404
    assert client_for(eli).post(_revoke_url(profile), data).status_code == 404
    half = client_for(operator, second_factor=False).post(_revoke_url(profile), data)
    assert half.status_code == 302
    assert half["Location"].startswith(reverse("accounts:two_factor"))
    profile.refresh_from_db()
    assert profile.is_verified


def test_a_withdrawn_counsellors_next_request_is_refused_and_clients_see_care_ended(
    pair: Pair, alex: User, blake: User, eli: User, operator: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.MEASURES})
    note_add(relationship=relationship, counsellor=eli, text="Sealed observation")
    eli_browser = client_for(eli)
    assert eli_browser.get(reverse("care:counsellor")).status_code == 200
    counsellor_revoke(
        operator=operator, profile=CounsellorProfile.objects.get(user=eli), reason=REASON
    )

    dashboard = eli_browser.get(reverse("care:counsellor"))
    assert dashboard.status_code == 302
    assert dashboard["Location"] == reverse("care:apply")
    for url in (
        reverse("care:case", args=[relationship.pk]),
        reverse("care:client", args=[relationship.pk, alex.pk]),
    ):
        assert eli_browser.get(url).status_code == 404, url
    due = {"kind": "measure", "target": "weekly-closeness", "due_on": "2099-01-01"}
    homework = eli_browser.post(reverse("care:homework_new", args=[relationship.pk]), due)
    assert homework.status_code == 404
    # The notes stay theirs: they can read and download them.
    assert "Sealed observation" in eli_browser.get(reverse("care:notes")).content.decode()
    exported = eli_browser.get(reverse("care:notes_export")).json()
    assert exported["notes"][0]["text"] == "Sealed observation"

    page = client_for(alex).get(reverse("care:relationship", args=[relationship.pk]))
    text = page.content.decode()
    assert "Ended" in text or "ended" in text
    assert REASON not in text
    assert "Eli ended care with you" in client_for(blake).get("/notifications/").content.decode()


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ("pending", "Your application is waiting for an operator."),
        ("verified", "An operator verified you on"),
        ("declined", "An operator declined your application on"),
        ("revoked", "An operator withdrew your verification on"),
    ],
)
def test_the_application_page_says_the_state_plainly_and_the_reason_to_the_applicant_alone(
    eli: User, operator: User, state: str, says: str
) -> None:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    if state in ("verified", "revoked"):
        profile = counsellor_decide(operator=operator, profile=profile, verify=True)
    if state == "declined":
        counsellor_decide(operator=operator, profile=profile, verify=False, reason=REASON)
    if state == "revoked":
        counsellor_revoke(operator=operator, profile=profile, reason=REASON)
    page = client_for(eli).get(reverse("care:apply")).content.decode()
    assert says in page
    assert (REASON in page) is (state in ("declined", "revoked"))
    assert ('<button type="submit">Apply</button>' in page) is (state in ("declined", "revoked"))
    notifications = client_for(eli).get("/notifications/").content.decode()
    assert REASON not in notifications
    for url in (reverse("console:applications"), reverse("console:counsellors")):
        assert REASON not in client_for(operator).get(url).content.decode()


def test_an_operator_declines_with_a_reason_from_the_console(eli: User, operator: User) -> None:
    profile = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    console = client_for(operator)
    page = console.get(reverse("console:applications")).content.decode()
    assert f'id="reason-{profile.pk}"' in page
    response = console.post(
        reverse("console:decide", args=[profile.pk]),
        {"decision": "decline", "reason": REASON},
        follow=True,
    )
    assert "Declined." in response.content.decode()
    assert CounsellorDecision.objects.get().reason == REASON
    assert Notification.objects.get(user=eli).title == (
        "An operator declined your application to counsel"
    )
    # An over-long reason is refused, and the next decision waits.
    again = counsellor_apply(user=eli, name="Eli", credentials="MSc", practice="Harbour")
    refused = console.post(
        reverse("console:decide", args=[again.pk]),
        {"decision": "decline", "reason": "x" * 1001},
        follow=True,
    )
    assert "Please keep the reason under 1000 characters." in refused.content.decode()
    again.refresh_from_db()
    assert again.status == CounsellorProfile.Status.PENDING
    assert CareRelationship.objects.count() == 0
