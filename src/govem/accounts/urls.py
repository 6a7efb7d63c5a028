from __future__ import annotations

from django.urls import path

from govem.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
]
