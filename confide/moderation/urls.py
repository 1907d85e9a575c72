from __future__ import annotations

from django.urls import path

from confide.moderation import views

app_name = "moderation"
C = "circles/<uuid:circle_id>/"
T = f"{C}threads/<uuid:thread_id>/"
urlpatterns = [
    path(f"{T}report/", views.report_thread, name="report_thread"),
    path(f"{T}replies/<uuid:reply_id>/report/", views.report_reply, name="report_reply"),
    path(f"{C}reports/", views.queue, name="queue"),
    path(f"{C}reports/<uuid:report_id>/decide/", views.decide, name="decide"),
    path(f"{C}hidden/<int:hidden_id>/restore/", views.restore, name="restore"),
    path(f"{C}members/<uuid:member_id>/lift/", views.lift, name="lift"),
    path(f"{C}members/<uuid:member_id>/block/", views.block, name="block"),
    path(f"{C}members/<uuid:member_id>/unblock/", views.unblock, name="unblock"),
    path(f"{C}presets/", views.presets, name="presets"),
    path(f"{C}presets/<int:preset_id>/", views.preset_edit, name="preset_edit"),
    path(f"{C}mine/", views.mine, name="mine"),
]
