from __future__ import annotations

from django.urls import path

from confide.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_page, name="page"),
    path("export/", views.export_start, name="export"),
    path("export/<uuid:export_id>/<str:token>/", views.export_download_view, name="download"),
    path("delete/", views.erase, name="erase"),
    path("deleted/", views.erased, name="erased"),
]
