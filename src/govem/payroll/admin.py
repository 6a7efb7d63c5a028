from django.contrib import admin

from govem.payroll.models import Pagu, Productivity, Sentence


@admin.register(Pagu)
class PaguAdmin(admin.ModelAdmin):
    """The TPP ceiling table (normally imported at /tpp/pagu/ or ``govem tpp import-pagu``)."""

    list_display = ["basis", "key", "amount", "valid_from", "valid_to", "note"]
    list_filter = ["basis"]
    search_fields = ["key", "note"]


@admin.register(Productivity)
class ProductivityAdmin(admin.ModelAdmin):
    list_display = ["employee", "month", "percent", "minutes", "source", "entered_by"]
    list_filter = ["source", "month"]
    search_fields = ["employee__name", "employee__nip"]
    autocomplete_fields = ["employee"]
    readonly_fields = ["entered_by", "entered_at"]
    list_select_related = ["employee"]


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ["employee", "kind", "decree_number", "starts", "months", "cut_pct"]
    list_filter = ["kind"]
    search_fields = ["employee__name", "employee__nip", "decree_number"]
    autocomplete_fields = ["employee"]
    readonly_fields = ["recorded_by", "recorded_at"]
    list_select_related = ["employee"]
