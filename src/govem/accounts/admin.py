from django.contrib import admin
from django.http import HttpRequest

from govem.accounts.models import ApiToken, AuditEntry, OneTimeCode, RoleScope


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label", "object_id", "reason"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "device", "created_at", "expires_at", "revoked_at", "last_used_at"]
    exclude = ["token_hash"]
    readonly_fields = ["user", "device", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(RoleScope)
class RoleScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "created_at"]
    search_fields = ["user__username", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """Issued codes, read-only and without their hashes (sheets are printed on /akun-pegawai/)."""

    list_display = ["user", "purpose", "channel", "created_at", "expires_at", "used_at",
                    "revoked_at", "attempts", "issued_by"]  # fmt: skip
    list_filter = ["purpose", "channel"]
    search_fields = ["user__username"]
    exclude = ["code_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
