from __future__ import annotations

from django.urls import path

from confide.safety.views import plan, support

app_name = "safety"
urlpatterns = [
    path("support/", support.support, name="support"),
    path("support/held/", support.held_decide, name="held_decide"),
    # The safety lane opened on request. No route takes an id: each person reaches their own.
    path("safety/", plan.safety_page, name="index"),
    path("safety/plan/", plan.plan, name="plan"),
    path("safety/plan/print/", plan.plan_print, name="plan_print"),
]
