from __future__ import annotations

from django.urls import path

from confide.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/crisis/", views.crisis, name="crisis"),
    path("healthz", views.healthz, name="healthz"),
    path("session/ping", views.session_ping, name="session_ping"),
]
