"""Govem's URLs plus one address that fails, to see the 500 page in a browser."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from govem.urls import urlpatterns as govem_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate failure for the 500 page")


urlpatterns = [path("tes-gagal/", boom), *govem_urlpatterns]
