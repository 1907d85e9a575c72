from __future__ import annotations

from django.urls import path

from confide.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
    path("settings/", views.preferences, name="settings"),
]
