from django.urls import path

from govem.people import import_views
from govem.people.models import ImportRun

app_name = "people"

Kind = ImportRun.Kind
urlpatterns = [
    path("impor-pegawai/", import_views.import_page, name="import"),
    path("impor-unit/", import_views.table_import_page, {"kind": Kind.UNITS}, name="import-units"),
    path(
        "impor-lokasi/",
        import_views.table_import_page,
        {"kind": Kind.LOCATIONS},
        name="import-locations",
    ),
    path(
        "impor-pegawai/templat.xlsx",
        import_views.template_download,
        {"kind": Kind.EMPLOYEES},
        name="template-employees",
    ),
    path(
        "impor-unit/templat.xlsx",
        import_views.template_download,
        {"kind": Kind.UNITS},
        name="template-units",
    ),
    path(
        "impor-lokasi/templat.xlsx",
        import_views.template_download,
        {"kind": Kind.LOCATIONS},
        name="template-locations",
    ),
]
