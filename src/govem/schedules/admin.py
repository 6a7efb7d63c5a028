from django.contrib import admin

from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule


class ScheduleDayInline(admin.TabularInline):
    model = ScheduleDay
    extra = 0


@admin.register(WorkSchedule)
class WorkScheduleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_default"]
    inlines = [ScheduleDayInline]


@admin.register(ScheduleAssignment)
class ScheduleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["schedule", "unit", "employee", "valid_from", "valid_to"]
    list_filter = ["schedule"]
    autocomplete_fields = ["unit", "employee"]
