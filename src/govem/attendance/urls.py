from __future__ import annotations

from django.urls import path

from govem.attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.home, name="home"),
    path("presensi/", views.punch, name="punch"),
    path("riwayat/", views.history, name="history"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
]
