from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("confide.core.urls")),
    path("account/", include("confide.accounts.urls")),
    path("notifications/", include("confide.notifications.urls")),
    path("reminders/", include("confide.reminders.urls")),
    path("pairs/", include("confide.pairs.urls")),
    path("pairs/<uuid:pair_id>/rhythm/", include("confide.rhythm.urls")),
    path("pairs/<uuid:pair_id>/together/", include("confide.together.urls")),
    path("help/", include("confide.safety.urls")),
    path("circles/", include("confide.circles.urls")),
    path("moderation/", include("confide.moderation.urls")),
    path("dialogue/", include("confide.dialogue.urls")),
    path("measures/", include("confide.measures.urls")),
    path("privacy/", include("confide.privacy.urls")),
    path("care/", include("confide.care.urls")),
    path("console/", include("confide.care.console_urls")),
]
