from __future__ import annotations

from django.urls import path

from govem.accounts import activation_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("aktivasi/", activation_views.activate_view, name="activate"),
    path("lupa-sandi/", activation_views.forgot_view, name="forgot"),
    path("akun/sandi-baru/", activation_views.new_password_view, name="new-password"),
    path("akun-pegawai/", activation_views.accounts_page, name="employee-accounts"),
]
