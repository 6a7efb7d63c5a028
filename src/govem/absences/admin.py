from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.absences.services import check_edit, save_edit
from govem.errors import DomainError


@admin.register(AbsenceType)
class AbsenceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "allows_part_of_day", "needs_evidence", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["code", "name"]


class AbsenceRequestForm(forms.ModelForm):
    def _post_clean(self) -> None:
        """A verified (locked) day changes only with a reason: the decision note."""
        super()._post_clean()  # type: ignore[misc]  # not in the stubs; the instance now holds the edited values
        new = self.instance
        if self.errors or new.employee_id is None or not new.start_date or not new.end_date:
            return
        try:
            check_edit(request=new)
        except DomainError as exc:
            self.add_error("note" if "note" in self.fields else None, exc.message)


@admin.register(AbsenceRequest)
class AbsenceRequestAdmin(admin.ModelAdmin):
    """Requests; a decision made here goes through ``decide_request`` (recomputes the days)."""

    form = AbsenceRequestForm
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
        save_edit(request=obj, by=request.user)
