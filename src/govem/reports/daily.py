"""The daily attendance report: one row builder that XLSX, PDF and CSV all render.

:func:`daily_report` reads a scope's day records for a date (plus the counted punches they
came from) in a constant number of queries and returns plain rows of cells. The renderers
never query; the verification digest is taken over the same cells, so what was verified is
exactly what was printed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_noop, pgettext

from govem.accounts.models import AuditEntry
from govem.attendance.explain import explanation as explanation_in_language
from govem.attendance.models import DayRecord, Punch
from govem.events.queries import events_on
from govem.people.models import Employee, Unit
from govem.reports.codes import absence_names, code_label, status_order
from govem.reports.models import ReportVerification

NOT_COMPUTED = "-"

# (key, header) in the order every format shows them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "No"),
    ("nip", "NIP"),
    ("name", "Nama"),
    ("position", "Jabatan"),
    ("unit", "Unit"),
    ("schedule", "Jadwal"),
    ("in_time", "Masuk"),
    ("in_location", "Lokasi masuk"),
    ("in_distance", "Jarak masuk (m)"),
    ("out_time", "Pulang"),
    ("out_location", "Lokasi pulang"),
    ("out_distance", "Jarak pulang (m)"),
    ("status", "Status"),
    ("remarks", "Keterangan"),
)
# The cells a verification fixes (everything but the running number and the remarks, which
# carry the "diubah setelah verifikasi" note).
VERIFIED = (
    "nip",
    "name",
    "position",
    "unit",
    "schedule",
    "in_time",
    "in_location",
    "in_distance",
    "out_time",
    "out_location",
    "out_distance",
    "status",
    "explanation",
)
# What each cell that can change after verification is called: (catalogue context,
# Indonesian name). The files print the Indonesian, the page its translation.
CHANGE_LABELS = {
    "schedule": ("", gettext_noop("Jadwal")),
    "in_time": ("presensi", "Masuk"),
    "in_location": ("", gettext_noop("Lokasi masuk")),
    "in_distance": ("", gettext_noop("Jarak masuk")),
    "out_time": ("presensi", "Pulang"),
    "out_location": ("", gettext_noop("Lokasi pulang")),
    "out_distance": ("", gettext_noop("Jarak pulang")),
    "status": ("", gettext_noop("Status")),
    "explanation": ("", gettext_noop("Keterangan")),
    "position": ("", gettext_noop("Jabatan")),
    "unit": ("", gettext_noop("Unit")),
    "name": ("", gettext_noop("Nama")),
}


def _cell_name(name: str, translated: bool) -> str:
    context, label = CHANGE_LABELS.get(name, ("", name))
    if not translated:
        return label
    return pgettext(context, label) if context else gettext(label)


DAY_OFF = gettext_noop("Libur")  # the schedule cell of a day off


@dataclass
class DailyRow:
    no: int
    employee_id: int
    nip: str
    name: str
    position: str
    unit: str
    schedule: str
    in_time: str
    in_location: str
    in_distance: int | None
    out_time: str
    out_location: str
    out_distance: int | None
    status: str
    explanation: str
    locked: bool = False
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    change_reason: str = ""
    # The stored day's facts, from which a page in another language explains the day
    # (govem.attendance.explain); None when the day is not computed yet.
    facts: Any = field(default=None, repr=False, compare=False)

    @property
    def remarks(self) -> str:
        """Keterangan as the files show it (Indonesian): the day's stored explanation, then
        what changed after verification."""
        return self._remarks(self.explanation, translated=False)

    @property
    def page_remarks(self) -> str:
        """Keterangan in the page's language: in Indonesian the same as :attr:`remarks`."""
        if self.facts is not None:
            explained = explanation_in_language(self.facts)
        else:
            explained = gettext(self.explanation) if self.explanation else ""
        return self._remarks(explained, translated=True)

    @property
    def page_changes(self) -> list[tuple[str, Any, Any]]:
        """What changed after verification, each cell named in the page's language."""
        return [(_cell_name(name, True), old, new) for name, old, new in self.changes]

    @property
    def page_schedule(self) -> str:
        return gettext(self.schedule) if self.schedule == DAY_OFF else self.schedule

    def _remarks(self, explained: str, *, translated: bool) -> str:
        if not self.changes:
            return explained

        def say(text: str) -> str:
            return gettext(text) if translated else text

        parts = [
            f"{_cell_name(name, translated)} {_shown(old)} → {_shown(new)}"
            for name, old, new in self.changes
        ]
        note = say(gettext_noop("DIUBAH SETELAH VERIFIKASI: %(changes)s")) % {
            "changes": "; ".join(parts)
        }
        if self.change_reason:
            note += " " + say(gettext_noop("(alasan: %(reason)s)")) % {"reason": self.change_reason}
        return f"{explained} [{note}]" if explained else f"[{note}]"

    def cells(self) -> list[Any]:
        return [getattr(self, key) for key, _ in COLUMNS]

    def verified_cells(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in VERIFIED}


def _shown(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


@dataclass
class Verification:
    """What the report says about its verification (None when not verified yet)."""

    verifier_name: str
    verifier_nip: str
    verified_at: datetime
    sha256: str
    current_sha256: str
    changed_rows: int
    # Set when the verification was of a wider scope (the regency, a parent unit) that holds
    # this one: this scope is verified as part of it, and its digest is the wider report's.
    covering_scope: str = ""

    @property
    def intact(self) -> bool:
        if self.covering_scope:
            return self.changed_rows == 0
        return self.sha256 == self.current_sha256


@dataclass
class DailyReport:
    day: date
    unit: Unit | None
    scope_label: str
    rows: list[DailyRow]
    totals: list[tuple[str, str, int]]  # (code, label, rows with that code)
    verification: Verification | None = None
    # The day's apel/upacara in scope: (name, window, present, excused, absent, not yet).
    events: list[tuple[str, str, int, int, int, int]] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return rows_digest(self.rows)

    @property
    def title(self) -> str:
        return "LAPORAN PRESENSI HARIAN PEGAWAI"


def rows_digest(rows: list[DailyRow]) -> str:
    """SHA-256 of the verified cells of every row, in report order (canonical JSON)."""
    digest = hashlib.sha256()
    for row in rows:
        line = json.dumps(
            [row.employee_id, *row.verified_cells().values()],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def scope_label(unit: Unit | None) -> str:
    if unit is None:
        return f"Seluruh unit kerja {settings.GOVEM['REGENCY_NAME'].title()}"
    return unit.name


def report_employees(employees: QuerySet[Employee], day: date, unit: Unit | None) -> Any:
    """Who belongs in a date's report: active employees, and anyone with a record that day."""
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    has_record = DayRecord.objects.filter(employee=OuterRef("pk"), date=day)
    return employees.filter(Q(active=True) | Exists(has_record))


def _hm(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


def _place_of(kind: str, moment: str) -> dict[str, Subquery]:
    """The counted punch behind the day's first check-in / last check-out: where and how far
    (one indexed lookup per row in the database, no punch rows to Python)."""
    punch = (
        Punch.objects.filter(
            employee_id=OuterRef("employee_id"),
            local_date=OuterRef("date"),
            kind=kind,
            server_time=OuterRef(moment),
        )
        .exclude(verdict=Punch.Verdict.REJECTED)
        .order_by("id")
    )
    place = Coalesce(
        F("location__name"),
        Case(When(source=Punch.Source.MANUAL, then=Value("Manual")), default=Value("")),
    )
    return {
        f"{kind}_place": Subquery(punch.annotate(place=place).values("place")[:1]),
        f"{kind}_distance": Subquery(punch.values("distance_m")[:1]),
    }


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[offset : offset + size] for offset in range(0, len(ids), size)]


def _events(scope: QuerySet[Employee], day: date) -> list[tuple[str, str, int, int, int, int]]:

    return [
        (
            event.name,
            f"{event.opens_at:%H:%M}-{event.closes_at:%H:%M}",
            len(roll.present),
            len(roll.excused),
            len(roll.absent),
            len(roll.waiting) + len(roll.pending),  # "belum": flagged, not yet reviewed
        )
        for event, roll in events_on(day, scope)
    ]


def daily_report(
    employees: QuerySet[Employee],
    day: date,
    unit: Unit | None = None,
    *,
    compare: bool = True,
) -> DailyReport:
    """The rows of ``day`` for the (already scoped) ``employees`` within ``unit``'s subtree.

    With ``compare``, rows are checked against the latest verification of this date and
    scope, and those that changed since carry their old and new values.
    """
    people = list(
        report_employees(employees, day, unit)
        .order_by("unit__path", "name", "pk")
        .values_list("pk", "employee_type", "nip", "non_asn_id", "name", "position", "unit__name")
    )
    ids = [person[0] for person in people]
    records: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        matched = DayRecord.objects.filter(employee_id__in=chunk, date=day).annotate(
            **_place_of(Punch.Kind.IN, "first_in"), **_place_of(Punch.Kind.OUT, "last_out")
        )
        for record in matched.values(  # type: ignore[misc]
            "id",
            "employee_id",
            "time_zone",
            "workday",
            "expected_start",
            "expected_end",
            "first_in",
            "last_out",
            "status",
            "codes",
            "explanation",
            "locked",
            "counted",
            "late_minutes",
            "early_minutes",
            "deduction_pct",
            "rule_set_id",
            "rule_set__code",
            "in_place",
            "in_distance",
            "out_place",
            "out_distance",
        ):
            records[record["employee_id"]] = record
    zones: dict[str, ZoneInfo] = {}
    rows: list[DailyRow] = []
    status_counts: Counter[str] = Counter()
    for number, (pk, kind, nip, other_id, name, position, unit_name) in enumerate(people, 1):
        record = records.get(pk)
        identifier = (other_id if kind == Employee.Type.NON_ASN else nip) or ""
        row = DailyRow(
            no=number,
            employee_id=pk,
            nip=identifier,
            name=name,
            position=position,
            unit=unit_name,
            schedule="",
            in_time="",
            in_location="",
            in_distance=None,
            out_time="",
            out_location="",
            out_distance=None,
            status=NOT_COMPUTED,
            explanation=gettext_noop("Rekap hari ini belum dihitung."),  # the page translates it
        )
        if record is not None:
            _fill(row, record, zones)
        status_counts.update(row.status.split())
        rows.append(row)
    names = absence_names()
    totals = [
        (code, code_label(code, names), status_counts[code])
        for code in sorted(status_counts, key=status_order)
    ]
    report = DailyReport(
        day,
        unit,
        scope_label(unit),
        rows,
        totals,
        events=_events(report_employees(employees, day, unit), day),
    )
    if compare:
        verification = latest_verification(day, unit)
        if verification is not None:
            _compare(report, verification)
    return report


def _fill(row: DailyRow, record: dict[str, Any], zones: dict[str, ZoneInfo]) -> None:
    name = record["time_zone"] or settings.TIME_ZONE
    zone = zones.get(name)
    if zone is None:
        zone = zones[name] = ZoneInfo(name)
    start, end = record["expected_start"], record["expected_end"]
    if not record["workday"]:
        row.schedule = DAY_OFF
    elif start is not None:
        row.schedule = f"{_hm(start, zone)}-{_hm(end, zone)}"
    if record["first_in"] is not None:
        row.in_time = _hm(record["first_in"], zone)
        row.in_location = record["in_place"] or ""
        row.in_distance = _metres(record["in_distance"])
    if record["last_out"] is not None:
        row.out_time = _hm(record["last_out"], zone)
        row.out_location = record["out_place"] or ""
        row.out_distance = _metres(record["out_distance"])
    codes = record["codes"] or []
    row.status = " ".join(codes) if codes else (record["status"] or "BELUM")
    if not record["counted"]:
        row.status = NOT_COMPUTED  # before the counting start: "Belum dihitung"
    row.explanation = record["explanation"]
    row.locked = record["locked"]
    row.facts = SimpleNamespace(
        rule_set=SimpleNamespace(code=record["rule_set__code"]),
        **{key: value for key, value in record.items() if key != "rule_set__code"},
    )


def _metres(value: float | None) -> int | None:
    return None if value is None else round(value)


def latest_verification(day: date, unit: Unit | None) -> Any:
    """The latest verification of this scope, or of a wider scope that holds it (the regency,
    a parent unit): one answer to "is this verified?" whichever scope is looked at."""
    scopes = Q(unit__isnull=True)
    if unit is not None:
        scopes |= Q(unit_id__in=unit.ancestors_and_self_ids())
    return (
        ReportVerification.objects.filter(scopes, date=day).order_by("-verified_at", "-id").first()
    )


def _compare(report: DailyReport, verification: Any) -> None:
    """Mark rows that differ from the verified ones, with old and new values."""
    verified: dict[str, dict[str, Any]] = verification.rows or {}
    changed: list[DailyRow] = []
    for row in report.rows:
        before = verified.get(str(row.employee_id))
        now = row.verified_cells()
        if before is None:
            row.changes = [("status", None, row.status)]
            changed.append(row)
            continue
        row.changes = [
            (name, before.get(name), value)
            for name, value in now.items()
            if name != "explanation" and before.get(name) != value
        ]
        if row.changes:
            changed.append(row)
    _reasons(changed, report.day)
    report.verification = Verification(
        verifier_name=verification.verifier_name,
        verifier_nip=verification.verifier_nip,
        verified_at=verification.verified_at,
        sha256=verification.sha256,
        current_sha256=report.sha256,
        changed_rows=len(changed),
        covering_scope=verification.scope_label if verification.unit_id != unit_id(report) else "",
    )


def unit_id(report: DailyReport) -> int | None:
    return report.unit.pk if report.unit is not None else None


def _reasons(rows: list[DailyRow], day: date) -> None:
    """The reason given for each change to a verified day (from the audit trail)."""
    if not rows:
        return
    ids = {
        str(record_id): employee_id
        for record_id, employee_id in DayRecord.objects.filter(
            employee_id__in=[row.employee_id for row in rows], date=day
        ).values_list("id", "employee_id")
    }
    reasons: dict[int, str] = {}
    for object_id, reason in (
        AuditEntry.objects.filter(
            object_type="attendance.dayrecord",
            action=AuditEntry.Action.RECOMPUTE_LOCKED_DAY,
            object_id__in=list(ids),
        )
        .order_by("at", "id")
        .values_list("object_id", "reason")
    ):
        reasons[ids[object_id]] = reason
    for row in rows:
        row.change_reason = reasons.get(row.employee_id, "")
