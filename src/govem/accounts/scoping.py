"""Who may see and change whose data (DESIGN §1), applied in the querysets.

- Pegawai: their own data.
- Atasan: their direct subordinates (``Employee.supervisor``), plus their own.
- Operator: one unit subtree — the units in :class:`~govem.accounts.models.RoleScope`, or,
  without a row, the operator's own unit.
- Tim IT: everything. Inovator: everything, read-only.

A user with several roles sees the union. Lookups outside the scope answer 404 (the object
"does not exist" for that user), writes by a read-only user answer 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from govem.accounts.models import RoleScope
from govem.accounts.roles import ATASAN, BKPSDM, INOVATOR, OPERATOR, TIM_IT, role_names
from govem.people.models import Employee, Unit

MONITOR_ROLES = (ATASAN, OPERATOR, TIM_IT, INOVATOR)
NOTHING = Q(pk__in=[])


def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def is_it(user: Any) -> bool:
    return is_superuser(user) or TIM_IT in role_names(user)


def sees_everything(user: Any) -> bool:
    return is_it(user) or INOVATOR in role_names(user)


def can_write(user: Any) -> bool:
    """False for a read-only user: the Inovator (unless also Tim IT) and anonymous users.

    Everyone else may write what their scope allows (an employee without any group is a
    Pegawai: imported employees need not be put in a group to use the app)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_it(user) or INOVATOR not in role_names(user)


def can_monitor(user: Any) -> bool:
    """May open the monitoring console (scoped to what the user sees)."""
    return is_superuser(user) or bool(role_names(user) & set(MONITOR_ROLES))


def can_approve(user: Any) -> bool:
    """May decide requests: a supervisor (their people), an operator (their units), Tim IT."""
    return can_write(user) and (is_it(user) or bool(role_names(user) & {ATASAN, OPERATOR}))


def can_handle_tickets(user: Any) -> bool:
    """May read tickets of others (Operator in scope, Tim IT, Inovator)."""
    return is_superuser(user) or bool(role_names(user) & {OPERATOR, TIM_IT, INOVATOR})


def can_operate(user: Any) -> bool:
    """Tim IT, or an operator who may write (within their units, as the querysets scope)."""
    return can_write(user) and (is_it(user) or OPERATOR in role_names(user))


def can_reply_tickets(user: Any) -> bool:
    return can_operate(user)


def can_review_punches(user: Any) -> bool:
    """Accept or reject flagged punches: Tim IT, and operators within their unit."""
    return can_operate(user)


def can_manage_pagu(user: Any) -> bool:
    """Import the TPP pagu table: Tim IT only."""
    return is_it(user)


def can_record_sentences(user: Any) -> bool:
    """Record discipline sentences: BKPSDM and Tim IT."""
    return is_it(user) or BKPSDM in role_names(user)


def operator_units(user: Any) -> list[Unit]:

    cached = getattr(user, "_govem_operator_units", None)
    if cached is not None:
        return list(cached)
    units = [scope.unit for scope in RoleScope.objects.filter(user=user).select_related("unit")]
    if not units:
        own = Employee.objects.filter(user=user).select_related("unit").first()
        if own is not None:
            units = [own.unit]
    user._govem_operator_units = units
    return list(units)


def _path_q(paths: list[str], field: str) -> Q:
    query = NOTHING
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def employee_q(user: Any, prefix: str = "") -> Q:
    """A filter on Employee (or on a model's ``prefix``-ed employee relation) for ``user``."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if sees_everything(user):
        return Q()
    roles = role_names(user)
    query = Q(**{f"{prefix}user_id": user.pk})
    if ATASAN in roles:
        query |= Q(**{f"{prefix}supervisor__user_id": user.pk})
    if OPERATOR in roles:
        paths = [unit.path for unit in operator_units(user)]
        query |= _path_q(paths, f"{prefix}unit__path")
    return query


def visible_employees(user: Any) -> QuerySet[Employee]:
    return Employee.objects.filter(employee_q(user))


def visible_units(user: Any) -> QuerySet[Unit]:
    """Units the user may pick: all, the operator's subtrees, or the units of their people."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if sees_everything(user):
        return Unit.objects.all()
    query = NOTHING
    if OPERATOR in role_names(user):
        query |= _path_q([unit.path for unit in operator_units(user)], "path")
    unit_ids = visible_employees(user).values_list("unit_id", flat=True)
    return Unit.objects.filter(query | Q(pk__in=unit_ids)).distinct()


def scope_units(user: Any) -> list[Unit]:
    """The roots of the user's visible unit forest (for the unit picker's default)."""
    units = list(visible_units(user).order_by("path"))
    roots: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots
