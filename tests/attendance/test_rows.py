"""The check-in's shortcuts give what Django's own calls give (govem.db.rows, the punch
INSERT's value preparation): the same instances, the same statement parameters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_init

from govem.accounts.models import ApiToken
from govem.accounts.tokens import lookup
from govem.attendance import services
from govem.attendance.models import DayRecord, Punch
from govem.db import rows
from govem.people.models import Device, Employee, Unit

pytestmark = pytest.mark.django_db


def state(instance: Any) -> dict[str, Any]:
    """Everything an instance holds: its fields, cached relations and state."""
    values = {k: v for k, v in vars(instance).items() if k != "_state"}
    return {
        **values,
        "_state": (instance._state.adding, instance._state.db),
        "_cache": sorted(instance._state.fields_cache),
    }


def test_an_instance_from_a_row_is_what_from_db_builds(phone: Any, employee: Employee) -> None:
    for model, pk in (
        (ApiToken, ApiToken.objects.get(user=employee.user).pk),
        (get_user_model(), employee.user.pk),
        (Employee, employee.pk),
        (Unit, employee.unit_id),
        (Device, Device.objects.get(employee=employee).pk),
    ):
        names = [f.attname for f in model._meta.concrete_fields]
        values = list(model.objects.filter(pk=pk).values_list(*names).get())
        assert rows.plain_attnames(model) == tuple(names), model
        fast = rows.from_row(model, "default", names, values)
        assert type(fast) is model
        assert state(fast) == state(model.from_db("default", names, values))
        assert fast == model.objects.get(pk=pk)


def test_a_new_instance_is_what_the_model_builds(employee: Employee) -> None:
    values = {
        "employee_id": employee.pk,
        "date": date(2026, 11, 30),
        "status": "H",
        "codes": ["H"],
        "first_in": datetime(2026, 11, 30, 0, 5, tzinfo=UTC),
    }
    fast = rows.build(DayRecord, dict(values))
    assert state(fast) == state(DayRecord(**values))
    assert fast.codes == ["H"] and fast._state.adding and fast.pk is None
    by_name = rows.build(DayRecord, {"employee": employee, "date": date(2026, 11, 30)})
    assert by_name.employee is employee  # a relation by its name: built by Django itself
    with pytest.raises(TypeError):  # no such field: Django's own refusal
        rows.build(DayRecord, {"employe_id": employee.pk})


def test_a_receiver_of_the_init_signals_sends_it_through_django(employee: Employee) -> None:
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Unit)
    try:
        names = [f.attname for f in Unit._meta.concrete_fields]
        values = list(Unit.objects.filter(pk=employee.unit_id).values_list(*names).get())
        seen.clear()
        unit = rows.from_row(Unit, "default", names, values)
        assert seen == [unit]
        built = rows.build(DayRecord, {"employee_id": employee.pk, "date": date(2026, 11, 30)})
        assert isinstance(built, DayRecord) and seen == [unit]  # DayRecord: no receiver of its own
    finally:
        post_init.disconnect(receiver, sender=Unit)


def test_the_token_lookup_attaches_the_same_relations(phone: Any, employee: Employee) -> None:
    from govem.accounts.services import hash_token

    token = lookup(hash_token(phone.token), datetime.now(UTC))
    assert token is not None
    assert token.user == employee.user and token.user.employee == employee
    assert token.user.employee.unit == employee.unit
    assert token.device == Device.objects.get(employee=employee)
    assert token.bound_device_pk == token.device.pk  # type: ignore[attr-defined]


def test_the_punch_insert_sends_what_the_fields_prepare(
    phone: Any, employee: Employee, clock: Any
) -> None:
    assert phone.punch("in").status_code == 201
    assert phone.punch("in", latitude=-3.5, longitude=115.0).status_code in (409, 422)
    _sql, plan = services._insert_plan(connection)  # type: ignore[misc]
    stored = list(Punch.objects.filter(employee=employee))
    assert len(stored) == 2
    for punch in stored:
        values = {f.attname: getattr(punch, f.attname) for f in Punch._meta.concrete_fields}
        values.pop("note")  # a field the check-in leaves at its default
        expected = [
            field.get_db_prep_save(field.pre_save(punch, True), connection) for field, _ in plan
        ]
        got = services.prepared_values(values, plan, connection)
        assert [sent(v) for v in got] == [sent(v) for v in expected]


def sent(value: Any) -> tuple[str, Any]:
    """A parameter as the driver gets it: its type and value (psycopg's Jsonb wrapper
    compares by identity, so by what it wraps)."""
    return type(value).__name__, getattr(value, "obj", value)
