"""Bad rule-table input is refused with an Indonesian message and a stable code, in the
admin form and in ``change_rules`` — nothing written, no 500 (a malformed allowance once
reached the day computation: ``int("dua")``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from govem.attendance.models import DayRecord, RuleSet
from govem.attendance.rulesets import change_rules
from govem.errors import DomainError

pytestmark = pytest.mark.django_db

CASES = [
    # (changes, field, code, words of the message)
    ({"allowances": '{"S": "dua"}'}, "allowances", "rule_allowances_invalid", "bilangan bulat"),
    ({"allowances": "[1, 2]"}, "allowances", "rule_allowances_invalid", "objek JSON"),
    ({"allowances": '{"S": -1}'}, "allowances", "rule_allowances_invalid", "0–31"),
    ({"allowances": '{"sakit": 2}'}, "allowances", "rule_allowances_invalid", "Kode sakit"),
    ({"absence_pcts": '{"S": "abc"}'}, "absence_pcts", "rule_absence_pcts_invalid", "0–100"),
    ({"absence_pcts": '{"S": 150}'}, "absence_pcts", "rule_absence_pcts_invalid", "0–100"),
    ({"daily_cap_pct": "-1"}, "daily_cap_pct", "rule_pct_out_of_range", "antara 0 dan 100"),
    ({"tk_pct": "101"}, "tk_pct", "rule_pct_out_of_range", "antara 0 dan 100"),
    (
        {"missing_punch": "fixed", "missing_punch_minutes": "0"},
        "missing_punch_minutes",
        "rule_missing_punch_minutes_required",
        "lebih dari 0",
    ),
    (
        {"missing_punch": "fixed", "missing_punch_minutes": "900"},
        "missing_punch_minutes",
        "rule_missing_punch_minutes_too_many",
        "720",
    ),
]


def _form(**changes: str) -> dict[str, str]:
    form = {
        field: "" if value is None else str(value)
        for field, value in RuleSet.objects.filter(code="BAWAAN").values().get().items()
        if field.endswith(("_pct", "_max", "_mode", "_rounding", "missing_punch", "_minutes"))
    }
    form.update(active="on", allowances="{}", absence_pcts="{}", note="uji")
    form.update(code="PERBUP-X", name="Perbup uji", valid_from="2026-11-01", valid_to="")
    form.update(changes)
    return form


@pytest.mark.parametrize(("changes", "field", "code", "words"), CASES)
def test_the_admin_form_refuses_it_and_writes_nothing(
    december: Any, admin_client: Client, changes: dict[str, str], field: str, code: str, words: str
) -> None:
    days_before = DayRecord.objects.count()
    response = admin_client.post("/admin/attendance/ruleset/add/", _form(**changes))
    assert response.status_code == 200  # the form again, not a 500 and not a redirect
    errors = response.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors[field]] == [code]
    assert words in " ".join(errors[field][0].messages)
    assert words in response.content.decode()
    assert not RuleSet.objects.filter(code="PERBUP-X").exists()
    assert DayRecord.objects.count() == days_before


def test_a_good_row_still_saves(december: Any, admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/attendance/ruleset/add/",
        _form(allowances='{"S": 2}', absence_pcts='{"S": "1.5"}', daily_cap_pct="2"),
    )
    assert response.status_code == 302
    row = RuleSet.objects.get(code="PERBUP-X")
    assert row.allowances == {"S": 2} and row.absence_pcts == {"S": "1.5"}


def _python_value(field: str, raw: str) -> Any:
    import json

    return json.loads(raw) if field in {"allowances", "absence_pcts"} else raw


@pytest.mark.parametrize(("changes", "field", "code", "words"), CASES)
def test_change_rules_refuses_it_and_keeps_the_row_in_force(
    december: Any, changes: dict[str, str], field: str, code: str, words: str
) -> None:
    current = RuleSet.objects.get(code="BAWAAN")
    values = {name: _python_value(name, raw) for name, raw in changes.items()}
    if "missing_punch_minutes" in values:
        values["missing_punch_minutes"] = int(values["missing_punch_minutes"])
    with pytest.raises(DomainError) as refused:
        change_rules(
            valid_from=date(2026, 11, 1),
            code="PERBUP-X",
            name="Perbup uji",
            by=None,
            reason="uji",
            **values,
        )
    assert refused.value.code == code
    assert refused.value.details == {"field": field}
    assert words in refused.value.message
    assert not RuleSet.objects.filter(code="PERBUP-X").exists()
    current.refresh_from_db()
    assert current.valid_to is None  # the row before was not ended


def test_the_refusals_are_in_the_english_catalogue() -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    row = RuleSet.objects.get(code="BAWAAN")
    row.allowances = {"S": "dua"}
    row.missing_punch, row.missing_punch_minutes = "fixed", 0
    row.tk_pct = 101
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            row.clean()
        messages = {field: " ".join(e[0].messages) for field, e in refused.value.error_dict.items()}
    assert messages == {
        "allowances": 'The value of S must be a whole number of days, 0–31, e.g. {"S": 2}.',
        "missing_punch_minutes": (
            "Enter the fixed minutes (more than 0) when a missing punch books fixed minutes."
        ),
        "tk_pct": "A percentage must be between 0 and 100.",
    }
