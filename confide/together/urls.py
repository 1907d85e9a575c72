"""Included under /pairs/<pair_id>/together/ (confide/urls.py)."""

from __future__ import annotations

from django.urls import path

from confide.together import views

app_name = "together"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<uuid:plan_id>/calendar.ics", views.plan_calendar, name="plan_ics"),
    path("plans/<uuid:plan_id>/done/", views.plan_done, name="plan_done"),
    path("plans/<uuid:plan_id>/cancel/", views.plan_cancel_view, name="plan_cancel"),
    path("timer/start/", views.timer_start_view, name="timer_start"),
    path("timer/<uuid:timer_id>/stop/", views.timer_stop_view, name="timer_stop"),
    path("month/<int:year>/<int:month>/", views.month_view, name="month"),
]
