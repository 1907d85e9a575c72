from __future__ import annotations

from django.urls import path

from confide.dialogue import views

app_name = "dialogue"
urlpatterns = [
    path("<uuid:pair_id>/", views.index, name="index"),
    path("<uuid:pair_id>/start/", views.start, name="start"),
    path("<uuid:pair_id>/sessions/<uuid:session_id>/", views.session, name="session"),
    path("<uuid:pair_id>/sessions/<uuid:session_id>/move/", views.move, name="move"),
    path("<uuid:pair_id>/sessions/<uuid:session_id>/reflect/", views.reflect, name="reflect"),
    path(
        "<uuid:pair_id>/sessions/<uuid:session_id>/transcript/",
        views.transcript,
        name="transcript",
    ),
    path("<uuid:pair_id>/topics/", views.topics, name="topics"),
    path("<uuid:pair_id>/topics/<uuid:topic_id>/", views.topic, name="topic"),
]
