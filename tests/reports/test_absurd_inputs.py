"""Every page that reads a date, a month, a year or an id from the address answers an absurd
one (year 1, year 9999, 30 February, a 30-digit id, a NUL) with a refusal or a page — never
a 500 (issue 15: 'find the rest of this class yourself')."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from govem.attendance.models import DayRecord
from tests.helpers.regency import logged_in

PAGES = [
    "/",
    "/riwayat/",
    "/monitor/",
    "/monitor/peta/",
    "/monitor/belum-presensi/",
    "/monitor/tinjauan/",
    "/monitor/kendala/",
    "/klarifikasi/",
    "/klarifikasi/saya/",
    "/laporan/",
    "/laporan/harian.csv",
    "/laporan/bulanan/",
    "/laporan/bulanan.csv",
    "/operasi/",
    "/tpp/",
    "/tpp/pagu/",
    "/tpp/produktivitas/",
    "/tpp/hukuman/",
    "/acara/",
    "/inovasi/",
    "/pengajuan/",
    "/pengajuan/persetujuan/",
    "/akun-pegawai/",
]
ABSURD = ["0001-01-01", "9999-12-31", "2026-02-30", "99999-01", "0000-00", "1" * 30, "\u0000"]
NAMES = ("date", "tanggal", "bulan", "month", "tahun", "year", "unit", "pegawai", "dari", "sampai")


@pytest.mark.parametrize("value", ABSURD)
def test_no_page_answers_an_absurd_address_value_with_a_500(regency, value) -> None:
    browser = logged_in(regency.tim_it)
    query = "&".join(f"{name}={quote(value)}" for name in NAMES)
    records = DayRecord.objects.count()
    for page in PAGES:
        response = browser.get(f"{page}?{query}")
        assert response.status_code < 500, (page, value, response.status_code)
    assert DayRecord.objects.count() == records  # reading never makes up day records


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-30", "1" * 30])
def test_the_evaluation_and_calendar_addresses_refuse_absurd_dates(regency, value) -> None:
    browser = logged_in(regency.tim_it)
    for page in (f"/operasi/evaluasi/{value}/", f"/operasi/evaluasi/{value}/pdf/"):
        assert browser.get(page).status_code in (400, 404, 422), page
    for year in ("1", "9999", "1" * 30):
        assert browser.get(f"/kalender/{year}/").status_code < 500, year


FORMS = [
    "/presensi/",
    "/pengajuan/",
    "/kendala/",
    "/acara/",
    "/klarifikasi/",
    "/laporan/verifikasi/",
    "/operasi/jalankan/",
    "/tpp/hukuman/",
    "/tpp/produktivitas/",
    "/tpp/pagu/",
    "/akun-pegawai/",
    "/monitor/tinjauan/1/",
    "/monitor/kendala/1/reply/",
    "/pengajuan/1/putuskan/",
    "/klarifikasi/1/",
]
FIELDS = (
    "date", "tanggal", "start_date", "end_date", "mulai", "bulan", "time", "buka", "tutup",
    "latitude", "longitude", "lintang", "bujur", "radius", "radius_m", "menit", "potongan",
    "capaian", "unit", "employee", "case", "lokasi", "type", "jenis", "kind", "reason",
    "note", "notes", "nama", "phase", "decision", "status", "category", "description",
)  # fmt: skip


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1" * 30, "1e309", "-0", "\u0000"])
@pytest.mark.parametrize("who", ["tim_it", "employee"])
def test_no_form_answers_absurd_values_with_a_500_or_a_write(regency, value, who) -> None:
    from govem.absences.models import AbsenceRequest
    from govem.events.models import Event
    from govem.helpdesk.models import Ticket

    user = getattr(regency, who)
    browser = logged_in(getattr(user, "user", user))
    before = (AbsenceRequest.objects.count(), Event.objects.count(), Ticket.objects.count())
    for form in FORMS:
        response = browser.post(form, {name: value for name in FIELDS})
        assert response.status_code < 500, (form, value, response.status_code)
    after = (AbsenceRequest.objects.count(), Event.objects.count(), Ticket.objects.count())
    assert after == before
