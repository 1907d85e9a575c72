"""The operator console: verify counsellors, and system health in figures only."""

from __future__ import annotations

from django.urls import path

from confide.care import console

app_name = "console"

urlpatterns = [
    path("", console.health, name="health"),
    path("counsellors/", console.applications, name="applications"),
    path("counsellors/<int:profile_id>/", console.decide, name="decide"),
    path("counsellors/verified/", console.counsellors, name="counsellors"),
    path("counsellors/<int:profile_id>/withdraw/", console.revoke, name="revoke"),
]
