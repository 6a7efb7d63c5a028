"""Master data rules: employees' identifiers and phones, the unit tree, allowed locations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from govem.people.models import Employee, Unit, WorkLocation


def new_employee(unit: Unit, **fields: Any) -> Employee:
    values: dict[str, Any] = {"employee_type": "PNS", "name": "Siti Rahmah", "unit": unit}
    values.update(fields)
    return Employee(**values)


def errors_of(employee: Employee) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        employee.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize("employee_type", ["PNS", "PPPK"])
def test_it_requires_a_nip_of_civil_servants(unit: Unit, employee_type: str) -> None:
    errors = errors_of(new_employee(unit, employee_type=employee_type))
    assert errors["nip"] == ["PNS dan PPPK wajib memiliki NIP."]


def test_it_explains_what_is_wrong_with_a_nip(unit: Unit) -> None:
    errors = errors_of(new_employee(unit, nip="198705122010013003"))
    assert errors["nip"] == ["Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2."]


def test_it_requires_its_own_number_of_a_non_asn_employee(unit: Unit) -> None:
    errors = errors_of(new_employee(unit, employee_type="NON_ASN"))
    assert errors["non_asn_id"] == ["Pegawai non-ASN wajib memiliki nomor induk."]


def test_it_keeps_only_the_identifier_that_fits_the_employee_type(unit: Unit) -> None:
    contract = new_employee(
        unit, employee_type="NON_ASN", non_asn_id="THL-2024-0113", nip="198705122010011003"
    )
    contract.full_clean()
    assert (contract.nip, contract.non_asn_id) == (None, "THL-2024-0113")
    assert contract.identifier == "THL-2024-0113"
    pppk = new_employee(unit, employee_type="PPPK", nip="199002022022212001", non_asn_id="X-1")
    pppk.full_clean()
    assert (pppk.nip, pppk.non_asn_id) == ("199002022022212001", None)


def test_it_reads_digits_13_14_as_a_month_only_for_pns(unit: Unit) -> None:
    # A real NI PPPK carries the code 21 where a PNS number has the TMT month.
    new_employee(unit, employee_type="PPPK", nip="199002022022212001").full_clean()
    errors = errors_of(new_employee(unit, employee_type="PNS", nip="199002022022212001"))
    assert len(errors["nip"]) == 1 and errors["nip"][0].startswith("Bulan TMT")
    errors = errors_of(new_employee(unit, employee_type="PPPK", nip="199002022022213001"))
    assert errors["nip"] == ["Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2."]


def test_it_refuses_an_employee_without_identifier_in_the_database_too(unit: Unit) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        new_employee(unit).save()


def test_it_refuses_a_duplicate_nip(employee: Employee, unit: Unit) -> None:
    errors = errors_of(new_employee(unit, nip=employee.nip))
    assert "nip" in errors


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456.7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("0511 4721 12", "+62511472112"),  # a landline in Rantau
        ("", ""),
    ],
)
def test_it_stores_phones_as_plus_62(unit: Unit, typed: str, stored: str) -> None:
    employee = new_employee(unit, nip="198705122010011003", phone=typed)
    employee.full_clean()
    assert employee.phone == stored


@pytest.mark.parametrize(
    "typed", ["12345", "+1 555 0100 200", "0812", "+62 0812 3456 7890", "08123456789012345", "08a1"]
)
def test_it_refuses_a_phone_that_is_not_indonesian(unit: Unit, typed: str) -> None:
    errors = errors_of(new_employee(unit, nip="198705122010011003", phone=typed))
    assert errors["phone"] == ["Nomor telepon harus berformat +62… (contoh +6281234567890)."]


def test_it_refuses_an_employee_as_their_own_supervisor(employee: Employee) -> None:
    employee.supervisor = employee
    assert "supervisor" in errors_of(employee)


@pytest.fixture
def tree(db: Any) -> dict[str, Unit]:
    setda = Unit.objects.create(code="SETDA", name="Sekretariat Daerah")
    bagian = Unit.objects.create(code="SETDA-ORG", name="Bagian Organisasi", parent=setda)
    subbag = Unit.objects.create(code="SETDA-ORG-KL", name="Subbagian Kelembagaan", parent=bagian)
    kominfo = Unit.objects.create(code="DISKOMINFO", name="Diskominfo")
    return {"setda": setda, "bagian": bagian, "subbag": subbag, "kominfo": kominfo}


def codes(units: Any) -> set[str]:
    return {unit.code for unit in units}


def test_it_keeps_each_units_path_from_the_root(tree: dict[str, Unit]) -> None:
    setda, bagian, subbag = tree["setda"], tree["bagian"], tree["subbag"]
    assert setda.path == f"/{setda.pk}/"
    assert subbag.path == f"/{setda.pk}/{bagian.pk}/{subbag.pk}/"
    assert subbag.ancestors_and_self_ids() == [setda.pk, bagian.pk, subbag.pk]
    assert codes(setda.subtree()) == {"SETDA", "SETDA-ORG", "SETDA-ORG-KL"}


def test_it_moves_a_unit_with_its_whole_subtree(tree: dict[str, Unit]) -> None:
    bagian = tree["bagian"]
    bagian.parent = tree["kominfo"]
    bagian.save()
    for unit in tree.values():
        unit.refresh_from_db()
    kominfo, subbag = tree["kominfo"], tree["subbag"]
    assert subbag.path == f"/{kominfo.pk}/{bagian.pk}/{subbag.pk}/"
    assert codes(tree["setda"].subtree()) == {"SETDA"}
    assert codes(kominfo.subtree()) == {"DISKOMINFO", "SETDA-ORG", "SETDA-ORG-KL"}
    # Sibling codes sharing a prefix are not mistaken for children.
    assert codes(Unit.objects.get(pk=bagian.pk).subtree()) == {"SETDA-ORG", "SETDA-ORG-KL"}


def test_it_does_not_confuse_unit_10_with_unit_1(db: Any) -> None:
    units = [Unit.objects.create(code=f"U{i}", name=f"Unit {i}") for i in range(12)]
    first = units[0]
    child = Unit.objects.create(code="U0-A", name="Anak", parent=first)
    assert codes(first.subtree()) == {"U0", "U0-A"}
    assert child.pk not in [u.pk for u in units[1].subtree()]


def test_it_refuses_a_unit_under_its_own_descendant(tree: dict[str, Unit]) -> None:
    setda = tree["setda"]
    setda.parent = tree["subbag"]
    with pytest.raises(ValidationError) as caught:
        setda.full_clean()
    assert "parent" in caught.value.message_dict
    setda.parent = setda
    with pytest.raises(ValidationError):
        setda.full_clean()


def test_it_allows_a_units_locations_its_parents_and_the_employees_extras(
    tree: dict[str, Unit],
) -> None:
    def place(name: str, lat: float, *, active: bool = True) -> WorkLocation:
        return WorkLocation.objects.create(name=name, latitude=lat, longitude=115.16, active=active)

    tree["setda"].locations.add(place("Kantor Bupati", -2.94))
    tree["bagian"].locations.add(place("Gedung Organisasi", -2.95))
    tree["kominfo"].locations.add(place("Kantor Diskominfo", -2.96))
    tree["subbag"].locations.add(place("Gedung Lama (ditutup)", -2.97, active=False))
    person = Employee.objects.create(
        employee_type="PNS", nip="198705122010011003", name="Rahmat", unit=tree["subbag"]
    )
    duty = place("Lokasi Dinas Luar", -3.10)
    person.extra_locations.add(duty)
    assert {loc.name for loc in person.allowed_locations()} == {
        "Kantor Bupati",
        "Gedung Organisasi",
        "Lokasi Dinas Luar",
    }
    # The same location reached two ways is listed once.
    tree["subbag"].locations.add(duty)
    assert person.allowed_locations().count() == 3

    bagian = tree["bagian"]
    bagian.parent = tree["kominfo"]
    bagian.save()
    person.refresh_from_db()
    person.unit.refresh_from_db()
    assert {loc.name for loc in person.allowed_locations()} == {
        "Kantor Diskominfo",
        "Gedung Organisasi",
        "Lokasi Dinas Luar",
    }


def test_it_refuses_a_location_outside_the_earth_or_a_bad_polygon(db: Any) -> None:
    for fields, field in [
        ({"latitude": 91, "longitude": 115}, "latitude"),
        ({"latitude": -2.9, "longitude": 181}, "longitude"),
        ({"latitude": -2.9, "longitude": 115, "radius_m": 6000}, "radius_m"),
        ({"latitude": -2.9, "longitude": 115, "polygon": [[-2.9, 115], [-2.9, 115.1]]}, "polygon"),
        (
            {"latitude": -2.9, "longitude": 115, "polygon": [[-2.9, 115]] * 2 + [["a", 1]]},
            "polygon",
        ),
        ({"latitude": -2.9, "longitude": 115, "polygon": {"type": "Polygon"}}, "polygon"),
        ({"latitude": -2.9, "longitude": 115, "time_zone": "Mars/Olympus"}, "time_zone"),
    ]:
        location = WorkLocation(name="Uji", **fields)
        with pytest.raises(ValidationError) as caught:
            location.full_clean()
        assert field in caught.value.message_dict, (fields, caught.value.message_dict)


def test_it_accepts_a_polygon_of_three_or_more_points(db: Any) -> None:
    square = [[-2.9390, 115.1608], [-2.9390, 115.1618], [-2.9400, 115.1618], [-2.9400, 115.1608]]
    location = WorkLocation(name="Kompleks", latitude=-2.9395, longitude=115.1613, polygon=square)
    location.full_clean()
    empty = WorkLocation(name="Tanpa poligon", latitude=-2.9, longitude=115.1, polygon=[])
    empty.full_clean()
    assert empty.polygon is None
