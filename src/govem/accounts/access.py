"""The one way a view or an API operation authorises (DESIGN §1; the querysets that scope are
in :mod:`govem.accounts.scoping` and each app's ``queries``).

Pages:

- :func:`get_for_user_or_404` — the object from a queryset already scoped to the user, or 404
  (outside the scope an object "does not exist");
- :func:`get_rw_for_user_or_404` — the same for a change: 403 for a read-only role first;
- :func:`require_write` — a form POST by a read-only role is 403.

Each app names its own (``get_request_for_user_or_404``, ``get_ticket_for_user_or_404``, …)
from these two, the way healthchecks' ``_get_check_for_user`` / ``_get_rw_check_for_user`` do;
the employee and unit lookups every app shares are here
(:func:`get_employee_for_user_or_404`, :func:`get_unit_for_user_or_404`). An id outside the
scope is 404 wherever it comes from (path, query or body), the same answer as for an id that
does not exist; :func:`get_units_for_user_or_404` says so for a form's list of units.

API: :func:`api_access` is the operation's dependency: it refuses a read-only role
(``read_only``) and resolves the caller's employee (``not_an_employee``), both 403 with the
error shape, after django-ninja has validated the input (a bad body stays a 422) and before the
operation runs; the operation receives the employee as its ``employee`` argument.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja.signature.utils import get_typed_signature

from govem.accounts.scoping import can_write, visible_employees, visible_units
from govem.accounts.services import employee_of
from govem.errors import DomainError
from govem.people.models import Employee, Unit
from govem.schemas import MAX_ID

M = TypeVar("M", bound=Model)
View = TypeVar("View", bound=Callable[..., Any])

# Marked for the catalogue here, translated where raised (in the request's language).
READ_ONLY_MESSAGE = gettext_noop("Peran Anda hanya dapat melihat data.")
NOT_AN_EMPLOYEE_MESSAGE = gettext_noop("Akun ini tidak terhubung dengan data pegawai aktif.")


# Pages ------------------------------------------------------------------------------------


def require_write(user: Any) -> None:
    """403 for a read-only role (the Inovator, unless also Tim IT)."""
    if not can_write(user):
        raise PermissionDenied("read-only")


def get_for_user_or_404(queryset: QuerySet[M], pk: Any, *, what: str) -> M:
    """``queryset`` is already scoped to the user: anything else, or a malformed id, is 404."""
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError) as exc:  # type: ignore[attr-defined]
        raise Http404(what) from exc


def get_rw_for_user_or_404(user: Any, queryset: QuerySet[M], pk: Any, *, what: str) -> M:
    """The object the user is about to change: 403 for a read-only role, then 404 outside
    the scope."""
    require_write(user)
    return get_for_user_or_404(queryset, pk, what=what)


def get_employee_for_user_or_404(user: Any, pk: Any) -> Employee:
    """An employee the user sees (with their unit), or 404."""
    employees = visible_employees(user).select_related("unit")
    return get_for_user_or_404(employees, pk, what="employee")


def get_unit_for_user_or_404(user: Any, pk: Any) -> Unit:
    """A unit the user may pick, or 404."""
    return get_for_user_or_404(visible_units(user), pk, what="unit")


def get_units_for_user_or_404(user: Any, ids: list[str]) -> list[Unit]:
    """The units a form names, all in the user's scope: one unknown or outside it is 404
    ``not_found`` on the field ``units`` (a :class:`DomainError`, so the form is shown again
    with what was typed). No ids is an empty list: whether one is required is the service's."""
    wanted = {str(value).strip() for value in ids if str(value).strip()}
    ids_ = [int(v) for v in wanted if v.isdigit() and int(v) <= MAX_ID]
    units = list(visible_units(user).filter(pk__in=ids_))
    if len(units) != len(wanted):
        raise DomainError(
            "not_found",
            _("Unit kerja yang dipilih tidak ditemukan dalam cakupan Anda."),
            status=404,
            details={"field": "units"},
        )
    return units


def get_employees_by_nip_for_user_or_404(user: Any, text: str) -> list[Employee]:
    """The active employees a form names by NIP (or non-ASN id), one per line or separated by
    commas or spaces, all in the user's scope: one unknown or outside it is 404 ``not_found``
    on the field ``employees``, naming it. Nothing typed is an empty list."""
    wanted = list(dict.fromkeys(text.replace(",", " ").split()))
    if not wanted:
        return []
    scope = visible_employees(user).filter(active=True)
    found = {e.nip: e for e in scope.filter(nip__in=wanted)}
    found.update({e.non_asn_id: e for e in scope.filter(non_asn_id__in=wanted)})
    missing = [value for value in wanted if value not in found]
    if missing:
        raise DomainError(
            "not_found",
            _("Pegawai dengan NIP %(nip)s tidak ditemukan dalam cakupan Anda.")
            % {"nip": ", ".join(missing[:5])},
            status=404,
            details={"field": "employees"},
        )
    return list(dict.fromkeys(found[value] for value in wanted))


# API --------------------------------------------------------------------------------------


def read_only_error() -> DomainError:
    return DomainError("read_only", _(READ_ONLY_MESSAGE), status=403)


def api_employee(request: HttpRequest) -> Employee:
    """The caller's active employee record, or 403 ``not_an_employee``."""
    employee = employee_of(request.user)
    if employee is None:
        raise DomainError("not_an_employee", _(NOT_AN_EMPLOYEE_MESSAGE), status=403)
    return employee


def api_access(*, employee: bool = True, write: bool = False) -> Callable[[View], View]:
    """The dependency of an API operation: ``write`` refuses a read-only role (403
    ``read_only``, first: what the role may do comes before whose data it is); ``employee``
    resolves the caller's employee (403 ``not_an_employee``) and passes it as the
    ``employee`` argument when the operation takes one.

    Put it below ``@router.<method>(…)``: django-ninja reads the operation's signature
    without the ``employee`` argument, so it stays out of the OpenAPI document."""

    def decorate(view: View) -> View:
        signature = get_typed_signature(view)
        wants_employee = "employee" in signature.parameters
        if wants_employee and not employee:
            raise TypeError(f"{view.__name__}: an 'employee' argument needs employee=True")
        parameters = [p for name, p in signature.parameters.items() if name != "employee"]

        @functools.wraps(view)
        def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if write and not can_write(request.user):
                raise read_only_error()
            if employee:
                found = api_employee(request)
                if wants_employee:
                    kwargs["employee"] = found
            return view(request, *args, **kwargs)

        operation.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        return operation  # type: ignore[return-value]

    return decorate
