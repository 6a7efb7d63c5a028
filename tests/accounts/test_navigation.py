"""The menu of every role: each link opens (200), and each page left out of it refuses.

The pages are the union of every role's menu (the superuser sees them all). For each role the
test reads the menu as rendered in the layout, opens every link, and opens every other page
expecting a refusal (403/404) — so a role never has to guess an address, and never meets an
"Admin" that says it may see nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from govem.absences.models import AbsenceRequest, AbsenceType
from tests.conftest import make_employee
from tests.helpers.regency import Regency, build_regency, logged_in

MENU_LINK = re.compile(r'<a href="([^"]+)" data-menu="([^"]+)"')
ROLES = ("pegawai", "atasan", "operator", "tim_it", "inovator")
# Pages that answer every signed-in user: the landing page and the history explain that an
# account without an employee record has no attendance of its own.
# The API documentation is public, like the OpenAPI schema it renders.
EXPLAINS_ITSELF = {"/", "/riwayat/", "/api/v1/docs"}


def menu(client: Any, path: str = "/rekap/") -> dict[str, str]:
    html = client.get(path).content.decode()
    nav = html[html.index('id="app-menu"') : html.index("</nav>")]
    return {key: url for url, key in MENU_LINK.findall(nav)}


@pytest.fixture
def town(unit: Any, office: Any, employee: Any, colleague: Any) -> Regency:
    return build_regency(unit, office, employee, colleague)


@pytest.fixture
def every_page(town: Regency) -> dict[str, str]:
    """The superuser's menu; an employee too, so that it has the employee's pages."""
    root = make_employee(town.unit, "196501011990031001", "Akar Super").user
    root.is_superuser = root.is_staff = True
    root.save()
    return menu(logged_in(root))


def test_it_gives_the_superuser_every_page(every_page: dict[str, str]) -> None:
    for path in (
        "/pengajuan/",
        "/pengajuan/persetujuan/",
        "/klarifikasi/",
        "/klarifikasi/saya/",
        "/impor-pegawai/",
        "/impor-unit/",
        "/impor-lokasi/",
        "/akun-pegawai/",
        "/operasi/",
        "/monitor/",
        "/laporan/",
        "/laporan/bulanan/",
        f"/kalender/{timezone.localdate().year}/",
        "/admin/",
        "/api/v1/docs",
    ):
        assert path in every_page.values(), path


@pytest.mark.parametrize("role", ROLES)
def test_it_links_what_a_role_may_use_and_nothing_else(
    clock: Any, town: Regency, every_page: dict[str, str], role: str
) -> None:
    client = logged_in(town.user(role))
    links = menu(client)
    assert links, role
    for key, path in links.items():
        response = client.get(path)
        assert response.status_code == 200, (role, key, path, response.status_code)
    for key, path in every_page.items():
        if path in links.values() or path in EXPLAINS_ITSELF:
            continue
        response = client.get(path)
        assert response.status_code in {302, 403, 404}, (role, key, path, response.status_code)
        if response.status_code == 302:  # admin sends users without access to its login
            assert "/admin/login/" in response["Location"], (role, key, path)


def test_it_shows_the_supervisors_approvals_with_the_count_waiting(
    clock: Any, town: Regency
) -> None:
    AbsenceRequest.objects.create(
        employee=town.employee,
        type=AbsenceType.objects.get(code="I"),
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        reason="Urusan keluarga",
    )
    html = logged_in(town.user("atasan")).get("/rekap/").content.decode()
    link = re.search(
        r'data-menu="approvals"[^>]*>([^<]+)<span class="badge[^>]*data-count="(\d+)"', html
    )
    assert link is not None, html[html.index('id="app-menu"') :][:2000]
    assert link.group(2) == "1"
    # The employee who asked has nothing to approve: no approvals entry at all.
    assert (
        'data-menu="approvals"'
        not in logged_in(town.user("pegawai")).get("/rekap/").content.decode()
    )


def test_it_hides_admin_from_an_operator_without_model_permissions(town: Regency) -> None:
    operator = town.user("operator")
    operator.is_staff = True
    operator.save()
    assert 'data-menu="admin"' not in logged_in(operator).get("/rekap/").content.decode()
    # What the link would have opened: an admin with nothing in it.
    assert logged_in(operator).get("/admin/").context["app_list"] == []


def counts(client: Any) -> dict[str, int]:
    html = client.get("/rekap/").content.decode()
    nav = html[html.index('id="app-menu"') : html.index("</nav>")]
    found = re.findall(
        r'data-menu="([^"]+)"[^>]*>[^<]*<span class="badge[^>]*data-count="(\d+)"', nav
    )
    return {key: int(count) for key, count in found}


def test_it_counts_open_cases_new_tickets_and_flagged_punches_in_scope(
    clock: Any, town: Regency
) -> None:
    from govem.absences.models import Clarification
    from govem.attendance.models import Punch
    from govem.helpdesk.models import Ticket

    today = timezone.localdate()
    for employee in (town.employee, town.other_employee):
        Clarification.objects.create(
            employee=employee, date=today, kind=Clarification.Kind.NO_CHECK_IN
        )
        Punch.objects.create(
            employee=employee,
            kind="in",
            server_time=timezone.now(),
            local_date=today,
            time_zone="Asia/Makassar",
            latitude=0.0,
            longitude=0.0,
            accuracy_m=60,
            verdict="flagged",
            flags=["borderline_location"],
            source="app",
        )
    Ticket.objects.create(
        employee=town.employee, category=Ticket.Category.LOCATION, description="GPS meleset"
    )
    Ticket.objects.create(
        employee=town.employee,
        category=Ticket.Category.LOGIN,
        description="Sudah ditangani",
        status=Ticket.Status.IN_PROGRESS,
    )

    assert counts(logged_in(town.user("pegawai"))) == {"my-cases": 1}
    operator = counts(logged_in(town.user("operator")))  # the unit's own, not Dinas Kesehatan's
    assert {key: operator.get(key) for key in ("cases", "review")} == {"cases": 1, "review": 1}
    tim_it = counts(logged_in(town.user("tim_it")))
    assert {key: tim_it.get(key) for key in ("cases", "tickets", "review")} == {
        "cases": 2,
        "tickets": 1,  # new ones only: the ticket in progress is not waiting
        "review": 2,
    }
    html = logged_in(town.user("tim_it")).get("/rekap/").content.decode()
    header = html[html.index('id="menu-toggle"') : html.index("</button>")]
    assert f">{sum(tim_it.values())}<" in header  # the phone's Menu button carries the total


def test_the_cases_count_leads_to_the_dates_that_have_open_cases(clock: Any, town: Regency) -> None:
    from datetime import timedelta

    from govem.absences.models import Clarification

    earlier = timezone.localdate() - timedelta(days=3)
    Clarification.objects.create(employee=town.employee, date=earlier, kind=Clarification.Kind.TK)
    client = logged_in(town.user("operator"))
    assert counts(client)["cases"] == 1
    page = client.get(menu(client)["cases"]).content.decode()  # today: no case of its own
    assert "Tidak ada kasus klarifikasi." in page
    section = page[page.index('id="open-elsewhere"') :]
    assert f'href="?date={earlier.isoformat()}"' in section and "1 kasus terbuka" in section
    assert (
        town.employee.name
        in client.get(f"/klarifikasi/?date={earlier.isoformat()}").content.decode()
    )
