"""Verifying a date nothing was counted on is refused before any day record is made (issue 15:
fuzzing verified 0424-08-23 and locked 900 made-up day records)."""

from __future__ import annotations

from datetime import date

import pytest

from govem.attendance.models import DayRecord
from govem.reports.models import ReportVerification
from tests.helpers.regency import logged_in
from tests.reports.test_access import _token


@pytest.mark.parametrize(
    ("day", "code"),
    [
        ("0424-08-23", "invalid_input"),
        ("1501-06-08", "invalid_input"),
        ("2000-01-01", "before_counting_start"),
        ("2019-12-31", "before_counting_start"),
    ],
)
def test_the_api_refuses_dates_before_counting_started(regency, client, day, code) -> None:
    records = DayRecord.objects.count()
    response = client.post(
        "/api/v1/reports/daily/verify",
        {"date": day, "unit": "DISKOMINFO"},
        content_type="application/json",
        **_token(client, regency.tim_it),
    )
    assert response.status_code == 422, response.json()
    error = response.json()["error"]
    assert error["code"] == code
    if code == "before_counting_start":
        assert error["details"] == {"field": "date", "counting_starts": "2020-01-01"}
        assert "sebelum penghitungan presensi dimulai (01-01-2020)" in error["message"]
    assert DayRecord.objects.count() == records
    assert not ReportVerification.objects.exists()
    assert not DayRecord.objects.filter(locked=True).exists()


def test_the_page_refuses_them_too(regency) -> None:
    browser = logged_in(regency.tim_it)
    records = DayRecord.objects.count()
    absurd = browser.post("/laporan/verifikasi/", {"tanggal": "0424-08-23", "unit": ""})
    assert absurd.status_code == 422
    assert "antara tahun 2000 dan 2100" in absurd.content.decode()
    early = browser.post(
        "/laporan/verifikasi/", {"tanggal": "2019-12-31", "unit": ""}, follow=True
    ).content.decode()
    assert "sebelum penghitungan presensi dimulai (01-01-2020)" in early
    assert DayRecord.objects.count() == records and not ReportVerification.objects.exists()
    assert date(2019, 12, 31) not in set(DayRecord.objects.values_list("date", flat=True))
