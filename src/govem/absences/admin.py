from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from govem.absences.models import AbsenceRequest, AbsenceType


@admin.register(AbsenceType)
class AbsenceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "allows_part_of_day", "needs_evidence", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["code", "name"]


@admin.register(AbsenceRequest)
class AbsenceRequestAdmin(admin.ModelAdmin):
    """Requests; a decision made here goes through ``decide_request`` (recomputes the days)."""

    list_display = ["employee", "type", "start_date", "end_date", "part_of_day", "status"]
    list_filter = ["status", "type"]
    search_fields = ["employee__name", "employee__nip", "reason"]
    date_hierarchy = "start_date"
    list_select_related = ["employee", "type"]
    autocomplete_fields = ["employee"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]

    def save_model(
        self, request: HttpRequest, obj: AbsenceRequest, form: Any, change: bool
    ) -> None:
        from govem.absences.services import decide_request, recompute_request

        before = AbsenceRequest.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        wanted = obj.status
        if wanted != AbsenceRequest.Status.PENDING and wanted != before:
            obj.status = before or AbsenceRequest.Status.PENDING
            super().save_model(request, obj, form, change)
            approve = wanted == AbsenceRequest.Status.APPROVED
            decide_request(request=obj, approve=approve, by=request.user, note=obj.note)
            return
        super().save_model(request, obj, form, change)
        recompute_request(obj)  # an approved request edited here changes its days
