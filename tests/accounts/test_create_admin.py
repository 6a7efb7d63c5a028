"""govem create-admin: the first Tim IT account, with its group, scope and an audited trail."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from govem.accounts.models import AuditEntry, RoleScope
from govem.accounts.roles import OPERATOR, TIM_IT, role_names
from govem.accounts.scoping import is_it, visible_employees
from govem.people.models import Employee, Unit

PASSWORD = "Sandi-Kuat-2026"


def create(*args: str, password: str = PASSWORD, monkeypatch: Any) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_admin", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_it_creates_a_tim_it_account_that_can_log_in(
    db: Any, monkeypatch: Any, client: Client
) -> None:
    text = create("timit.diskominfo", "--email", "it@tapinkab.go.id", monkeypatch=monkeypatch)

    assert "peran Tim IT" in text
    user = get_user_model().objects.get(username="timit.diskominfo")
    assert role_names(user) == {TIM_IT}
    assert is_it(user) and user.is_staff
    assert (
        client.post("/masuk/", {"login": "timit.diskominfo", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get("/operasi/").status_code == 200
    entry = AuditEntry.objects.get(action="create_account")
    assert entry.after == {"role": TIM_IT, "unit": None}


def test_it_scopes_an_operator_to_a_unit(
    db: Any, monkeypatch: Any, employee: Employee, unit: Unit
) -> None:
    other = Unit.objects.create(code="BKPSDM", name="BKPSDM")
    Employee.objects.create(employee_type="NON_ASN", non_asn_id="NA-1", name="Lain", unit=other)

    create("op.diskominfo", "--role", "operator", "--unit", "diskominfo", monkeypatch=monkeypatch)

    user = get_user_model().objects.get(username="op.diskominfo")
    assert role_names(user) == {OPERATOR} and not user.is_superuser
    assert RoleScope.objects.get(user=user).unit == unit
    assert list(visible_employees(user)) == [employee]


@pytest.mark.parametrize(
    ("args", "password", "complaint"),
    [
        (["x", "--role", "operator"], PASSWORD, "Operator memerlukan --unit"),
        (["x", "--unit", "DISKOMINFO"], PASSWORD, "--unit hanya untuk --role operator"),
        (["x"], "123", "Kata sandi ditolak"),
        (["198705122010011003"], PASSWORD, "sudah ada"),
    ],
)
def test_it_refuses_what_would_make_a_broken_account(
    db: Any, monkeypatch: Any, employee: Employee, args: list[str], password: str, complaint: str
) -> None:
    before = get_user_model().objects.count()
    with pytest.raises(CommandError, match=complaint):
        create(*args, password=password, monkeypatch=monkeypatch)
    assert get_user_model().objects.count() == before


def test_it_runs_as_govem_create_admin() -> None:
    govem = Path(sys.executable).with_name("govem")
    result = subprocess.run(
        [str(govem), "create-admin", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "--password-stdin" in result.stdout
