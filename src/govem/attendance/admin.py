from django.contrib import admin
from django.http import HttpRequest

from govem.attendance.models import Punch


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
