from __future__ import annotations

from django.urls import path

from confide.pairs import views

app_name = "pairs"
urlpatterns = [
    path("", views.pair_list, name="list"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:invitation_id>/", views.invitation_detail, name="invitation"),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
    path(
        "invitations/<int:invitation_id>/respond/",
        views.invitation_respond,
        name="invitation_respond",
    ),
    path("join/<str:token>/", views.join, name="join"),
    path("<uuid:pair_id>/", views.pair_detail, name="detail"),
    path("<uuid:pair_id>/history/", views.history, name="history"),
    path("<uuid:pair_id>/checkin/", views.checkin, name="checkin"),
    path("<uuid:pair_id>/checkins/<uuid:checkin_id>/", views.checkin_detail, name="checkin_detail"),
    path("<uuid:pair_id>/checkins/<uuid:checkin_id>/reply/", views.reply, name="reply"),
    path(
        "<uuid:pair_id>/checkins/<uuid:checkin_id>/understood/",
        views.understood,
        name="understood",
    ),
    path("<uuid:pair_id>/prompts/", views.prompts, name="prompts"),
    path("<uuid:pair_id>/prompts/draw/", views.draw, name="draw"),
    path("<uuid:pair_id>/prompts/<int:round_id>/answer/", views.answer, name="answer"),
    path("<uuid:pair_id>/prompts/levels/", views.levels, name="levels"),
    path("<uuid:pair_id>/leave/", views.leave, name="leave"),
    path("<uuid:pair_id>/pause/", views.pause, name="pause"),
    path("<uuid:pair_id>/resume/", views.resume, name="resume"),
]
