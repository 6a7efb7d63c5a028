from django.urls import path

from govem.absences import clarification_views, views

app_name = "absences"

urlpatterns = [
    path("pengajuan/", views.mine, name="mine"),
    path("pengajuan/persetujuan/", views.approvals, name="approvals"),
    path("pengajuan/<int:request_id>/putuskan/", views.decide, name="decide"),
    path("pengajuan/<int:request_id>/lampiran/", views.attachment, name="attachment"),
    path("klarifikasi/", clarification_views.desk, name="clarifications"),
    path("klarifikasi/saya/", clarification_views.mine, name="my_clarifications"),
    path("klarifikasi/<int:case_id>/", clarification_views.close, name="close_clarification"),
    path(
        "klarifikasi/<int:case_id>/kontak/",
        clarification_views.contact,
        name="clarification_contact",
    ),
    path(
        "klarifikasi/<int:case_id>/lampiran/",
        clarification_views.answer_attachment,
        name="clarification_attachment",
    ),
]
