"""The health check that the next 60 days' calendar is known: cuti bersama of every year it
touches (the SKB 3 Menteri), and Ramadan dates confirmed — in `govem health` and in prepare."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from govem.operations import health
from govem.operations.steps import health_step
from govem.rules.calendar import cuti_bersama_known
from govem.schedules.models import CalendarOverride, SpecialPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian() -> Any:
    # The messages are asserted in Indonesian; an earlier test's English request (the test
    # client runs in this thread) must not leave English active.
    with translation.override("id"):
        yield


def _check_output() -> str:
    out = StringIO()
    with contextlib.suppress(SystemExit):  # a WARN exits 0, a critical FAIL 1
        call_command("health", stdout=out)
    return out.getvalue()


def test_the_installed_holidays_knows_this_and_next_years_cuti_bersama() -> None:
    # pyproject pins holidays>=0.105: the first release with 2027's SKB (0.99 had 2026's).
    assert cuti_bersama_known(2026) and cuti_bersama_known(2027)


def test_it_is_ok_when_every_year_ahead_has_its_cuti_bersama() -> None:
    with time_machine.travel(datetime(2026, 11, 30, 0, 0, tzinfo=UTC), tick=False):
        check = health.check_calendar()
    assert check.status == health.OK, check.message
    assert check.details["years_without_cuti_bersama"] == []


def test_it_warns_in_indonesian_naming_the_admin_page_when_a_year_is_unknown() -> None:
    # 15 Nov 2030: the 60 days reach 2031; the installed holidays knows neither SKB.
    assert not cuti_bersama_known(2031)
    with time_machine.travel(datetime(2030, 11, 15, 0, 0, tzinfo=UTC), tick=False):
        check = health.check_calendar()
        text = _check_output()
        step = health_step(date(2030, 11, 15))
    assert check.status == health.WARN
    assert check.details["years_without_cuti_bersama"] == [2030, 2031]
    assert "belum memuat cuti bersama 2031 (SKB 3 Menteri)" in check.message
    assert "/admin/schedules/calendaroverride/add/" in check.message
    assert "[WARN] Kalender 60 hari ke depan" in text and "cuti bersama 2031" in text
    # The prepare phase carries the same warning. (Whether the phase is "ok" is not asserted:
    # on PostgreSQL the clock check compares the frozen 2030 with the database's own clock.)
    in_prepare = next(c for c in step["checks"] if c["key"] == "calendar")
    assert in_prepare["status"] == "WARN"
    assert "cuti bersama 2031" in in_prepare["message"]
    assert "Kalender 60 hari ke depan" not in step["message"]  # a WARN is not a failed step


def test_cuti_bersama_added_by_hand_cover_the_year(employee: Any) -> None:
    for year in (2030, 2031):
        CalendarOverride.objects.create(
            date=date(year, 12, 24), kind="cuti_bersama", name="Hari Raya Natal", decree="SKB"
        )
    with time_machine.travel(datetime(2030, 11, 15, 0, 0, tzinfo=UTC), tick=False):
        check = health.check_calendar()
    assert check.status == health.OK, check.message
    assert check.details["cuti_bersama_added_by_hand"] == {"2030": 1, "2031": 1}
    # ... and the hand-added day is a cuti bersama in the employee's plan.
    from govem.schedules.queries import day_plan_for

    plan = day_plan_for(employee, date(2030, 12, 24))
    assert plan.day_off_code == "CB"
    assert plan.day_off_reason == "Cuti bersama Hari Raya Natal (SK SKB)"


def test_it_warns_about_an_approximate_ramadan_within_60_days() -> None:
    period = SpecialPeriod.objects.get(name="Ramadan 1448 H")
    assert period.approximate and period.start_date == date(2027, 2, 8)
    with time_machine.travel(datetime(2026, 12, 20, 0, 0, tzinfo=UTC), tick=False):
        check = health.check_calendar()
    assert check.status == health.WARN
    assert "Ramadan 1448 H masih tanggal perkiraan (mulai 08-02-2027)" in check.message
    assert "/admin/schedules/specialperiod/" in check.message
    SpecialPeriod.objects.filter(pk=period.pk).update(approximate=False)
    with time_machine.travel(datetime(2026, 12, 20, 0, 0, tzinfo=UTC), tick=False):
        assert health.check_calendar().status == health.OK
