from __future__ import annotations

from django.urls import path

from confide.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
]
