"""Admin: the regency's counting start (one row), editable by Tim IT; audited like any row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from govem.operations import golive
from govem.operations.models import CountingStart


@admin.register(CountingStart)
class CountingStartAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "source", "recorded_at"]
    fields = ["starts_on", "source", "recorded_at"]
    readonly_fields = ["source", "recorded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not CountingStart.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.source = "admin"
        super().save_model(request, obj, form, change)
        golive.forget()  # this process reads it again; restart the others (docs/operations.md)
