"""The Inovator's innovation report (reads only): what Govem changed, month by month, computed
from the stored data — punches, day records, tickets, phase runs, backups, the outbox and the
absence requests — nothing typed in. Each indicator carries its definition (how it is counted)
and the Govem export that evidences it, so the rows can feed a regional innovation submission
("Laporan Inovasi Daerah": indicator, value, period, evidence file).

The whole regency (the Inovator and Tim IT see everything); a handful of aggregate queries per
month.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govem.absences.models import AbsenceRequest
from govem.attendance.models import DayRecord, Punch
from govem.attendance.recap import PRESENCE, month_end
from govem.helpdesk.models import Ticket
from govem.notify.models import Message
from govem.notify.reminders import CHECKIN, CHECKOUT, NUDGE
from govem.operations import golive
from govem.operations.models import Backup, PhaseRun
from govem.people.models import Employee
from govem.rules.bands import LATE_CODES, TK
from govem.rules.indicators import change, first_full_month, median_hours, months_between, rate

PHASE_GRACE = timedelta(minutes=15)


REMINDERS = (CHECKIN, NUDGE, CHECKOUT)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise  # texts through the catalogue: the page follows the reader's language
    unit: str | Promise  # "%", "orang", "menit", "hari", "jam", "kali" (context "satuan":
    # "jam" is hours here, not the clock)
    definition: str | Promise
    evidence: str | Promise  # the Govem export or screen that shows it
    higher_is_better: bool | None = True


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "active_employees",
        _("Pegawai aktif menggunakan Govem"),
        pgettext_lazy("satuan", "orang"),
        _(
            "Pegawai yang melakukan presensi masuk (diterima atau ditandai) sedikitnya "
            "sekali dalam bulan itu."
        ),
        _("Laporan harian (govem report daily), kolom Masuk"),
    ),
    Indicator(
        "registered_employees",
        _("Pegawai terdaftar"),
        pgettext_lazy("satuan", "orang"),
        _(
            "Pegawai yang memiliki akun Govem yang dibuat paling lambat akhir bulan itu "
            "(atau yang sudah presensi sampai akhir bulan itu: riwayat yang diimpor)."
        ),
        _("Admin → Pegawai"),
        higher_is_better=None,
    ),
    Indicator(
        "active_share",
        _("Pegawai aktif dari yang terdaftar"),
        "%",
        _("Pegawai aktif ÷ pegawai terdaftar × 100."),
        _("Laporan harian"),
    ),
    Indicator(
        "on_time_rate",
        _("Kehadiran tepat waktu"),
        "%",
        _(
            "Hari-pegawai hadir tanpa kode terlambat (TL1–TL4) ÷ semua hari-pegawai hadir "
            "(H, TL, PSW) pada hari kerja yang dihitung × 100."
        ),
        _("Rekap bulanan (govem report monthly)"),
    ),
    Indicator(
        "late_minutes",
        _("Menit terlambat"),
        pgettext_lazy("satuan", "menit"),
        _("Jumlah menit terlambat semua pegawai pada bulan itu (rekap harian)."),
        _("Rekap bulanan, kolom Menit terlambat"),
        higher_is_better=False,
    ),
    Indicator(
        "tk_days",
        _("Hari tanpa keterangan (TK)"),
        pgettext_lazy("satuan", "hari"),
        _("Jumlah hari-pegawai berstatus TK (hari kerja tanpa presensi dan tanpa izin)."),
        _("Rekap bulanan, kolom TK"),
        higher_is_better=False,
    ),
    Indicator(
        "first_try_rate",
        _("Presensi masuk diterima pada percobaan pertama"),
        "%",
        _(
            "Hari-pegawai yang percobaan presensi masuk pertamanya langsung diterima ÷ "
            "hari-pegawai dengan percobaan presensi masuk × 100."
        ),
        _("Monitoring → percobaan gagal; admin → Presensi"),
    ),
    Indicator(
        "flagged_punches",
        _("Presensi ditandai (perlu tinjauan)"),
        pgettext_lazy("satuan", "kali"),
        _("Presensi (masuk dan pulang) dengan hasil 'ditandai' (di tepi radius)."),
        _("Monitoring → tinjauan presensi"),
        higher_is_better=False,
    ),
    Indicator(
        "rejected_punches",
        _("Presensi ditolak"),
        pgettext_lazy("satuan", "kali"),
        _("Percobaan presensi yang ditolak, dirinci menurut alasan di bawah tabel."),
        _("Admin → Presensi (hasil: ditolak)"),
        higher_is_better=False,
    ),
    Indicator(
        "flagged_share",
        _("Presensi ditandai dari semua percobaan"),
        "%",
        _(
            "Presensi ditandai ÷ semua percobaan presensi (masuk dan pulang, juga yang "
            "ditolak) × 100."
        ),
        _("Monitoring → tinjauan presensi"),
        higher_is_better=False,
    ),
    Indicator(
        "rejected_share",
        _("Presensi ditolak dari semua percobaan"),
        "%",
        _("Percobaan presensi yang ditolak ÷ semua percobaan presensi (masuk dan pulang) × 100."),
        _("Admin → Presensi (hasil: ditolak)"),
        higher_is_better=False,
    ),
    Indicator(
        "tickets_opened",
        _("Laporan kendala dibuka"),
        pgettext_lazy("satuan", "kali"),
        _("Laporan kendala pegawai (helpdesk) yang dibuat pada bulan itu."),
        _("Helpdesk (/kendala/)"),
        higher_is_better=None,
    ),
    Indicator(
        "ticket_close_hours",
        _("Median waktu penyelesaian kendala"),
        pgettext_lazy("satuan", "jam"),
        _(
            "Median selisih waktu dibuat → diselesaikan, untuk kendala yang dibuka bulan "
            "itu dan sudah diselesaikan."
        ),
        _("Helpdesk (/kendala/)"),
        higher_is_better=False,
    ),
    Indicator(
        "phases_on_time",
        _("Fase SOP berjalan tepat waktu"),
        "%",
        _(
            "Fase harian (persiapan, rekonsiliasi, penutupan, penyelesaian) yang berhasil "
            "dan dimulai paling lambat 15 menit setelah jadwalnya ÷ semua fase bertanggal "
            "bulan itu × 100."
        ),
        _("Operasi (/operasi/), govem run-phase"),
    ),
    Indicator(
        "backups_verified",
        _("Cadangan terverifikasi"),
        "%",
        _("Cadangan yang dibuat bulan itu dan lolos verifikasi ÷ semua cadangan bulan itu × 100."),
        _("Operasi → cadangan (govem backup)"),
    ),
    Indicator(
        "reminders_sent",
        _("Pengingat dikirim"),
        pgettext_lazy("satuan", "kali"),
        _(
            "Pesan pengingat presensi masuk, belum presensi dan presensi pulang yang dibuat"
            " bulan itu."
        ),
        _("Admin → Pesan"),
        higher_is_better=None,
    ),
    Indicator(
        "reminders_reached",
        _("Pengingat sampai"),
        "%",
        _(
            "Pengingat berstatus terkirim (diterima kanal: email, WhatsApp/Telegram, web "
            "push) ÷ pengingat dikirim × 100."
        ),
        _("Admin → Pesan"),
    ),
    Indicator(
        "requests_decided",
        _("Permohonan diputuskan"),
        pgettext_lazy("satuan", "kali"),
        _(
            "Permohonan cuti, izin, sakit, dinas luar dan lainnya yang disetujui atau "
            "ditolak pada bulan itu."
        ),
        _("Permohonan (/permohonan/)"),
        higher_is_better=None,
    ),
    Indicator(
        "decision_hours",
        _("Median waktu keputusan permohonan"),
        pgettext_lazy("satuan", "jam"),
        _(
            "Median selisih waktu diajukan → diputuskan, untuk permohonan yang diputuskan "
            "bulan itu."
        ),
        _("Permohonan (/permohonan/)"),
        higher_is_better=False,
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


@dataclass
class MonthFigures:
    month: date
    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    rejected_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass
class InnovationReport:
    first: date
    last: date
    go_live: date
    baseline_month: date
    baseline: MonthFigures
    months: list[MonthFigures]

    def rows(self) -> list[dict[str, Any]]:
        """One row per indicator and month: the submission's indicator, value, period, and the
        change against the first month after go-live."""
        found = []
        for indicator in INDICATORS:
            base = self.baseline.values.get(indicator.code)
            for figures in self.months:
                value = figures.values.get(indicator.code)
                found.append(
                    {
                        "code": indicator.code,
                        "indicator": str(indicator.name),
                        "unit": str(indicator.unit),
                        "period": figures.month.strftime("%Y-%m"),
                        "value": value,
                        "baseline": base,
                        "change": change(value, base),
                        "definition": str(indicator.definition),
                        "evidence": str(indicator.evidence),
                    }
                )
        return found


def _bounds(month: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(month, time.min, tzinfo=zone)
    end = datetime.combine(month_end(month) + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def month_figures(month: date) -> MonthFigures:
    start, end = _bounds(month)
    last = month_end(month)
    values: dict[str, Decimal | int | None] = {}
    punches = Punch.objects.filter(local_date__gte=month, local_date__lte=last)
    active = (
        punches.filter(kind=Punch.Kind.IN)
        .exclude(verdict=Punch.Verdict.REJECTED)
        .values("employee_id")
        .distinct()
        .count()
    )
    punched = Punch.objects.filter(employee=OuterRef("pk"), local_date__lte=last)
    registered = (
        Employee.objects.exclude(user=None)
        .filter(Q(user__date_joined__lt=end) | Exists(punched))
        .count()
    )
    values["active_employees"] = active
    values["registered_employees"] = registered
    values["active_share"] = rate(active, registered)

    days = DayRecord.objects.filter(date__gte=month, date__lte=last, workday=True, counted=True)
    present = on_time = 0
    for codes in days.exclude(codes=[]).values_list("codes", flat=True).iterator(5000):
        codes = set(codes or ())
        if codes & PRESENCE:
            present += 1
            if not codes & set(LATE_CODES):
                on_time += 1
    totals = days.aggregate(late=Sum("late_minutes"), tk=Count("id", filter=Q(status=TK)))
    values["on_time_rate"] = rate(on_time, present)
    values["late_minutes"] = totals["late"] or 0
    values["tk_days"] = totals["tk"] or 0

    first_tries: dict[tuple[int, date], str] = {}
    attempts = (
        punches.filter(kind=Punch.Kind.IN)
        .order_by("employee_id", "local_date", "server_time", "id")
        .values_list("employee_id", "local_date", "verdict")
    )
    for employee_id, day, verdict in attempts.iterator(5000):
        first_tries.setdefault((employee_id, day), verdict)
    accepted_first = sum(1 for v in first_tries.values() if v == Punch.Verdict.ACCEPTED)
    values["first_try_rate"] = rate(accepted_first, len(first_tries))
    values["flagged_punches"] = punches.filter(verdict=Punch.Verdict.FLAGGED).count()
    reasons = Counter(
        dict(
            punches.filter(verdict=Punch.Verdict.REJECTED)
            .values_list("reason_code")
            .annotate(n=Count("id"))
            .values_list("reason_code", "n")
        )
    )
    values["rejected_punches"] = sum(reasons.values())
    attempts_made = punches.count()
    values["flagged_share"] = rate(int(values["flagged_punches"] or 0), attempts_made)
    values["rejected_share"] = rate(sum(reasons.values()), attempts_made)

    opened = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    values["tickets_opened"] = opened.count()
    values["ticket_close_hours"] = median_hours(
        resolved - created  # type: ignore[operator]
        for created, resolved in opened.exclude(resolved_at=None).values_list(
            "created_at", "resolved_at"
        )
    )

    runs = PhaseRun.objects.filter(date__gte=month, date__lte=last)
    on_time_runs = total_runs = 0
    for status, due_at, claimed_at in runs.values_list("status", "due_at", "claimed_at"):
        total_runs += 1
        if (
            status == PhaseRun.Status.SUCCEEDED
            and claimed_at is not None
            and (due_at is None or claimed_at <= due_at + PHASE_GRACE)
        ):
            on_time_runs += 1
    values["phases_on_time"] = rate(on_time_runs, total_runs)
    backups = Backup.objects.filter(created_at__gte=start, created_at__lt=end)
    values["backups_verified"] = rate(backups.filter(verified=True).count(), backups.count())

    reminders = Message.objects.filter(
        template_key__in=REMINDERS, created_at__gte=start, created_at__lt=end
    )
    sent = reminders.count()
    values["reminders_sent"] = sent
    values["reminders_reached"] = rate(reminders.filter(status=Message.Status.SENT).count(), sent)

    decided = AbsenceRequest.objects.filter(
        decided_at__gte=start,
        decided_at__lt=end,
        status__in=[AbsenceRequest.Status.APPROVED, AbsenceRequest.Status.REJECTED],
    )
    values["requests_decided"] = decided.count()
    values["decision_hours"] = median_hours(
        decided_at - created  # type: ignore[operator]
        for created, decided_at in decided.values_list("created_at", "decided_at")
    )
    return MonthFigures(month, values, dict(sorted(reasons.items())))


def innovation_report(first: date, last: date) -> InnovationReport:
    go_live = golive.regency_start()
    baseline_month = first_full_month(go_live)
    months = [month_figures(month) for month in months_between(first, last)]
    cached = {figures.month: figures for figures in months}
    baseline = cached.get(baseline_month) or month_figures(baseline_month)
    return InnovationReport(first, last, go_live, baseline_month, baseline, months)
