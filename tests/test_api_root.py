"""``/api/v1/``: the API's index in JSON (ninja's own root is an HTML 404 for a JSON client)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_api_root_says_where_the_description_is(client: Client) -> None:
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    index = response.json()
    assert index == {
        "name": "Govem API",
        "version": "1",
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
    }
    assert client.get(index["openapi"]).json()["info"]["title"] == "Govem API"
    assert client.get(index["docs"]).status_code == 200


def test_the_api_root_refuses_other_methods_in_the_error_shape(client: Client) -> None:
    response = client.delete("/api/v1/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unknown_api_path_stays_a_404(client: Client) -> None:
    assert client.get("/api/v1/tidak-ada").status_code == 404
