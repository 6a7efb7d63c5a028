from __future__ import annotations

from django.urls import path

from govem.payroll import views

app_name = "payroll"

urlpatterns = [
    path("tpp/", views.report, name="report"),
    path("tpp/laporan.<str:fmt>", views.report_download, name="report_download"),
    path("tpp/pagu/", views.pagu, name="pagu"),
    path("tpp/pagu/templat.xlsx", views.pagu_template, name="pagu_template"),
    path("tpp/produktivitas/", views.productivity, name="productivity"),
    path(
        "tpp/produktivitas/templat.xlsx", views.productivity_template, name="productivity_template"
    ),
    path("tpp/hukuman/", views.sentences, name="sentences"),
]
