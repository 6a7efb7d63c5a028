from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govem.notify.models import ContactChannel, Message, MessageTemplate, PushSubscription


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "name", "subject", "updated_at"]
    list_filter = ["channel"]
    search_fields = ["key", "name", "subject", "body"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "employee",
        "template_key",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template_key"]
    search_fields = ["employee__name", "employee__nip", "address", "subject"]
    date_hierarchy = "created_at"
    raw_id_fields = ["employee"]
    readonly_fields = [
        "channel", "employee", "address", "template_key", "subject", "body", "url", "status",
        "attempts", "next_attempt_at", "expires_at", "last_error", "dedupe_key",
        "claim_token", "claimed_at", "created_at", "sent_at",
    ]  # fmt: skip
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Kirim ulang sekarang (pesan gagal)"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = queryset.filter(status__in=[Message.Status.FAILED, Message.Status.DEAD]).update(
            status=Message.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0
        )
        self.message_user(request, _("%d pesan diantrekan ulang.") % count)


@admin.register(ContactChannel)
class ContactChannelAdmin(admin.ModelAdmin):
    list_display = ["employee", "channel", "address", "enabled"]
    list_filter = ["channel", "enabled"]
    search_fields = ["employee__name", "employee__nip", "address"]
    raw_id_fields = ["employee"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_success_at", "disabled_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "endpoint", "p256dh", "auth", "user_agent", "created_at"]
