from django.urls import path

from govem.operations import views

app_name = "operations"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("operasi/", views.operations_page, name="page"),
    path("operasi/jalankan/", views.rerun, name="rerun"),
    path("operasi/evaluasi/<str:day>/", views.evaluation_page, name="evaluation"),
    path("operasi/evaluasi/<str:day>/pdf/", views.evaluation_pdf_view, name="evaluation_pdf"),
]
