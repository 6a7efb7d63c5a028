"""Shapes the whole API shares: the error body, and dates and months as strict as their checks."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from govem.dates import FIRST_YEAR, LAST_YEAR, supported


class ErrorDetail(Schema):
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(Schema):
    """Every refusal: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorDetail


# No string anywhere may carry NUL (govem.inputs refuses it); text that must say something
# holds at least one character that is neither a space nor NUL (the services strip it).
NO_NUL_PATTERN = r"^[^\x00]*$"
TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"

# Years 2000–2100 (govem.dates.FIRST_YEAR/LAST_YEAR), written the one ISO way.
DATE_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"


def _date_text(value: Any) -> Any:
    # pydantic alone also takes Unix timestamps and date-times; the contract is YYYY-MM-DD.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value):
        raise ValueError(f"must be a date YYYY-MM-DD between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _supported(day: date) -> date:
    if not supported(day):
        raise ValueError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return day


ApiDate = Annotated[
    date,
    BeforeValidator(_date_text),
    AfterValidator(_supported),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]

ApiMonth = Annotated[
    str,
    Field(pattern=MONTH_PATTERN, description="YYYY-MM", examples=["2026-11"]),
]

# An id in a path or a query: a database key, never beyond a signed 64-bit integer.
MAX_ID = 2**63 - 1
