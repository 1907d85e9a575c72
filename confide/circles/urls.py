from __future__ import annotations

from django.urls import path

from confide.circles.views import circles, goals, joining, meetings, posts, rounds

app_name = "circles"
C = "<uuid:circle_id>/"
urlpatterns = [
    path("", circles.circle_list, name="list"),
    path("new/", circles.create, name="create"),
    path(C, circles.detail, name="detail"),
    path(f"{C}members/", circles.members, name="members"),
    path(f"{C}members/<uuid:member_id>/role/", circles.role, name="role"),
    path(f"{C}profile/", circles.profile, name="profile"),
    path(f"{C}leave/", circles.leave, name="leave"),
    path(f"{C}settings/", circles.circle_settings, name="settings"),
    path(f"{C}guidelines/", circles.guidelines, name="guidelines"),
    path(f"{C}guidelines/edit/", circles.guidelines_edit, name="guidelines_edit"),
    path(f"{C}invite/", joining.invite, name="invite"),
    path(
        f"{C}invitations/<int:invitation_id>/withdraw/",
        joining.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
    path(f"{C}join/<str:token>/", joining.join, name="join"),
    path(f"{C}request/", joining.request_join, name="request"),
    path(f"{C}queue/", joining.queue, name="queue"),
    path(f"{C}requests/<int:request_id>/decide/", joining.request_decide, name="request_decide"),
    path(f"{C}threads/new/", posts.thread_new, name="thread_new"),
    path(f"{C}threads/<uuid:thread_id>/", posts.thread, name="thread"),
    path(f"{C}threads/<uuid:thread_id>/reply/", posts.reply, name="reply"),
    path(f"{C}threads/<uuid:thread_id>/react/", posts.react, name="react"),
    path(f"{C}threads/<uuid:thread_id>/decide/", joining.held_decide, name="held_decide"),
    path(f"{C}goals/new/", goals.goal_new, name="goal_new"),
    path(f"{C}goals/<uuid:goal_id>/", goals.goal, name="goal"),
    path(f"{C}goals/<uuid:goal_id>/contribute/", goals.contribute, name="contribute"),
    path(f"{C}goals/<uuid:goal_id>/reached/", goals.goal_reached, name="goal_reached"),
    path(f"{C}meetings/new/", meetings.meeting_new, name="meeting_new"),
    path(f"{C}meetings/<uuid:meeting_id>/", meetings.meeting, name="meeting"),
    path(f"{C}meetings/<uuid:meeting_id>/rsvp/", meetings.rsvp, name="rsvp"),
    path(f"{C}meetings/<uuid:meeting_id>/attendance/", meetings.attendance, name="attendance"),
    path(f"{C}meetings/<uuid:meeting_id>/rate/", meetings.rate, name="rate"),
    path(f"{C}meetings/<uuid:meeting_id>/cancel/", meetings.cancel, name="cancel"),
    path(f"{C}meetings/<uuid:meeting_id>/round/", rounds.round_start, name="round_start"),
    path(f"{C}rounds/<uuid:round_id>/", rounds.round_page, name="round"),
    path(f"{C}rounds/<uuid:round_id>/act/", rounds.round_act, name="round_act"),
    path("calendar/", meetings.calendar, name="calendar"),
    path("calendar/<str:token>.ics", meetings.feed, name="feed"),
]
