"""Included from confide/urls.py under pairs/<uuid:pair_id>/rhythm/, so every view gets the
pair_id it then authorises with pairs.access.access_pair."""

from __future__ import annotations

from django.urls import path

from confide.rhythm.views import appreciations, bids, contract, gestures, journey

app_name = "rhythm"
urlpatterns = [
    path("appreciations/", appreciations.appreciations, name="appreciations"),
    path(
        "appreciations/<uuid:appreciation_id>/thanks/",
        appreciations.thanks,
        name="appreciation_thanks",
    ),
    path("gestures/", gestures.gestures, name="gestures"),
    path("gestures/pick/", gestures.pick, name="gesture_pick"),
    path("gestures/done/", gestures.done, name="gesture_done"),
    path("gestures/ideas/", gestures.idea_add, name="gesture_idea"),
    path(
        "gestures/ideas/<uuid:idea_id>/delete/",
        gestures.idea_delete,
        name="gesture_idea_delete",
    ),
    path("bids/", bids.bids, name="bids"),
    path("bids/note/", bids.bid, name="bid"),
    path("contract/", contract.contract, name="contract"),
    path("contract/consent/", contract.consent, name="contract_consent"),
    path("contract/intention/", contract.intention, name="contract_intention"),
    path("contract/acknowledge/", contract.acknowledge, name="contract_acknowledge"),
    path("contract/lapse/", contract.lapse, name="lapse"),
    path("contract/lapse/<uuid:note_id>/delete/", contract.lapse_delete, name="lapse_delete"),
    path("journey/", journey.journey, name="journey"),
]
