from __future__ import annotations

import pytest
from django.http import Http404

from govem.accounts.access import get_employee_for_user_or_404
from govem.accounts.models import RoleScope
from govem.accounts.scoping import can_write, visible_employees, visible_units
from govem.people.models import Unit
from tests.conftest import make_employee


def _names(user) -> set[str]:
    return set(visible_employees(user).values_list("name", flat=True))


def test_it_shows_a_supervisor_only_direct_subordinates(regency) -> None:
    grandchild = make_employee(regency.unit, "199505052020121001", "Cucu Bawahan")
    grandchild.supervisor = regency.employee
    grandchild.save()
    assert _names(regency.supervisor.user) == {"Budi Santoso", "Rahmat Hidayat"}
    assert _names(regency.employee.user) == {"Rahmat Hidayat"}


def test_it_gives_an_operator_the_whole_unit_subtree(regency) -> None:
    section = Unit.objects.create(code="DISKOMINFO-TIK", name="Bidang TIK", parent=regency.unit)
    make_employee(section, "199606062021011001", "Pegawai Bidang")
    names = _names(regency.operator)
    assert "Pegawai Bidang" in names
    assert "Dewi Lestari" not in names
    assert set(visible_units(regency.operator).values_list("code", flat=True)) == {
        "DISKOMINFO",
        "DISKOMINFO-TIK",
    }


def test_it_follows_an_explicit_role_scope(regency) -> None:
    RoleScope.objects.create(user=regency.outsider, unit=regency.unit)
    names = _names(regency.outsider)
    assert "Rahmat Hidayat" in names
    assert "Dewi Lestari" not in names  # the explicit scope replaces the own unit


def test_it_answers_404_outside_the_scope(regency) -> None:
    assert get_employee_for_user_or_404(regency.operator, regency.employee.pk) == regency.employee
    with pytest.raises(Http404):
        get_employee_for_user_or_404(regency.outsider, regency.employee.pk)
    with pytest.raises(Http404):
        get_employee_for_user_or_404(regency.operator, "bukan-angka")


def test_it_shows_everything_to_tim_it_and_the_inovator_read_only(regency) -> None:
    everyone = _names(regency.tim_it)
    assert _names(regency.inovator) == everyone
    assert {"Rahmat Hidayat", "Dewi Lestari"} <= everyone
    assert can_write(regency.tim_it)
    assert not can_write(regency.inovator)
    assert can_write(regency.employee.user)
