from __future__ import annotations

from django.urls import path

from govem.attendance import recap_views

app_name = "recap"

urlpatterns = [
    path("rekap/", recap_views.overview, name="overview"),
    path("rekap/<int:employee_id>/", recap_views.employee_month, name="employee"),
]
