from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from govem.api import api

admin.site.site_header = "Govem — Administrasi"
admin.site.site_title = "Govem"
admin.site.index_title = "Data induk presensi"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("govem.accounts.urls")),
    path("", include("govem.attendance.urls")),
    path("", include("govem.attendance.recap_urls")),
    path("", include("govem.monitor.urls")),
    path("", include("govem.helpdesk.urls")),
    path("", include("govem.absences.urls")),
    path("", include("govem.notify.urls")),
    path("", include("govem.people.urls")),
    path("", include("govem.operations.urls")),
    path("", include("govem.schedules.urls")),
    path("", include("govem.reports.urls")),
    path("", include("govem.payroll.urls")),
    path("", include("govem.innovation.urls")),
    path("", include("govem.events.urls")),
]
