from django.urls import path

from govem.people import import_views

app_name = "people"

urlpatterns = [
    path("impor-pegawai/", import_views.import_page, name="import"),
]
