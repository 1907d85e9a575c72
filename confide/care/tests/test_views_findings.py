"""What a counsellor or a partner stumbled on when using the care pages by hand: homework named
by internal ids, a bare "Back" link, notes that did not say whom they were about, and consent
changes nobody heard of. Each test failed before its fix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.care.models import Scope
from confide.care.services import consent_set, homework_assign, note_add, relationship_end
from confide.care.tests.factories import make_care, make_counsellor
from confide.notifications.models import Kind, Notification
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _later() -> object:
    return timezone.localdate() + timedelta(days=5)


def test_homework_is_named_by_its_exercise_on_every_page_that_lists_it(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="measure",
        target="weekly-closeness",
        due_on=_later(),  # type: ignore[arg-type]
    )
    named = "Answer a measure: Weekly closeness check"
    case = client_for(eli).get(reverse("care:case", args=[relationship.pk])).content.decode()
    mine = client_for(alex).get(reverse("care:relationship", args=[relationship.pk]))
    home = client_for(alex).get(reverse("core:home")).content.decode()
    assert named in case
    assert "(weekly-closeness)" not in case
    assert named in mine.content.decode()
    assert "(weekly-closeness)" not in mine.content.decode()
    assert f"Homework from your counsellor: {named}" in home
    # The client can open the exercise itself from the care page.
    take = reverse("measures:take_pair", args=[pair.pk, "weekly-closeness"])
    assert f'href="{take}"' in mine.content.decode()


def test_a_conversation_homework_names_its_topic_only_while_everyone_shares_topics(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    from confide.dialogue.services.topics import topic_create

    topic = topic_create(pair=pair, raised_by=alex, title="Evenings together")
    both = {alex: Scope.MEASURES_TOPICS, blake: Scope.MEASURES_TOPICS}
    relationship = make_care(eli, pair, both)
    homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="dialogue",
        target=str(topic.pk),
        due_on=_later(),  # type: ignore[arg-type]
    )
    case_url = reverse("care:case", args=[relationship.pk])
    assert "Evenings together" in client_for(eli).get(case_url).content.decode()
    consent_set(
        relationship=relationship, person=blake, actor=blake, scope=Scope.MEASURES, until=None
    )
    case = client_for(eli).get(case_url).content.decode()
    assert "A guided conversation on a topic" in case
    assert "Evenings together" not in case
    assert str(topic.pk) not in case
    # The clients still read their own topic's name.
    mine = client_for(blake).get(reverse("care:relationship", args=[relationship.pk]))
    assert "A guided conversation on a topic: Evenings together" in mine.content.decode()


def test_a_clients_page_leads_back_to_the_relationship_by_name(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS})
    page = client_for(eli).get(reverse("care:client", args=[relationship.pk, alex.pk]))
    html = page.content.decode()
    assert "Back to Alex and Blake" in html
    assert f'href="{reverse("care:case", args=[relationship.pk])}"' in html
    # Wide tables of figures scroll in their own box instead of the whole page.
    assert 'class="table-scroll"' in html


def test_the_notes_page_says_whom_each_note_is_about(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    note_add(relationship=relationship, counsellor=eli, text="Talk about Sundays")
    notes_url = reverse("care:notes")
    html = client_for(eli).get(notes_url).content.decode()
    assert "Alex and Blake" in html
    assert f'href="{reverse("care:case", args=[relationship.pk])}"' in html
    relationship_end(relationship=relationship, actor=alex)
    html = client_for(eli).get(notes_url).content.decode()
    assert "Alex and Blake (care has ended)" in html
    assert "Talk about Sundays" in html


def test_changing_consent_on_the_page_tells_the_partner_and_the_counsellor(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    client_for(alex).post(
        reverse("care:consent", args=[relationship.pk]),
        {"person": alex.pk, "scope": Scope.MEASURES, "until": ""},
    )
    listed = client_for(blake).get(reverse("notifications:list")).content.decode()
    assert "Alex changed what Eli may see" in listed
    assert Notification.objects.filter(user=eli, kind=Kind.CARE_CONSENT).count() == 1


def test_a_refused_consent_on_the_page_tells_nobody(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair)
    client_for(alex).post(
        reverse("care:consent", args=[relationship.pk]),
        {"person": blake.pk, "scope": Scope.FULL, "until": ""},
    )
    assert not Notification.objects.filter(kind=Kind.CARE_CONSENT).exists()


def test_the_new_kind_is_on_the_notification_settings_page(alex: User) -> None:
    page = client_for(alex).get(reverse("notifications:settings")).content.decode()
    assert "Someone changes what a counsellor may see, or ends care with a counsellor" in page


def test_the_care_page_says_who_ended_care(pair: Pair, alex: User, blake: User, eli: User) -> None:
    relationship = make_care(eli, pair)
    relationship_end(relationship=relationship, actor=alex)
    url = reverse("care:relationship", args=[relationship.pk])
    assert "Alex ended this on" in client_for(blake).get(url).content.decode()
    assert "You ended this on" in client_for(alex).get(url).content.decode()


def test_a_counsellor_whose_care_ended_is_not_told_nobody_invited_them(
    pair: Pair, alex: User, eli: User
) -> None:
    make_counsellor(eli)
    dashboard = reverse("care:counsellor")
    first = client_for(eli).get(dashboard).content.decode()
    assert "Nobody has invited you yet" in first
    assert eli.email in first  # the address to give clients
    relationship = make_care(eli, pair)
    relationship_end(relationship=relationship, actor=alex)
    html = client_for(eli).get(dashboard).content.decode()
    assert "Nobody has invited you yet" not in html
    assert "You have no current clients." in html


def test_the_export_names_the_counsellor_of_each_relationship(
    pair: Pair, alex: User, eli: User
) -> None:
    from confide.privacy.exports import export_document

    make_care(eli, pair, {alex: Scope.MEASURES})
    care = export_document(user=alex)["sections"]["care"]
    assert [r["counsellor"] for r in care["relationships"]] == ["Eli"]


@pytest.mark.parametrize("who", ["alex", "eli"])
def test_ending_asks_once_and_changes_nothing_until_confirmed(
    pair: Pair, alex: User, eli: User, who: str
) -> None:
    from confide.care.models import CareRelationship

    relationship = make_care(eli, pair, {alex: Scope.MEASURES})
    person = {"alex": alex, "eli": eli}[who]
    url = reverse("care:end", args=[relationship.pk])
    asked = client_for(person).post(url)
    assert asked.status_code == 200
    assert "Yes, end it" in asked.content.decode()
    assert CareRelationship.objects.get(pk=relationship.pk).is_active
    assert not Notification.objects.filter(kind=Kind.CARE_CONSENT, title__contains="ended").exists()
    client_for(person).post(url, {"confirm": "yes"})
    assert not CareRelationship.objects.get(pk=relationship.pk).is_active
