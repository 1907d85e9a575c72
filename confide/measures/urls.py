from __future__ import annotations

from django.urls import path

from confide.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.index, name="index"),
    path("take/<slug:instrument_id>/", views.take, name="take"),
    path("pairs/<uuid:pair_id>/take/<slug:instrument_id>/", views.take_pair, name="take_pair"),
    path("progress/", views.progress_view, name="progress"),
    path("progress/<slug:instrument_id>/chart.svg", views.chart, name="chart"),
    path("pairs/<uuid:pair_id>/", views.pair_view, name="pair"),
    path("pairs/<uuid:pair_id>/sharing/", views.sharing, name="sharing"),
    path(
        "pairs/<uuid:pair_id>/<slug:instrument_id>/chart.svg", views.pair_chart, name="pair_chart"
    ),
    path("export.csv", views.export, name="export"),
]
