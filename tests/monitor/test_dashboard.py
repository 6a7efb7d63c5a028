from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from govem.attendance.models import Punch
from tests.conftest import ApiClient
from tests.helpers.regency import OTHER_LAT, OTHER_LON, logged_in


def _phone(client, employee) -> ApiClient:
    phone = ApiClient(client)
    assert phone.login(employee.nip).status_code == 200
    return phone


def test_it_counts_the_morning_on_the_tiles(clock, client, regency) -> None:
    _phone(client, regency.employee).punch("in")
    clock.shift(timedelta(minutes=40))  # 07:50 WITA: 20 minutes late
    _phone(client, regency.colleague).punch("in")
    response = logged_in(regency.tim_it).get("/monitor/")
    assert response.status_code == 200
    tiles = dict((key, value) for key, _, value in response.context["tile_items"])
    assert tiles["checked_in"] == 2
    assert tiles["on_time"] == 1
    assert tiles["TL1"] == 1
    # supervisor, the two operators and the other unit's employee are not in yet
    assert tiles["not_yet"] == tiles["scheduled"] - 2
    assert "Sudah presensi masuk" in response.content.decode()


def test_it_shows_an_operator_only_their_unit(clock, client, regency) -> None:
    _phone(client, regency.other_employee).punch("in", latitude=OTHER_LAT, longitude=OTHER_LON)
    response = logged_in(regency.operator).get("/monitor/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dewi Lestari" not in page
    assert "Dinas Kesehatan" not in page
    names = [row.unit.code for row in response.context["unit_rows"]]
    assert names == ["DISKOMINFO"]


def test_it_sorts_the_unit_table(clock, client, regency) -> None:
    _phone(client, regency.other_employee).punch("in", latitude=OTHER_LAT, longitude=OTHER_LON)
    response = logged_in(regency.tim_it).get("/monitor/?sort=present&dir=desc")
    codes = [row.unit.code for row in response.context["unit_rows"]]
    assert codes == ["DINKES", "DISKOMINFO"]
    response = logged_in(regency.tim_it).get("/monitor/?sort=present&dir=asc")
    assert [row.unit.code for row in response.context["unit_rows"]] == ["DISKOMINFO", "DINKES"]


def test_it_drills_down_to_a_unit(clock, client, regency) -> None:
    response = logged_in(regency.tim_it).get(f"/monitor/?unit={regency.other_unit.pk}")
    tiles = dict((key, value) for key, _, value in response.context["tile_items"])
    assert tiles["scheduled"] == 2  # Dewi and the other unit's operator


def test_it_shows_an_employees_day_with_its_evidence(clock, client, regency) -> None:
    phone = _phone(client, regency.employee)
    phone.punch("in", latitude=-2.9420, longitude=OFFICE_LON_FAR, accuracy_m=15.0)
    phone.punch("in")
    day = timezone.localdate().isoformat()
    response = logged_in(regency.tim_it).get(f"/monitor/pegawai/{regency.employee.pk}/{day}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ditolak: di luar radius" in page
    assert "Kantor Diskominfo" in page
    assert "±15 m" in page
    assert Punch.objects.filter(employee=regency.employee).count() == 2
    assert "map-data" in page


OFFICE_LON_FAR = 115.1613


def test_it_lists_who_has_not_checked_in_with_contact_links(clock, client, regency) -> None:
    _phone(client, regency.colleague).punch("in")
    phone = _phone(client, regency.employee)
    phone.punch("in", latitude=-2.9500, longitude=115.1613)  # rejected, ~1.2 km away
    response = logged_in(regency.tim_it).get("/monitor/belum-presensi/")
    page = response.content.decode()
    assert "Rahmat Hidayat" in page
    assert "Siti Aminah" not in page
    assert 'href="tel:+6281234567890"' in page
    assert (
        "https://wa.me/6281234567890?text=Selamat%20pagi%20Bapak%2FIbu%20Rahmat%20Hidayat" in page
    )
    assert "07:10:00" in page  # the time of the last failed attempt


def test_it_rejects_a_bad_date_with_an_indonesian_message(clock, regency) -> None:
    response = logged_in(regency.tim_it).get("/monitor/?date=kemarin")
    assert response.status_code == 422
    assert "Tanggal tidak valid" in response.content.decode()


def test_it_draws_the_morning_curve_against_the_previous_workday(clock, client, regency) -> None:
    """Check-ins per 5 minutes today and on the last day that had any, read from the SVG."""
    import re

    yesterday = timezone.localtime() - timedelta(days=1)
    for employee, minutes in ((regency.colleague, 0), (regency.other_employee, 7)):
        at = yesterday.replace(hour=7, minute=20) + timedelta(minutes=minutes)
        Punch.objects.create(
            employee=employee,
            kind="in",
            server_time=at,
            local_date=at.date(),
            time_zone="Asia/Makassar",
            latitude=OTHER_LAT,
            longitude=OTHER_LON,
            accuracy_m=10,
            verdict="accepted",
            source="api",
        )
    _phone(client, regency.employee).punch("in")  # today, on the frozen clock
    now = timezone.localtime()
    slot = now.replace(minute=now.minute - now.minute % 5).strftime("%H:%M")
    for language in ("id", "en"):
        html = (
            logged_in(regency.tim_it)
            .get("/monitor/", headers={"accept-language": language})
            .content.decode()
        )
        points = re.findall(r'<circle class="curve-point" cx="([\d.]+)" cy="([\d.]+)"[^>]*'
                            r'data-time="([\d:]+)" data-count="(\d+)"', html)  # fmt: skip
        assert [(time, count) for _x, _y, time, count in points] == [(slot, "1")], language
        previous = re.search(r'class="curve-previous" points="([^"]+)"', html)
        assert previous is not None
        heights = [float(pair.split(",")[1]) for pair in previous.group(1).split()]
        assert len(heights) == 60 and len({h for h in heights if h != max(heights)}) == 1
        assert sum(1 for h in heights if h != max(heights)) == 2  # 07:20 and 07:25, one each
