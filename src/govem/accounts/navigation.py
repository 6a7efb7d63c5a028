"""The menu of every role, built in one place from the same checks the views make.

Each entry names its page and the predicate of the view behind it, so a role sees every page
it may use and no page that would refuse it (tests/accounts/test_navigation.py opens every
link of every role). Pending work is counted for the entries that have it: approvals waiting
for this user, open clarification cases, new tickets, flagged punches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govem.accounts.roles import INOVATOR, role_names
from govem.accounts.scoping import (
    can_approve,
    can_handle_tickets,
    can_monitor,
    can_operate,
    can_review_punches,
    can_write,
    employee_q,
    is_it,
    visible_employees,
)
from govem.accounts.services import employee_of


@dataclass(frozen=True)
class Entry:
    key: str
    label: Promise
    url: str
    allowed: Callable[[Any, bool], bool]
    count: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    current: bool
    count: int


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    links: list[Link]


def _employee(user: Any, has_employee: bool) -> bool:
    return has_employee


def _employee_writer(user: Any, has_employee: bool) -> bool:
    return has_employee and can_write(user)


def _approver(user: Any, has_employee: bool) -> bool:
    return can_approve(user)


def _monitor(user: Any, has_employee: bool) -> bool:
    return can_monitor(user)


def _tickets(user: Any, has_employee: bool) -> bool:
    return can_handle_tickets(user)


def _reviewer(user: Any, has_employee: bool) -> bool:
    return can_review_punches(user)


def _operations(user: Any, has_employee: bool) -> bool:
    return is_it(user) or INOVATOR in role_names(user)


def _account_manager(user: Any, has_employee: bool) -> bool:
    return can_operate(user)


def _it(user: Any, has_employee: bool) -> bool:
    return is_it(user)


def _anyone(user: Any, has_employee: bool) -> bool:
    return True


def _admin(user: Any, has_employee: bool) -> bool:
    # Django admin answers "you may see nothing" to staff without any model permission.
    return bool(user.is_staff) and (bool(user.is_superuser) or bool(user.get_all_permissions()))


def _pending_approvals(user: Any) -> int:
    # absences imports accounts at module level: a top-level import would be circular
    from govem.absences.models import AbsenceRequest
    from govem.absences.queries import decidable_requests

    return decidable_requests(user).filter(status=AbsenceRequest.Status.PENDING).count()


def _own_open_cases(user: Any) -> int:
    # absences imports accounts at module level: a top-level import would be circular
    from govem.absences.models import Clarification

    return Clarification.objects.filter(
        employee__user=user, status=Clarification.Status.OPEN
    ).count()


def _desk_open_cases(user: Any) -> int:
    # absences imports accounts at module level: a top-level import would be circular
    from govem.absences.models import Clarification

    cases = Clarification.objects.filter(status=Clarification.Status.OPEN)
    if not is_it(user):
        cases = cases.filter(employee_q(user, "employee__"))
    return cases.count()


def _new_tickets(user: Any) -> int:
    # helpdesk imports accounts at module level: a top-level import would be circular
    from govem.helpdesk.models import Ticket
    from govem.helpdesk.queries import visible_tickets

    return visible_tickets(user).filter(status=Ticket.Status.OPEN).count()


def _flagged_punches(user: Any) -> int:
    if not can_review_punches(user):
        return 0
    # monitor imports accounts at module level: a top-level import would be circular
    from govem.monitor.review import pending

    return pending(user, None, None).count()


def _flagged_event_checkins(user: Any) -> int:
    """Flagged event check-ins awaiting a decision the user may take (govem.events)."""
    if not can_monitor(user):
        return 0
    # events imports accounts at module level: a top-level import would be circular
    from govem.events.queries import pending_reviews

    return pending_reviews(user, visible_employees(user)).count()


def _entries() -> list[tuple[str, Promise, list[Entry]]]:
    year = timezone.localdate().year
    return [
        (
            "me",
            _("Presensi saya"),
            [
                Entry(
                    "home", pgettext_lazy("menu", "Presensi"), reverse("attendance:home"), _employee
                ),
                Entry("history", _("Riwayat"), reverse("attendance:history"), _employee),
                Entry("requests", _("Pengajuan"), reverse("absences:mine"), _employee),
                Entry(
                    "my-cases",
                    _("Klarifikasi saya"),
                    reverse("absences:my_clarifications"),
                    _employee,
                    _own_open_cases,
                ),
                Entry("report", _("Lapor kendala"), reverse("helpdesk:report"), _employee_writer),
                Entry("recap", _("Rekap"), reverse("recap:overview"), _anyone),
                Entry("calendar", _("Kalender"), reverse("schedules:year", args=[year]), _anyone),
            ],
        ),
        (
            "work",
            _("Pekerjaan"),
            [
                Entry(
                    "approvals",
                    _("Persetujuan"),
                    reverse("absences:approvals"),
                    _approver,
                    _pending_approvals,
                ),
                Entry("monitor", _("Monitoring"), reverse("monitor:dashboard"), _monitor),
                Entry(
                    "review",
                    _("Tinjauan presensi"),
                    reverse("monitor:review-queue"),
                    _monitor,
                    _flagged_punches,
                ),
                Entry(
                    "cases",
                    _("Klarifikasi"),
                    reverse("absences:clarifications"),
                    _reviewer,
                    _desk_open_cases,
                ),
                Entry(
                    "tickets",
                    _("Kendala pegawai"),
                    reverse("helpdesk:queue"),
                    _tickets,
                    _new_tickets,
                ),
                Entry("daily", _("Laporan harian"), reverse("reports:daily"), _monitor),
                Entry("monthly", _("Laporan bulanan"), reverse("reports:monthly"), _monitor),
                Entry("tpp", _("TPP bulanan"), reverse("payroll:report"), _monitor),
                Entry(
                    "events",
                    _("Apel dan upacara"),
                    reverse("events:list"),
                    _anyone,
                    _flagged_event_checkins,
                ),
                Entry("sentences", _("Hukuman disiplin"), reverse("payroll:sentences"), _anyone),
                Entry("innovation", _("Laporan inovasi"), reverse("innovation:page"), _operations),
                Entry("operations", _("Operasi"), reverse("operations:page"), _operations),
            ],
        ),
        (
            "data",
            _("Data"),
            [
                Entry(
                    "accounts",
                    _("Akun pegawai"),
                    reverse("accounts:employee-accounts"),
                    _account_manager,
                ),
                Entry("import", _("Impor pegawai"), reverse("people:import"), _it),
                Entry("pagu", _("Tabel pagu TPP"), reverse("payroll:pagu"), _it),
                Entry(
                    "productivity",
                    _("Produktivitas"),
                    reverse("payroll:productivity"),
                    _account_manager,
                ),
                Entry("import-units", _("Impor unit"), reverse("people:import-units"), _it),
                Entry(
                    "import-locations",
                    _("Impor lokasi"),
                    reverse("people:import-locations"),
                    _it,
                ),
                Entry("api-docs", _("Dokumentasi API"), "/api/v1/docs", _it),
                Entry("admin", _("Admin"), reverse("admin:index"), _admin),
            ],
        ),
    ]


@dataclass(frozen=True)
class Menu:
    groups: list[Group]

    @property
    def pending(self) -> int:
        return sum(link.count for group in self.groups for link in group.links)


def menu_for(request: HttpRequest) -> Menu:
    """The groups of links ``request.user`` may open, with counts of pending work."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Menu(groups=[])

    has_employee = employee_of(user) is not None
    path = request.path
    visible = [
        (key, label, [entry for entry in entries if entry.allowed(user, has_employee)])
        for key, label, entries in _entries()
    ]
    # The current page is the entry with the longest address the path starts with
    # (/pengajuan/persetujuan/ is "Persetujuan", not "Pengajuan").
    urls = [entry.url for _key, _label, entries in visible for entry in entries]
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len) if matching else None
    groups = []
    for key, label, entries in visible:
        links = [
            Link(
                key=entry.key,
                label=str(entry.label),
                url=entry.url,
                current=entry.url == current,
                count=entry.count(user) if entry.count else 0,
            )
            for entry in entries
        ]
        if links:
            groups.append(Group(key=key, label=str(label), links=links))
    return Menu(groups=groups)
