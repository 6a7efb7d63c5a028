from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.errors import DomainError


@admin.register(AbsenceType)
class AbsenceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "allows_part_of_day", "needs_evidence", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["code", "name"]


DAY_FIELDS = ("employee_id", "type_id", "start_date", "end_date", "part_of_day", "time")


def _touched_days(old: AbsenceRequest | None, new: AbsenceRequest) -> tuple[date, date] | None:
    """The dates whose records this edit changes: none unless an approval starts, ends, or
    an approved request's dates or kind change."""
    approved = AbsenceRequest.Status.APPROVED
    was = old is not None and old.status == approved
    if new.status != approved and not was:
        return None
    if was and new.status == approved:
        assert old is not None
        if all(getattr(old, name) == getattr(new, name) for name in DAY_FIELDS):
            return None
    starts = [new.start_date] + ([old.start_date] if old is not None else [])
    ends = [new.end_date] + ([old.end_date] if old is not None else [])
    return min(starts), max(ends)


class AbsenceRequestForm(forms.ModelForm):
    def _post_clean(self) -> None:
        """A verified (locked) day changes only with a reason: the decision note."""
        from govem.attendance.days import ensure_change_allowed

        super()._post_clean()  # the instance now holds the edited values
        new = self.instance
        if self.errors or new.employee_id is None or not new.start_date or not new.end_date:
            return
        old = AbsenceRequest.objects.filter(pk=new.pk).first() if new.pk else None
        span = _touched_days(old, new)
        if span is None:
            return
        try:
            for employee_id in {new.employee_id, old.employee_id if old else new.employee_id}:
                ensure_change_allowed(employee_id, *span, new.note or "")
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
        from govem.absences.services import decide_request
        from govem.attendance.days import recompute_days

        old = AbsenceRequest.objects.filter(pk=obj.pk).first() if obj.pk else None
        before = old.status if old is not None else None
        wanted = obj.status
        if wanted != AbsenceRequest.Status.PENDING and wanted != before:
            obj.status = before or AbsenceRequest.Status.PENDING
            super().save_model(request, obj, form, change)
            approve = wanted == AbsenceRequest.Status.APPROVED
            decide_request(request=obj, approve=approve, by=request.user, note=obj.note)
            return
        span = _touched_days(old, obj)
        super().save_model(request, obj, form, change)
        if span is not None:  # an approved request edited here changes its days
            note = (obj.note or "").strip()
            reason = f"Pengajuan {obj.pk} diubah di admin: {note}" if note else ""
            ids = {obj.employee_id, old.employee_id if old else obj.employee_id}
            recompute_days(list(ids), *span, reason=reason)
