"""The API token lookup of every request, in one statement built once.

token → user → employee → unit, the token's device, the employee's active device binding
and the punch-context generation (govem.attendance.context): everything a check-in needs
about who is asking. The ORM spent more time composing this five-table query than the
database spent answering it, so the SQL and the row layout are built once per database
vendor and the rows are turned into model instances with the backend's own converters
(``Model.from_db``, as the ORM does).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection

from govem.accounts.models import ApiToken
from govem.db import hot, rows
from govem.people.models import Device, Employee, Unit

_TOKEN_SQL: dict[str, tuple[str, list[Any]]] = {}


def _columns(model: Any, alias: str, connection: Any) -> tuple[list[str], list[Any]]:
    """``alias.column`` for every concrete field, and each value's converters."""
    fields = list(model._meta.concrete_fields)
    names = [f"{alias}.{connection.ops.quote_name(field.column)}" for field in fields]
    plan = []
    for index, field in enumerate(fields):
        expression = field.get_col(alias)
        converters = connection.ops.get_db_converters(expression)
        converters += field.get_db_converters(connection)
        if converters:  # most columns arrive as they are stored
            plan.append((index, converters, expression))
    return names, plan


def _select_with_context(
    models: tuple[tuple[Any, str], ...], generation_model: Any, connection: Any
) -> tuple[str, list[Any]]:
    """The SELECT list of both lookups: the models' columns, then the punch-context generation
    and the employee ``e``'s active device binding (id, device key)."""
    q = connection.ops.quote_name
    layout = []
    select = []
    for model, alias in models:
        names, plan = _columns(model, alias, connection)
        select += names
        layout.append((model, plan, [f.attname for f in model._meta.concrete_fields]))
    bound = (
        f"FROM {q(Device._meta.db_table)} b WHERE b.employee_id = e.id "
        "AND b.released_at IS NULL ORDER BY b.id LIMIT 1"
    )
    generation = q(generation_model._meta.db_table)
    return (
        f"SELECT {', '.join(select)}, "  # noqa: S608
        f"(SELECT g.value FROM {generation} g WHERE g.id = 1), "
        f"(SELECT b.id {bound}), (SELECT b.device_id {bound})"
    ), layout


def _token_query(connection: Any) -> tuple[str, list[Any]]:
    """The token lookup's SQL and row layout, built once per database vendor."""
    # attendance imports accounts at module level: a top-level import would be circular
    from govem.attendance.models import CacheGeneration

    vendor = connection.vendor
    if vendor not in _TOKEN_SQL:
        q = connection.ops.quote_name
        select, layout = _select_with_context(
            (
                (ApiToken, "t"),
                (get_user_model(), "u"),
                (Employee, "e"),
                (Unit, "n"),
                (Device, "d"),
            ),
            CacheGeneration,
            connection,
        )
        sql = (
            f"{select} "
            f"FROM {q(ApiToken._meta.db_table)} t "
            f"JOIN {q(get_user_model()._meta.db_table)} u ON u.id = t.user_id "
            f"LEFT JOIN {q(Employee._meta.db_table)} e ON e.user_id = u.id "
            f"LEFT JOIN {q(Unit._meta.db_table)} n ON n.id = e.unit_id "
            f"LEFT JOIN {q(Device._meta.db_table)} d ON d.id = t.device_id "
            "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
        )
        _TOKEN_SQL[vendor] = (sql, layout)
    return _TOKEN_SQL[vendor]


def _instances(row: tuple[Any, ...], layout: list[Any], connection: Any) -> list[Any]:
    found: list[Any] = []
    offset = 0
    alias = connection.alias
    for model, plan, names in layout:
        values = list(row[offset : offset + len(names)])
        offset += len(names)
        if values[0] is None:  # the LEFT JOIN found nothing
            found.append(None)
            continue
        for index, converters, expression in plan:
            for converter in converters:
                values[index] = converter(values[index], expression, connection)
        found.append(rows.from_row(model, alias, names, values))
    return [*found, list(row[offset:])]


def lookup(token_hash: str, now: datetime) -> ApiToken | None:
    """The live (not revoked, not expired) token with its relations, or ``None``."""
    sql, layout = _token_query(connection)
    with hot.cursor() as cursor:
        cursor.execute(sql, [token_hash, connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:
        return None
    token, user, employee, unit, device, extra = _instances(row, layout, connection)
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    ApiToken._meta.get_field("device").set_cached_value(token, device)
    get_user_model()._meta.get_field("employee").set_cached_value(user, employee)
    if employee is not None:
        Employee._meta.get_field("unit").set_cached_value(employee, unit)
        Employee._meta.get_field("user").set_cached_value(employee, user)
    token.cache_generation, token.bound_device_pk, token.bound_device_key = extra
    return cast(ApiToken, token)


_EMPLOYEE_SQL: dict[str, tuple[str, list[Any]]] = {}


def _employee_query(connection: Any) -> tuple[str, list[Any]]:
    """The web check-in's lookup: user → employee → unit, the active device binding and the
    punch-context generation, one statement built once per vendor (the token lookup's
    counterpart for a session)."""
    # attendance imports accounts at module level: a top-level import would be circular
    from govem.attendance.models import CacheGeneration

    vendor = connection.vendor
    if vendor not in _EMPLOYEE_SQL:
        q = connection.ops.quote_name
        select, layout = _select_with_context(
            ((Employee, "e"), (Unit, "n")), CacheGeneration, connection
        )
        sql = (
            f"{select} "
            f"FROM {q(Employee._meta.db_table)} e "
            f"JOIN {q(Unit._meta.db_table)} n ON n.id = e.unit_id "
            "WHERE e.user_id = %s"
        )
        _EMPLOYEE_SQL[vendor] = (sql, layout)
    return _EMPLOYEE_SQL[vendor]


def employee_lookup(user: Any) -> tuple[Employee | None, list[Any]]:
    """The user's employee (unit attached) and ``[generation, bound device id, bound device
    key]``; ``(None, [])`` when the user has no employee record."""
    sql, layout = _employee_query(connection)
    with hot.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        row = cursor.fetchone()
    if row is None:
        return None, []
    employee, unit, extra = _instances(row, layout, connection)
    Employee._meta.get_field("unit").set_cached_value(employee, unit)
    Employee._meta.get_field("user").set_cached_value(employee, user)
    return employee, extra
