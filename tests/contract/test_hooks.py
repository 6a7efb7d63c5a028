"""The contract run's ``filter_failure`` hook drops exactly schemathesis' multipart false
positive (a string field sent as a number is still that string on the wire) and keeps every
other failure."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from schemathesis.core.mutations import OperatorKind
from schemathesis.core.parameters import ParameterLocation

from tests.contract.hooks import filter_failure

BODY = ParameterLocation.BODY


def _case(media: str, *mutations: Any, negative: tuple[ParameterLocation, ...] = (BODY,)) -> Any:
    meta = SimpleNamespace(
        phase=SimpleNamespace(data=SimpleNamespace(mutations=mutations)),
        is_negative_at=lambda location: location in negative,
    )
    return SimpleNamespace(media_type=media, meta=meta)


def _mutation(new: str, *, operator: str = OperatorKind.CHANGE_TYPE, location: Any = BODY) -> Any:
    return SimpleNamespace(
        operator=operator, parameter_location=location, original_value="string", new_value=new
    )


ACCEPTED = SimpleNamespace(code="ST201")


def test_it_drops_a_multipart_string_sent_as_a_number() -> None:
    case = _case("multipart/form-data", _mutation("integer"), _mutation("number"))
    assert filter_failure(None, ACCEPTED, case, None) is False


@pytest.mark.parametrize(
    "case",
    [
        _case("application/json", _mutation("integer")),  # JSON keeps the number a number
        _case("multipart/form-data", _mutation("object")),
        _case("multipart/form-data", _mutation("integer"), _mutation("array")),
        _case(
            "multipart/form-data", _mutation("integer", operator=OperatorKind.NEGATE_CONSTRAINTS)
        ),
        _case(
            "multipart/form-data", _mutation("integer"), negative=(BODY, ParameterLocation.QUERY)
        ),
        _case("multipart/form-data"),  # no mutation recorded
    ],
)
def test_it_keeps_every_other_accepted_negative_case(case: Any) -> None:
    assert filter_failure(None, ACCEPTED, case, None) is True


def test_it_keeps_every_other_kind_of_failure() -> None:
    case = _case("multipart/form-data", _mutation("integer"))
    assert filter_failure(None, SimpleNamespace(code="ST202"), case, None) is True
