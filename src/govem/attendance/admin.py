from django.contrib import admin, messages
from django.http import HttpRequest

from govem.attendance.models import DayRecord, Punch, PunchReview, RuleSet
from govem.attendance.rulesets import recompute_for, summary


@admin.register(Punch)
class PunchAdmin(admin.ModelAdmin):
    """Punches are evidence: visible, never edited here."""

    list_display = [
        "server_time",
        "employee",
        "kind",
        "verdict",
        "reason_code",
        "location",
        "distance_m",
        "accuracy_m",
        "source",
    ]
    list_filter = ["verdict", "kind", "source", "reason_code"]
    search_fields = ["employee__name", "employee__nip", "receipt", "device_key"]
    date_hierarchy = "server_time"
    list_select_related = ["employee", "location"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """The dated rule table. Saving recomputes the days the row governs."""

    list_display = [
        "code",
        "name",
        "active",
        "unit",
        "valid_from",
        "valid_to",
        "tk_mode",
        "tk_pct",
        "missing_punch",
        "monthly_cap_pct",
    ]
    list_filter = ["active", "tk_mode", "missing_punch"]
    ordering = ["-valid_from"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: RuleSet, form: object, change: bool) -> None:

        before = RuleSet.objects.filter(pk=obj.pk).values_list("valid_from", flat=True).first()
        super().save_model(request, obj, form, change)
        result = recompute_for(obj, since=before)
        level = messages.WARNING if result.locked_skipped else messages.INFO
        self.message_user(request, summary(result), level=level)


@admin.register(DayRecord)
class DayRecordAdmin(admin.ModelAdmin):
    """Derived rows: read here, changed only by recomputing (``govem recompute``)."""

    list_display = ["date", "employee", "status", "late_minutes", "early_minutes", "locked"]
    list_filter = ["status", "locked", "closed"]
    search_fields = ["employee__name", "employee__nip"]
    date_hierarchy = "date"
    list_select_related = ["employee"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PunchReview)
class PunchReviewAdmin(admin.ModelAdmin):
    list_display = ["punch", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
