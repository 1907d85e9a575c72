from __future__ import annotations

from django.urls import path

from confide.care import views

app_name = "care"

urlpatterns = [
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("apply/", views.apply, name="apply"),
    path("r/<uuid:relationship_id>/", views.relationship, name="relationship"),
    path("r/<uuid:relationship_id>/consent/", views.consent, name="consent"),
    path("r/<uuid:relationship_id>/end/", views.end, name="end"),
    path("homework/<int:homework_id>/done/", views.homework_done, name="homework_done"),
    path("counsellor/", views.dashboard, name="counsellor"),
    path("counsellor/notes/", views.notes, name="notes"),
    path("counsellor/notes/export.json", views.notes_export, name="notes_export"),
    path("counsellor/r/<uuid:relationship_id>/", views.case, name="case"),
    path(
        "counsellor/r/<uuid:relationship_id>/people/<int:person_id>/",
        views.client,
        name="client",
    ),
    path("counsellor/r/<uuid:relationship_id>/homework/", views.homework_new, name="homework_new"),
    path("counsellor/r/<uuid:relationship_id>/notes/", views.note_new, name="note_new"),
]
