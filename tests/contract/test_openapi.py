"""The OpenAPI document itself: parseable by Swagger UI (no duplicated keys), every operation
declares the statuses its layers answer, with the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)


def test_every_operation_declares_its_refusals_with_the_error_shape(client: Client) -> None:
    raw = client.get("/api/v1/openapi.json").content
    schema = json.loads(raw, object_pairs_hook=_no_duplicates)
    error = {"$ref": "#/components/schemas/ErrorOut"}
    operations = [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 30
    for method, path, operation in operations:
        responses = operation["responses"]
        expected = set()
        if operation.get("security"):
            expected.add("401")
        if method in ("post", "delete"):
            expected |= {"400", "413", "422"}
        if operation.get("parameters"):
            expected.add("422")
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            assert responses[status]["content"]["application/json"]["schema"] == error
    login = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"401", "429"} <= set(login) and "security" not in schema["paths"]["/api/v1/auth/token"][
        "post"
    ]


def test_inputs_are_as_strict_as_their_checks(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    verify = schema["components"]["schemas"]["VerifyIn"]["properties"]["date"]
    assert verify["format"] == "date" and verify["pattern"].startswith("^(20[0-9]{2}|2100)")
    decision = schema["components"]["schemas"]["DecisionIn"]["properties"]["decision"]
    assert decision["enum"] == ["approve", "reject"]
    token = schema["components"]["schemas"]["TokenIn"]
    assert token["properties"]["nip"]["pattern"] == "^[^\\x00]*$"
    assert token["propertyNames"] == {"pattern": "^[^\\x00]*$"}
    params = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/clarifications"]["get"]["parameters"]
    }
    status = params["status"]["anyOf"][0]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][status]["enum"]) == {"open", "closed"}


def test_a_review_reason_is_declared_as_not_blank(client: Client) -> None:
    """Found by the seeded contract run: ``reason: ""`` passed the schema and got a 422."""
    schema = client.get("/api/v1/openapi.json").json()
    reason = schema["components"]["schemas"]["ReviewIn"]["properties"]["reason"]
    assert reason["minLength"] == 1 and reason["pattern"] == "^[^\\x00]*[^\\s\\x00][^\\x00]*$"
