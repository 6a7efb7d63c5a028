"""What is expected of an employee on a date: the day plan, the calendar and punch attribution.

Pure: frozen dataclasses in and out, no Django. The national calendar comes from the
``holidays`` package (country ``ID``; ``public`` holidays and the ``government`` category,
which is where cuti bersama lives) and is cached per year in this process: it is a pure
function of the year, so every process may hold its own copy.

Resolution of one employee's date (most specific first), see :func:`resolve_day`:

1. a roster entry (a shift, or an explicit day off) for that employee and date;
2. a calendar override in scope (local holiday, a holiday removed by decree, a flexible-work
   day) — the nearest unit-scoped one beats a regency-wide one;
3. the national calendar (libur nasional ``L``, cuti bersama ``CB``), unless the unit keeps
   its own calendar (a hospital works on holidays);
4. the schedule template in force: a special period (Ramadan, ad-hoc decree) replaces the
   normal template; a weekday without a row in the template is a day off (``L``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from govem.rules.codes import CUTI_BERSAMA, DAY_OFF
from govem.rules.schedule import DaySchedule, DayTemplate, materialise

WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What is expected of employee ``employee_id`` on ``local_date``."""

    employee_id: int
    local_date: date
    time_zone: str
    schedule: DaySchedule | None  # None = not a working day for this employee
    day_off_code: str | None  # None on a working day; "L" or "CB"
    day_off_reason: str  # Indonesian; "" on workdays
    schedule_source: str  # e.g. "NASIONAL-5H", "RAMADAN-5H (periode khusus)"

    @property
    def is_workday(self) -> bool:
        return self.schedule is not None

    @property
    def flexible_work(self) -> bool:
        """A flexible-work (FWA) day: a workday without the location requirement."""
        return self.schedule is not None and FWA_MARK in self.schedule_source


FWA_MARK = "(FWA"


class HolidayKind(StrEnum):
    NATIONAL = "national"
    CUTI_BERSAMA = "cuti_bersama"


@dataclass(frozen=True, slots=True)
class Holiday:
    local_date: date
    kind: HolidayKind
    name: str

    @property
    def code(self) -> str:
        return CUTI_BERSAMA if self.kind is HolidayKind.CUTI_BERSAMA else DAY_OFF

    @property
    def reason(self) -> str:
        if self.kind is HolidayKind.CUTI_BERSAMA:
            return (
                self.name
                if self.name.lower().startswith("cuti bersama")
                else (f"Cuti bersama {self.name}")
            )
        return f"{self.name} (libur nasional)"


@lru_cache(maxsize=64)
def national_calendar(year: int) -> Mapping[date, Holiday]:
    """National holidays and cuti bersama of ``year`` (Indonesian names), cached per year."""
    public = holidays.country_holidays("ID", years=year, categories=("public",), language="id")
    government = holidays.country_holidays(
        "ID", years=year, categories=("government",), language="id"
    )
    days: dict[date, Holiday] = {}
    for day, name in government.items():
        days[day] = Holiday(day, HolidayKind.CUTI_BERSAMA, str(name))
    for day, name in public.items():  # a public holiday wins over a joint leave day
        days[day] = Holiday(day, HolidayKind.NATIONAL, str(name).split(";")[0].strip())
    return dict(sorted(days.items()))


def national_holiday(day: date) -> Holiday | None:
    return national_calendar(day.year).get(day)


def cuti_bersama_known(year: int) -> bool:
    """Whether the installed ``holidays`` knows any cuti bersama of ``year``.

    Cuti bersama are set each year by an SKB 3 Menteri; a ``holidays`` release made before
    that decree has none for the year, and every one of those days would become a workday.
    """
    return any(item.kind is HolidayKind.CUTI_BERSAMA for item in national_calendar(year).values())


def years_ahead(start: date, days: int) -> list[int]:
    """The calendar years the ``days`` days from ``start`` (inclusive) fall in."""
    end = start + timedelta(days=days)
    return list(range(start.year, end.year + 1))


class OverrideKind(StrEnum):
    HOLIDAY = "holiday"  # a local holiday added (libur lokal)
    WORKDAY = "workday"  # a national holiday / cuti bersama removed by decree
    FLEXIBLE = "flexible"  # flexible-work day (FWA): a workday without location requirement
    CUTI_BERSAMA = "cuti_bersama"  # a cuti bersama added by hand (the SKB not yet in holidays)


@dataclass(frozen=True, slots=True)
class Override:
    local_date: date
    kind: OverrideKind
    name: str
    decree: str = ""

    @property
    def decree_text(self) -> str:
        return f"SK {self.decree}" if self.decree else "SK"


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    """The template in force on a date and how it is named in the plan's source."""

    code: str
    days: Mapping[int, DayTemplate]
    special_period: str = ""  # the period's name when a special period replaced the normal one


@dataclass(frozen=True, slots=True)
class RosterDay:
    """A roster entry: a shift (already materialised) or an explicit day off."""

    schedule: DaySchedule | None
    code: str
    note: str = ""


def resolve_day(
    *,
    employee_id: int,
    local_date: date,
    time_zone: str,
    roster: RosterDay | None,
    override: Override | None,
    own_calendar: bool,
    template: TemplateChoice | None,
) -> DayPlan:
    """The :class:`DayPlan` for one employee and date from already-selected inputs."""

    def off(code: str, reason: str, source: str) -> DayPlan:
        return DayPlan(employee_id, local_date, time_zone, None, code, reason, source)

    if roster is not None:
        source = f"{roster.code} (roster)"
        if roster.schedule is None:
            return off(DAY_OFF, roster.note or "Libur (roster)", source)
        return DayPlan(employee_id, local_date, time_zone, roster.schedule, None, "", source)

    suffix = ""
    if override is not None and override.kind is OverrideKind.HOLIDAY:
        return off(DAY_OFF, f"{override.name} (libur lokal, {override.decree_text})", "KALENDER")
    if override is not None and override.kind is OverrideKind.CUTI_BERSAMA:
        name = override.name
        if not name.lower().startswith("cuti bersama"):
            name = f"Cuti bersama {name}"
        return off(CUTI_BERSAMA, f"{name} ({override.decree_text})", "KALENDER")
    if override is not None and override.kind is OverrideKind.FLEXIBLE:
        suffix = f" (FWA: {override.name})"
    holiday = national_holiday(local_date)
    if holiday is not None and override is None and not own_calendar:
        return off(holiday.code, holiday.reason, "KALENDER")
    if override is not None and override.kind is OverrideKind.WORKDAY:
        suffix = f" (hari kerja, {override.decree_text})"

    if template is None:
        return off(DAY_OFF, "Tidak ada jadwal kerja", "")
    source = template.code
    if template.special_period:
        source = f"{template.code} (periode khusus)"
    row = template.days.get(local_date.weekday())
    if row is None and override is not None and override.kind is not OverrideKind.HOLIDAY:
        # A decree made a weekend a workday: use the template's first working weekday.
        row = template.days[min(template.days)] if template.days else None
    if row is None:
        return off(DAY_OFF, WEEKDAY_NAMES[local_date.weekday()], source)
    source += suffix
    schedule = materialise(row, local_date, time_zone, source=source)
    return DayPlan(employee_id, local_date, time_zone, schedule, None, "", source)


def choose_plan(
    plans: Iterable[DayPlan], at: datetime, local_date: date, kind: str | None = None
) -> DayPlan | None:
    """Which of the plans of neighbouring dates a punch at ``at`` belongs to.

    A punch belongs to a plan whose window (check-in opening .. check-out closing) contains
    it. Without ``kind``, a plan that started on an earlier date and is still open wins
    (a 07:05 check-out after a 19:00 night shift), then the plan of ``local_date``, then a
    later date's plan already open (a 00:30 shift opening the evening before). With
    ``kind`` ``"in"`` the plan with the nearest start wins, with ``"out"`` the nearest end.
    ``None`` when no window contains ``at`` (the caller uses ``local_date``).
    """
    open_plans = [
        plan
        for plan in plans
        if plan.schedule is not None
        and plan.schedule.check_in_opens <= at <= plan.schedule.check_out_closes
    ]
    if not open_plans:
        return None
    if kind == "in":
        return min(open_plans, key=lambda p: (_gap(p, at, start=True), p.local_date))
    if kind == "out":
        return min(open_plans, key=lambda p: (_gap(p, at, start=False), p.local_date))
    earlier = [p for p in open_plans if p.local_date < local_date]
    if earlier:
        return max(earlier, key=lambda p: p.local_date)
    same = [p for p in open_plans if p.local_date == local_date]
    if same:
        return same[0]
    return min(open_plans, key=lambda p: p.local_date)


def _gap(plan: DayPlan, at: datetime, *, start: bool) -> timedelta:
    assert plan.schedule is not None
    return abs((plan.schedule.start if start else plan.schedule.end) - at)
