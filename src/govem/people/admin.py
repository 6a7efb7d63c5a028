from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from govem.errors import DomainError
from govem.people.models import Device, Employee, ImportRun, Unit, WorkLocation
from govem.people.services import release_device


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["locations"]


@admin.register(WorkLocation)
class WorkLocationAdmin(admin.ModelAdmin):
    list_display = ["name", "latitude", "longitude", "radius_m", "time_zone", "is_demo", "active"]
    list_filter = ["time_zone", "is_demo", "active"]
    search_fields = ["name", "address"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "identifier",
        "employee_type",
        "position",
        "job_class",
        "unit",
        "phone",
        "active",
    ]
    list_filter = ["employee_type", "active", "unit"]
    search_fields = ["name", "nip", "non_asn_id", "position"]
    autocomplete_fields = ["unit", "supervisor", "user"]
    filter_horizontal = ["extra_locations"]
    list_select_related = ["unit"]


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pelepasan"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["employee", "label", "device_id", "bound_at", "released_at", "released_by"]
    list_filter = [("released_at", admin.EmptyFieldListFilter)]
    search_fields = ["employee__name", "employee__nip", "device_id"]
    readonly_fields = [
        "employee",
        "device_id",
        "bound_at",
        "released_at",
        "released_by",
        "release_reason",
    ]
    actions = ["release_binding"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Lepas ikatan perangkat (dengan alasan)"))
    def release_binding(
        self, request: HttpRequest, queryset: QuerySet[Device]
    ) -> HttpResponse | None:
        active = queryset.filter(released_at__isnull=True)
        if "apply" in request.POST:
            form = ReleaseForm(request.POST)
            if form.is_valid():
                count = 0
                for device in active:
                    try:
                        release_device(
                            device=device, by=request.user, reason=form.cleaned_data["reason"]
                        )
                        count += 1
                    except DomainError as error:
                        self.message_user(request, error.message, messages.ERROR)
                self.message_user(request, _("%(n)d ikatan perangkat dilepas.") % {"n": count})
                return None
        else:
            form = ReleaseForm()
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Lepas ikatan perangkat"),
            "devices": active,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/people/device/release.html", context)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """The import history, read-only: imports are made on /impor-pegawai/ or the console."""

    list_display = ["at", "kind", "by", "source", "file_name", "status", "created", "changed",
                    "deactivated", "invalid", "duration_ms"]  # fmt: skip
    list_filter = ["kind", "status", "source"]
    search_fields = ["file_name", "sha256"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
