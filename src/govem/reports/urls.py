from __future__ import annotations

from django.urls import path

from govem.reports import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.daily, name="daily"),
    path("laporan/harian.<str:fmt>", views.daily_download, name="daily_download"),
    path("laporan/verifikasi/", views.verify, name="verify"),
    path("laporan/bulanan/", views.monthly, name="monthly"),
    path("laporan/bulanan.<str:fmt>", views.monthly_download, name="monthly_download"),
]
