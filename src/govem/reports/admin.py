from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from govem.reports.models import ReportVerification


@admin.register(ReportVerification)
class ReportVerificationAdmin(admin.ModelAdmin):
    """Verifications are evidence: read here, made only through "Verifikasi laporan"."""

    list_display = ["date", "scope_label", "verifier_name", "verified_at", "row_count", "sha256"]
    list_filter = ["date"]
    search_fields = ["verifier_name", "verifier_nip", "scope_label", "sha256"]
    exclude = ["rows"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
