"""Work schedule templates and their dated assignments to units and employees.

Issue #3 adds shifts, special periods and the calendar beside these; the resolution order
(employee assignment, then the nearest unit up the tree, then the national default) lives
in :mod:`govem.schedules.queries`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from govem.rules.schedule import DayTemplate

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
