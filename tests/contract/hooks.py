"""schemathesis hooks for the contract run (``SCHEMATHESIS_HOOKS``).

``after_call``: every response's operation, status and error code, one line each, to
``GOVEM_FUZZ_STATUSES`` — the test reads which operations reached a 2xx (the seeded data is
reached, not only 404s).

``filter_failure``: drops one false positive of schemathesis' ``negative_data_rejection`` and
nothing else. A multipart form carries every field as text, so a string field "mutated" into an
integer or a number (``description=3578``) arrives as the valid string "3578": the server cannot
tell it from a string and rightly accepts it. schemathesis already excuses the same mutation in
a path or query parameter (``_type_mutations_become_valid_after_serialization``), not yet in a
multipart body. Any other negation in the case (another mutation, another location) keeps the
failure."""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis
from schemathesis.core.mutations import OperatorKind
from schemathesis.core.parameters import ParameterLocation

ON_THE_WIRE_A_STRING = ("integer", "number")


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    path = os.environ.get("GOVEM_FUZZ_STATUSES")
    if path:
        try:
            code = json.loads(response.content)["error"]["code"]
        except (ValueError, TypeError, KeyError):
            code = ""
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{case.operation.label}\t{response.status_code}\t{code}\n")


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if failure.code != "ST201" or not str(case.media_type or "").startswith("multipart/"):
        return True
    mutations = getattr(case.meta.phase.data, "mutations", None) if case.meta else None
    if not mutations:
        return True
    only_stringified = all(
        mutation.operator == OperatorKind.CHANGE_TYPE
        and mutation.parameter_location == ParameterLocation.BODY
        and mutation.original_value == "string"
        and mutation.new_value in ON_THE_WIRE_A_STRING
        for mutation in mutations
    )
    elsewhere = any(
        case.meta.is_negative_at(location)
        for location in ParameterLocation
        if location not in (ParameterLocation.BODY, ParameterLocation.UNKNOWN)
    )
    return not only_stringified or elsewhere
