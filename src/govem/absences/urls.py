from django.urls import path

from govem.absences import views

app_name = "absences"

urlpatterns = [
    path("pengajuan/", views.mine, name="mine"),
    path("pengajuan/persetujuan/", views.approvals, name="approvals"),
    path("pengajuan/<int:request_id>/putuskan/", views.decide, name="decide"),
    path("pengajuan/<int:request_id>/lampiran/", views.attachment, name="attachment"),
]
