from django.contrib import admin
from django.http import HttpRequest

from govem.events.models import Event, EventCheckin


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind", "opens_at", "closes_at", "mandatory", "place"]
    list_filter = ["kind", "mandatory"]
    search_fields = ["name", "place_name"]
    date_hierarchy = "date"
    filter_horizontal = ["units"]
    autocomplete_fields = ["employees", "location"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(EventCheckin)
class EventCheckinAdmin(admin.ModelAdmin):
    """Check-ins are evidence: visible, never edited here."""

    list_display = ["server_time", "event", "employee", "verdict", "reason_code", "distance_m"]
    list_filter = ["verdict", "reason_code"]
    search_fields = ["employee__name", "employee__nip", "receipt"]
    list_select_related = ["event", "employee"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
