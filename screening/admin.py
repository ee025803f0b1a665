"""The screening admin: officers tune the rules and the marks' other forms, and read the
batches screened with every declaration's hits; from a hit they open an ex officio case
(R12) with the shipment and goods prefilled."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin
from screening.models import MarkVariant, ScreeningBatch, ScreeningResult, ScreeningRule


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(ScopedAdmin):
    list_display = ["rule_name", "code", "weight", "threshold", "is_active"]
    list_editable = ["weight", "threshold", "is_active"]
    fields = ["code", "rule_name", "weight", "threshold", "is_active"]
    readonly_fields = ["code", "rule_name"]
    officer_can_change = ("gacc_officer",)

    def has_add_permission(self, request):
        return False  # the rules are the engine's; officers tune them

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("name"), ordering="name")
    def rule_name(self, obj):
        return obj.display_name


@admin.register(MarkVariant)
class MarkVariantAdmin(ScopedAdmin):
    list_display = ["text", "recordal"]
    search_fields = ["text", "recordal__number", "recordal__right_name"]
    autocomplete_fields = ["recordal"]
    officer_can_add = officer_can_change = officer_can_delete = ("gacc_officer",)


def open_case_url(result: ScreeningResult, hit: dict) -> str:
    """The detentions admin's "open case" page, prefilled from the declaration (R12)."""
    d = result.declaration
    query = {
        "recordal_numbers": hit["recordal"],
        "direction": d.get("direction", ""),
        "channel": d.get("channel", ""),
        "declaration_number": d.get("number", ""),
        "origin_country": d.get("origin_country", ""),
        "destination_country": d.get("destination_country", ""),
        "consignor_name": (d.get("consignor") or {}).get("name", ""),
        "consignor_country": (d.get("consignor") or {}).get("country", ""),
        "consignee_name": (d.get("consignee") or {}).get("name", ""),
        "consignee_country": (d.get("consignee") or {}).get("country", ""),
    }
    lines = [
        (n, line)
        for n, line in enumerate(d.get("lines") or [])
        if any(h["recordal"] == hit["recordal"] and h["line"] == n for h in result.hits)
    ] or [(hit["line"], (d.get("lines") or [{}])[hit["line"]])]
    for i, (_n, line) in enumerate(lines):
        for name in ("description", "hs_code", "quantity", "unit", "value"):
            query[f"goods-{i}-{name}"] = line.get(name, "")
    return reverse("admin:detentions_detention_open") + "?" + urlencode(query)


class ScreeningResultInline(admin.TabularInline):
    model = ScreeningResult
    fields = ["position", "number", "risk", "level", "authorised"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScreeningBatch)
class ScreeningBatchAdmin(ScopedAdmin):
    list_display = ["name", "status", "total", "done", "created_at"]
    list_filter = ["status"]
    fields = ["name", "status", "total", "done", "error", "created_by", "created_at", "finished_at"]
    readonly_fields = fields
    inlines = [ScreeningResultInline]


@admin.register(ScreeningResult)
class ScreeningResultAdmin(ScopedAdmin):
    list_display = ["number", "batch", "risk", "level", "authorised", "hit_count"]
    list_filter = ["level", "authorised", "batch"]
    search_fields = ["number"]
    list_select_related = ["batch"]
    fields = ["batch", "number", "risk", "level", "authorised", "hit_table"]
    readonly_fields = fields

    @admin.display(description=_("hits"))
    def hit_count(self, obj):
        return len(obj.hits)

    @admin.display(description=_("hits"))
    def hit_table(self, obj):
        chinese = (get_language() or "").startswith("zh")
        lines = (obj.declaration or {}).get("lines") or []
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            '<td><a href="{}">{}</a></td></tr>',
            (
                (
                    h["line"],
                    lines[h["line"]].get("description", "") if h["line"] < len(lines) else "",
                    h["recordal"],
                    h["rule"],
                    h.get("reason_zh") if chinese and h.get("reason_zh") else h["reason"],
                    open_case_url(obj, h),
                    _("Open an ex officio case"),
                )
                for h in obj.hits
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>"
            "{}</table>",
            _("line"),
            _("goods"),
            _("recordal"),
            _("rule"),
            _("reason"),
            rows,
        )
