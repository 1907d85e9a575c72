from __future__ import annotations

from django.urls import path

from confide.safety.views import support

app_name = "safety"
urlpatterns = [
    path("support/", support.support, name="support"),
    path("support/held/", support.held_decide, name="held_decide"),
]
