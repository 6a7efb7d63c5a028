"""Work schedule templates and their dated assignments to units and employees.

Beside them: roster shifts, special periods (Ramadan), calendar overrides and units with their
own calendar. The resolution order lives in :mod:`govem.rules.calendar` (``resolve_day``) and
the loading in :mod:`govem.schedules.queries`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from govem.rules.calendar import OverrideKind
from govem.rules.schedule import DayTemplate, ShiftTemplate

WEEKDAYS = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


class WorkSchedule(models.Model):
    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    is_default = models.BooleanField(
        _("bawaan"), default=False, help_text=_("Dipakai bila unit tidak memiliki jadwal.")
    )

    class Meta:
        verbose_name = _("jadwal kerja")
        verbose_name_plural = _("jadwal kerja")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def templates(self) -> dict[int, DayTemplate]:
        return {day.weekday: day.as_template() for day in self.days.all()}


class ScheduleDay(models.Model):
    """One working weekday of a schedule; a weekday without a row is a day off."""

    schedule = models.ForeignKey(
        WorkSchedule, verbose_name=_("jadwal"), on_delete=models.CASCADE, related_name="days"
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=WEEKDAYS)
    start = models.TimeField(_("jam masuk"))
    end = models.TimeField(_("jam pulang"))
    break_start = models.TimeField(_("mulai istirahat"), null=True, blank=True)
    break_end = models.TimeField(_("selesai istirahat"), null=True, blank=True)
    check_in_opens = models.TimeField(_("presensi masuk dibuka"))
    check_out_closes = models.TimeField(_("presensi pulang ditutup"))

    class Meta:
        verbose_name = _("hari kerja")
        verbose_name_plural = _("hari kerja")
        ordering = ["schedule", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "weekday"], name="one_row_per_weekday")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start and self.check_in_opens and self.check_in_opens > self.start:
            raise ValidationError(
                {"check_in_opens": _("Presensi masuk harus dibuka sebelum jam masuk.")}
            )
        if (self.break_start is None) != (self.break_end is None):
            raise ValidationError(_("Isi mulai dan selesai istirahat, atau kosongkan keduanya."))

    def as_template(self) -> DayTemplate:
        return DayTemplate(
            start=self.start,
            end=self.end,
            check_in_opens=self.check_in_opens,
            check_out_closes=self.check_out_closes,
            break_start=self.break_start,
            break_end=self.break_end,
        )


class ScheduleAssignment(models.Model):
    """A schedule in force for a unit (and its sub-units) or one employee, from a date."""

    schedule = models.ForeignKey(
        WorkSchedule, verbose_name=_("jadwal"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedule_assignments",
    )
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedule_assignments",
    )
    valid_from = models.DateField(_("berlaku dari"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("penetapan jadwal")
        verbose_name_plural = _("penetapan jadwal")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, employee__isnull=True)
                    | models.Q(unit__isnull=True, employee__isnull=False)
                ),
                name="assignment_unit_xor_employee",
            )
        ]

    def __str__(self) -> str:
        target = self.employee or self.unit
        return f"{self.schedule} → {target} ({self.valid_from}–{self.valid_to or '…'})"

    def clean(self) -> None:
        if (self.unit_id is None) == (self.employee_id is None):
            raise ValidationError(_("Pilih unit kerja atau pegawai (salah satu)."))
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Tanggal akhir sebelum tanggal mulai.")})


class Shift(models.Model):
    """A roster shift for 24-hour services; an end at or before the start crosses midnight."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    start = models.TimeField(_("jam mulai"))
    end = models.TimeField(_("jam selesai"))
    break_start = models.TimeField(_("mulai istirahat"), null=True, blank=True)
    break_end = models.TimeField(_("selesai istirahat"), null=True, blank=True)
    opens_before_minutes = models.PositiveSmallIntegerField(
        _("presensi masuk dibuka (menit sebelum mulai)"), default=60
    )
    closes_after_minutes = models.PositiveSmallIntegerField(
        _("presensi pulang ditutup (menit setelah selesai)"), default=120
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shift")
        ordering = ["start", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%H:%M}–{self.end:%H:%M})"

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def clean(self) -> None:
        if (self.break_start is None) != (self.break_end is None):
            raise ValidationError(_("Isi mulai dan selesai istirahat, atau kosongkan keduanya."))
        if self.opens_before_minutes > 720 or self.closes_after_minutes > 720:
            raise ValidationError(_("Jendela presensi paling lama 12 jam dari jam shift."))

    def as_template(self) -> ShiftTemplate:
        return ShiftTemplate(
            start=self.start,
            end=self.end,
            opens_before_minutes=self.opens_before_minutes,
            closes_after_minutes=self.closes_after_minutes,
        )


class RosterEntry(models.Model):
    """One employee's shift (or explicit day off) on one date; beats templates and holidays."""

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.CASCADE,
        related_name="roster_entries",
    )
    date = models.DateField(_("tanggal"))
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        help_text=_("Kosongkan untuk hari libur (lepas dinas)."),
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("jadwal dinas (roster)")
        verbose_name_plural = _("jadwal dinas (roster)")
        ordering = ["date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_roster_entry_per_day")
        ]
        indexes = [models.Index(fields=["date"], name="roster_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.employee_id}: {self.shift or _('libur')}"


class SpecialPeriod(models.Model):
    """Dated hours that replace the normal schedule (Ramadan, ad-hoc decrees)."""

    name = models.CharField(_("nama"), max_length=200)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    decree = models.CharField(_("dasar (surat edaran/SK)"), max_length=300, blank=True)
    schedule = models.ForeignKey(
        WorkSchedule,
        verbose_name=_("jam kerja selama periode"),
        on_delete=models.PROTECT,
        related_name="special_periods",
        help_text=_("Templat berisi jam per hari yang berlaku selama periode."),
    )
    applies_to_all = models.BooleanField(
        _("berlaku untuk semua"),
        default=False,
        help_text=_("Jika tidak, hanya untuk unit dan/atau jadwal kerja yang dipilih."),
    )
    units = models.ManyToManyField(
        "people.Unit",
        verbose_name=_("unit kerja (termasuk sub-unit)"),
        blank=True,
        related_name="special_periods",
    )
    base_schedules = models.ManyToManyField(
        WorkSchedule,
        verbose_name=_("menggantikan jadwal kerja"),
        blank=True,
        related_name="replaced_by_periods",
    )
    approximate = models.BooleanField(
        _("tanggal perkiraan"), default=False, help_text=_("Tanggal menunggu penetapan resmi.")
    )

    class Meta:
        verbose_name = _("periode khusus")
        verbose_name_plural = _("periode khusus")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date}–{self.end_date})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Tanggal selesai sebelum tanggal mulai.")})


class PeriodSchedule(models.Model):
    """Within a special period, the hours that replace one normal schedule.

    Ramadan has its hours for every kind of week (Perpres 21/2023 art. 4(2), (4), (6)): the
    5-day template gets RAMADAN-5H, the 6-day one RAMADAN-6H. A base schedule listed here
    takes this replacement; others fall back to the period's own schedule and scope.
    """

    period = models.ForeignKey(
        SpecialPeriod,
        verbose_name=_("periode khusus"),
        on_delete=models.CASCADE,
        related_name="replacements",
    )
    base_schedule = models.ForeignKey(
        WorkSchedule,
        verbose_name=_("jadwal kerja biasa"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    schedule = models.ForeignKey(
        WorkSchedule,
        verbose_name=_("diganti dengan"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("penggantian jadwal")
        verbose_name_plural = _("penggantian jadwal")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "base_schedule"], name="one_replacement_per_base_schedule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.base_schedule} → {self.schedule}"


class CalendarOverride(models.Model):
    """The IT team's changes to the national calendar, by decree."""

    class Kind(models.TextChoices):
        HOLIDAY = OverrideKind.HOLIDAY.value, _("Libur lokal (tambah hari libur)")
        WORKDAY = OverrideKind.WORKDAY.value, _("Hari kerja (hapus hari libur, sesuai SK)")
        FLEXIBLE = OverrideKind.FLEXIBLE.value, _("Kerja fleksibel (FWA, tanpa syarat lokasi)")
        CUTI_BERSAMA = (
            OverrideKind.CUTI_BERSAMA.value,
            _("Cuti bersama (tambah manual bila belum ada di kalender nasional)"),
        )

    date = models.DateField(_("tanggal"), db_index=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("nama/keterangan"), max_length=200)
    decree = models.CharField(_("nomor SK"), max_length=200, blank=True)
    units = models.ManyToManyField(
        "people.Unit",
        verbose_name=_("hanya untuk unit (termasuk sub-unit)"),
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Kosongkan bila berlaku untuk seluruh pemerintah kabupaten."),
    )

    class Meta:
        verbose_name = _("perubahan kalender")
        verbose_name_plural = _("perubahan kalender")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}: {self.name}"


class UnitCalendar(models.Model):
    """A unit (and its sub-units) that keeps its own calendar, e.g. a hospital."""

    unit = models.OneToOneField(
        "people.Unit",
        verbose_name=_("unit kerja"),
        on_delete=models.CASCADE,
        related_name="own_calendar",
    )
    ignores_national_holidays = models.BooleanField(
        _("tetap bekerja pada hari libur"),
        default=True,
        help_text=_(
            "Libur nasional, cuti bersama dan libur lokal se-kabupaten tidak berlaku; "
            "perubahan kalender yang menyebut unit ini tetap berlaku."
        ),
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kalender unit")
        verbose_name_plural = _("kalender unit")

    def __str__(self) -> str:
        return str(self.unit)
