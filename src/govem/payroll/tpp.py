"""The month's TPP per employee (reads only): pagu, day ledger, productivity, sentences →
:func:`govem.rules.tpp.compute`.

Every function takes an Employee queryset the caller already scoped, so nothing here widens
a scope. A whole regency's month is a handful of queries (employees, pagu rows, day records,
productivity, sentences, event absences, the rule table), not one per employee.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from govem.attendance.days import pct_text, rule_table
from govem.attendance.models import DayRecord
from govem.attendance.recap import month_end
from govem.events.models import ABSENCE_CODE
from govem.events.queries import missed_in_month
from govem.payroll.models import Pagu, Productivity, Sentence
from govem.people.models import Employee
from govem.reports.codes import absence_names, code_label
from govem.rules import tpp
from govem.rules.bands import EARLY_CODES, LATE_CODES, PRESENT, TK, Rules, code_pct, rules_on

ALWAYS_SHOWN = {*LATE_CODES, *EARLY_CODES, TK, ABSENCE_CODE}
MISSING_PAGU = gettext_noop("Pagu TPP belum ada (impor tabel pagu).")
MISSING_PRODUCTIVITY = "Produktivitas bulan ini belum diimpor: komponen produktivitas Rp 0."


@dataclass
class TppRow:
    employee: Employee
    month: date
    pagu: int | None
    pagu_source: str
    result: tpp.TppResult | None
    productivity: Productivity | None
    sentences: list[Sentence] = field(default_factory=list)
    shares: tpp.Shares = field(default_factory=tpp.Shares)

    @property
    def problems(self) -> list[str]:
        found = []
        if self.pagu is None:
            found.append(MISSING_PAGU)
        if self.productivity is None:
            found.append(MISSING_PRODUCTIVITY)
        return found

    @property
    def net(self) -> int | None:
        return None if self.result is None else self.result.net


def _in_force(rows: Iterable[Pagu], day: date) -> dict[tuple[str, str], Pagu]:
    """Per (basis, key): the row in force on ``day`` (latest start)."""
    best: dict[tuple[str, str], Pagu] = {}
    for row in rows:
        if row.valid_from > day or (row.valid_to is not None and row.valid_to < day):
            continue
        key = (row.basis, row.key.casefold() if row.basis == Pagu.Basis.POSITION else row.key)
        if key not in best or row.valid_from > best[key].valid_from:
            best[key] = row
    return best


def pagu_table(day: date, people: list[Employee] | None = None) -> dict[tuple[str, str], Pagu]:
    """The rows in force on ``day``; for a few ``people`` only their own NIP rows (the Rekap
    of one employee does not read a whole regency's per-NIP table)."""
    rows = Pagu.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if people is not None and len(people) <= 500:
        keys = [person.identifier for person in people]
        rows = rows.filter(~Q(basis=Pagu.Basis.EMPLOYEE) | Q(key__in=keys))
    return _in_force(rows, day)


def pagu_for(employee: Employee, table: dict[tuple[str, str], Pagu]) -> tuple[int | None, str]:
    """The most specific ceiling: the NIP's own row, then the position's, then the class's."""
    own = table.get((Pagu.Basis.EMPLOYEE, employee.identifier))
    if own is not None:
        return own.amount, "NIP"
    if employee.position:
        row = table.get((Pagu.Basis.POSITION, employee.position.strip().casefold()))
        if row is not None:
            return row.amount, f"Jabatan {employee.position}"
    if employee.job_class is not None:
        row = table.get((Pagu.Basis.CLASS, str(employee.job_class)))
        if row is not None:
            return row.amount, f"Kelas jabatan {employee.job_class}"
    return None, ""


def shares_of(rules: Rules) -> tpp.Shares:
    return tpp.Shares(
        rules.tpp_attendance_pct, rules.tpp_productivity_pct, rules.productivity_target_minutes
    )


def active_sentences(employee_ids: Iterable[int], month: date) -> dict[int, list[Sentence]]:
    """The sentences that cut TPP in ``month``, per employee."""
    found: dict[int, list[Sentence]] = defaultdict(list)
    rows = Sentence.objects.filter(
        employee_id__in=list(employee_ids), starts__lte=month, months__gt=0, cut_pct__gt=0
    ).order_by("starts", "pk")
    for sentence in rows:
        if sentence.covers(month):
            found[sentence.employee_id].append(sentence)
    return found


def _day_occurrences(
    employee_ids: list[int], month: date, table: list[Rules]
) -> dict[int, list[tpp.Occurrence]]:
    """The month's priced day codes per employee. For a few employees one indexed lookup
    each; for many (a unit, the regency) one pass over the month's rows, filtered here: an
    ``IN`` list of hundreds of ids per chunk made SQLite scan the whole month every chunk."""
    by_id = {rules.id: rules for rules in table if rules.id is not None}
    found: dict[int, list[tpp.Occurrence]] = defaultdict(list)
    rows = DayRecord.objects.filter(date__gte=month, date__lte=month_end(month)).exclude(codes=[])
    many = len(employee_ids) > CHUNK
    if not many:
        rows = rows.filter(employee_id__in=employee_ids)
    # Most days cost nothing (H, or a day off): leave them in the database, unless a rule
    # row puts a price on that code.
    priced = {code for rules in table for code, pct in rules.absence_pct.items() if pct > 0}
    for free in sorted({PRESENT, "L", "CB"} - priced):
        rows = rows.exclude(codes=[free])
    rows = rows.order_by("date").values_list("employee_id", "date", "codes", "rule_set_id")  # type: ignore[assignment]
    wanted = set(employee_ids)
    for employee_id, day, codes, rule_set_id in rows.iterator(5000):  # type: ignore[misc]
        if many and employee_id not in wanted:  # type: ignore[has-type]
            continue
        rules = by_id.get(rule_set_id) or rules_on(day, table)  # type: ignore[has-type]
        for code in codes or ():  # type: ignore[has-type]
            pct = code_pct(code, rules)
            if pct > 0 or code in ALWAYS_SHOWN:
                found[employee_id].append(tpp.Occurrence(code, day, pct))  # type: ignore[has-type]
    return found


CHUNK = 900  # SQLite's parameter limit


def _chunks(items: list[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def monthly_tpp(employees: QuerySet[Employee], month: date) -> list[TppRow]:
    """One row per employee of ``employees`` (ordered by unit, name) for ``month``."""
    end = month_end(month)
    table = rule_table()
    by_path: dict[str, tuple[Rules, tpp.Shares]] = {}
    people = list(employees.select_related("unit").order_by("unit__path", "name", "pk"))
    pagu = pagu_table(end, people)
    ids = [person.pk for person in people]
    occurrences = _day_occurrences(ids, month, table)
    productivity: dict[int, Productivity] = {}
    sentences: dict[int, list[Sentence]] = {}
    for chunk in _chunks(ids):  # SQLite's parameter limit
        for employee_id, items in missed_in_month(chunk, month, table).items():
            occurrences[employee_id].extend(items)  # missed apel/upacara: code TAP
        productivity.update(
            {
                p.employee_id: p
                for p in Productivity.objects.filter(employee_id__in=chunk, month=month)
            }
        )
        sentences.update(active_sentences(chunk, month))
    rows = []
    for person in people:
        path = person.unit.path
        if path not in by_path:  # the unit's own rule row when it has one (issue 13)
            unit_rules = rules_on(end, table, path)
            by_path[path] = (unit_rules, shares_of(unit_rules))
        rules, shares = by_path[path]
        amount, source = pagu_for(person, pagu)
        figure = productivity.get(person.pk)
        cuts = sentences.get(person.pk, [])
        result = None
        if amount is not None:
            result = tpp.compute(
                tpp.TppInput(
                    pagu=amount,
                    shares=shares,
                    occurrences=tuple(occurrences.get(person.pk, ())),
                    cap_pct=rules.monthly_cap_pct,
                    productivity=None
                    if figure is None
                    else tpp.Productivity(figure.percent, figure.minutes),
                    cuts=tuple(tpp.Cut(sentence_label(s), s.cut_pct) for s in cuts),
                )
            )
        rows.append(TppRow(person, month, amount, source, result, figure, cuts, shares))
    return rows


def tpp_for(employee: Employee, month: date) -> TppRow:
    return monthly_tpp(Employee.objects.filter(pk=employee.pk), month)[0]


def sentence_label(sentence: Sentence) -> str:
    return f"{sentence.kind_label} (SK {sentence.decree_number})"


def pct_words(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") + " %"


@dataclass(frozen=True)
class Explained:
    """One line of the TPP in words and Rupiah (the Rekap, the report's notes, the API)."""

    label: str
    words: str
    rupiah: int


def explain(row: TppRow, names: dict[str, str] | None = None) -> list[Explained]:
    """Every deduction of the month in words, with its days and its Rupiah."""
    result = row.result
    if result is None:
        return []
    names = absence_names() if names is None else names
    share = pct_words(row.shares.attendance_pct)
    lines = []
    for line in result.lines:
        days = ", ".join(str(day.day) for day in line.days)
        count = len(line.days)
        lines.append(
            Explained(
                f"{line.code} — {gettext(code_label(line.code, names))}",
                ngettext(
                    "%(count)s kali (tanggal %(days)s), jumlah %(pct)s dari komponen disiplin "
                    "%(share)s (%(rupiah)s)",
                    "%(count)s kali (tanggal %(days)s), jumlah %(pct)s dari komponen disiplin "
                    "%(share)s (%(rupiah)s)",
                    count,
                )
                % {
                    "count": count,
                    "days": days,
                    "pct": pct_words(line.pct),
                    "share": share,
                    "rupiah": tpp.rupiah_text(result.attendance_share),
                },
                line.rupiah,
            )
        )
    if result.capped:
        lines.append(
            Explained(
                gettext("Batas potongan bulanan"),
                gettext("potongan kehadiran dibatasi %(cap)s; tanpa batas %(uncapped)s")
                % {
                    "cap": tpp.rupiah_text(result.cap),
                    "uncapped": tpp.rupiah_text(result.deduction_uncapped),
                },
                result.cap - result.deduction_uncapped,
            )
        )
    productivity_share = pct_words(row.shares.productivity_pct)
    if result.productivity_missing:
        lines.append(
            Explained(
                gettext("Produktivitas"),
                gettext(
                    "belum ada data produktivitas bulan ini: komponen produktivitas %(share)s "
                    "(%(rupiah)s) belum dibayar"
                )
                % {
                    "share": productivity_share,
                    "rupiah": tpp.rupiah_text(result.productivity_share),
                },
                result.productivity_deduction,
            )
        )
    elif result.productivity_deduction:
        achieved = result.productivity_achieved or Decimal(0)
        lines.append(
            Explained(
                gettext("Produktivitas"),
                gettext("capaian %(achieved)s dari komponen produktivitas %(share)s (%(rupiah)s)")
                % {
                    "achieved": pct_words(achieved.quantize(Decimal("0.01"))),
                    "share": productivity_share,
                    "rupiah": tpp.rupiah_text(result.productivity_share),
                },
                result.productivity_deduction,
            )
        )
    for cut in result.cut_lines:
        lines.append(
            Explained(
                cut.label,
                gettext("hukuman disiplin: %(pct)s dari %(rupiah)s")
                % {"pct": pct_words(cut.pct), "rupiah": tpp.rupiah_text(result.before_cuts)},
                cut.rupiah,
            )
        )
    return lines


def pagu_source_label(source: str) -> str:
    """Where the ceiling came from, in the reader's language ("Jabatan Analis" → "Position
    Analis")."""
    for prefix, text in (("Kelas jabatan ", gettext_noop("Kelas jabatan %(key)s")),
                         ("Jabatan ", gettext_noop("Jabatan %(key)s"))):  # fmt: skip
        if source.startswith(prefix):
            return gettext(text) % {"key": source[len(prefix) :]}
    return source


def net_words(amount: int) -> str:
    """The net in words: Indonesian *terbilang*, or English on an English page."""
    if (get_language() or "id").startswith("en"):
        return f"{tpp.in_english_words(amount)} rupiah"
    return f"{tpp.terbilang(amount)} rupiah"


def as_json(row: TppRow) -> dict[str, Any]:
    """The API shape of one employee-month (integer Rupiah; percentages as strings)."""
    result = row.result
    body: dict[str, Any] = {
        "employee_id": row.employee.pk,
        "nip": row.employee.identifier,
        "name": row.employee.name,
        "unit": row.employee.unit.code,
        "month": row.month.strftime("%Y-%m"),
        "pagu": row.pagu,
        "pagu_source": row.pagu_source,
        "attendance_share_pct": pct_text(row.shares.attendance_pct),
        "productivity_share_pct": pct_text(row.shares.productivity_pct),
        "problems": row.problems,
        "rounding": tpp.ROUNDING,
    }
    if result is None:
        body.update({"gross": None, "net": None, "deductions": [], "sentences": []})
        return body
    body.update(
        {
            "gross": result.gross,
            "attendance_share": result.attendance_share,
            "productivity_share": result.productivity_share,
            "deductions": [
                {
                    "code": line.code,
                    "days": [day.isoformat() for day in line.days],
                    "pct": pct_text(line.pct),
                    "rupiah": line.rupiah,
                }
                for line in result.lines
            ],
            "attendance_deduction_uncapped": result.deduction_uncapped,
            "attendance_deduction_cap": result.cap,
            "attendance_deduction": result.attendance_deduction,
            "productivity_achieved_pct": None
            if result.productivity_achieved is None
            else str(result.productivity_achieved.quantize(Decimal("0.01"))),
            "productivity_paid": result.productivity_paid,
            "sentences": [
                {"label": cut.label, "pct": pct_text(cut.pct), "rupiah": cut.rupiah}
                for cut in result.cut_lines
            ],
            "total_deduction": result.total_deduction,
            "net": result.net,
            "net_words": tpp.terbilang(result.net) + " rupiah",
        }
    )
    return body


def tpp_context(employee: Employee, month: date) -> dict[str, Any]:
    """What the Rekap shows: the month's TPP estimate, its lines in words, the sentences."""
    row = tpp_for(employee, month)
    return {
        "tpp": row,
        "tpp_lines": explain(row),
        "tpp_net_words": None if row.net is None else net_words(row.net),
        "tpp_pagu_source": pagu_source_label(row.pagu_source),
        "tpp_sentences": list(Sentence.objects.filter(employee=employee).order_by("-starts")),
        "tpp_rounding": gettext(tpp.ROUNDING),
    }
