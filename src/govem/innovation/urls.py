from __future__ import annotations

from django.urls import path

from govem.innovation import views

app_name = "innovation"

urlpatterns = [
    path("inovasi/", views.page, name="page"),
    path("inovasi/laporan.<str:fmt>", views.report_download, name="download"),
]
