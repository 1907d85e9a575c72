from __future__ import annotations

from django.urls import path

from confide.safety import views

app_name = "safety"
urlpatterns = [
    path("support/", views.support, name="support"),
]
