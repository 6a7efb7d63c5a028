from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from govem.schedules.models import (
    CalendarOverride,
    PeriodSchedule,
    RosterEntry,
    ScheduleAssignment,
    ScheduleDay,
    Shift,
    SpecialPeriod,
    UnitCalendar,
    WorkSchedule,
)
from govem.schedules.services import confirm_period_dates, save_special_period


class ScheduleDayInline(admin.TabularInline):
    model = ScheduleDay
    extra = 0


@admin.register(WorkSchedule)
class WorkScheduleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_default"]
    search_fields = ["code", "name"]
    inlines = [ScheduleDayInline]


@admin.register(ScheduleAssignment)
class ScheduleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["schedule", "unit", "employee", "valid_from", "valid_to"]
    list_filter = ["schedule"]
    autocomplete_fields = ["unit", "employee"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "start",
        "end",
        "crosses_midnight_label",
        "opens_before_minutes",
        "closes_after_minutes",
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    @admin.display(boolean=True, description=_("melewati tengah malam"))
    def crosses_midnight_label(self, obj: Shift) -> bool:
        return obj.crosses_midnight


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "employee", "shift", "note"]
    list_filter = ["shift", "date"]
    date_hierarchy = "date"
    search_fields = ["employee__name", "employee__nip"]
    autocomplete_fields = ["employee"]


class SpecialPeriodForm(forms.ModelForm):
    class Meta:
        model = SpecialPeriod
        fields = [
            "name",
            "start_date",
            "end_date",
            "decree",
            "approximate",
            "schedule",
            "applies_to_all",
            "units",
            "base_schedules",
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            not data.get("applies_to_all")
            and not data.get("units")
            and not data.get("base_schedules")
        ):
            raise forms.ValidationError(
                _("Pilih 'berlaku untuk semua', atau unit kerja dan/atau jadwal yang diganti.")
            )
        return data


class PeriodScheduleInline(admin.TabularInline):
    model = PeriodSchedule
    extra = 0
    verbose_name = _("penggantian jadwal (mis. NASIONAL-6H → RAMADAN-6H)")


def _summary(result: Any) -> str:
    # attendance imports schedules at module level: a top-level import would be circular
    from govem.attendance.rulesets import summary

    return summary(result)


@admin.register(SpecialPeriod)
class SpecialPeriodAdmin(admin.ModelAdmin):
    """Dated hours (Ramadan). Moving or confirming the dates recomputes the days they touch:
    the old and the new range (verified days stay, counted in the message)."""

    form = SpecialPeriodForm
    list_display = [
        "name",
        "start_date",
        "end_date",
        "schedule",
        "replacements_text",
        "applies_to_all",
        "approximate",
    ]
    list_filter = ["approximate", "schedule"]
    filter_horizontal = ["units", "base_schedules"]
    search_fields = ["name", "decree"]
    inlines = [PeriodScheduleInline]

    @admin.display(description=_("penggantian jadwal"))
    def replacements_text(self, obj: SpecialPeriod) -> str:
        rows = obj.replacements.all()
        return ", ".join(f"{row.base_schedule.code} → {row.schedule.code}" for row in rows)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SpecialPeriod]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("replacements__base_schedule", "replacements__schedule")
        )

    actions = ["confirm_dates"]

    def save_model(self, request: HttpRequest, obj: SpecialPeriod, form: Any, change: bool) -> None:
        """Stored with its related rows in :meth:`save_related`, by the service."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        def store_related() -> None:
            super(SpecialPeriodAdmin, self).save_related(request, form, formsets, change)

        result = save_special_period(
            period=form.instance, by=request.user, store_related=store_related
        )
        level = messages.WARNING if result.locked_skipped else messages.INFO
        self.message_user(request, _summary(result), level=level)

    @admin.action(description=_("Konfirmasi tanggal (sesuai penetapan pemerintah)"))
    def confirm_dates(self, request: HttpRequest, queryset: QuerySet[SpecialPeriod]) -> None:
        count = confirm_period_dates(periods=queryset, by=request.user)
        self.message_user(
            request,
            _(
                "%(count)s periode dikonfirmasi. Bila tanggalnya berbeda dari penetapan, "
                "ubah tanggal mulai/selesai pada periode itu: hari-hari yang tersentuh "
                "dihitung ulang saat disimpan."
            )
            % {"count": count},
        )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "decree", "scope"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name", "decree"]
    filter_horizontal = ["units"]

    @admin.display(description=_("cakupan"))
    def scope(self, obj: CalendarOverride) -> str:
        codes = [unit.code for unit in obj.units.all()]
        return ", ".join(codes) if codes else str(_("Seluruh kabupaten"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarOverride]:
        return super().get_queryset(request).prefetch_related("units")


@admin.register(UnitCalendar)
class UnitCalendarAdmin(admin.ModelAdmin):
    list_display = ["unit", "ignores_national_holidays", "note"]
    autocomplete_fields = ["unit"]
