"""The campaigns admin: GACC keeps the focus regions and the campaigns (their focus is also
their tagging rule, with the priority enterprises); every officer reads them, with the
re-tagging progress and the campaign's results over the cases the officer may see.

Every save is one service call (campaigns/services.py) with the object and its relations,
so the admin's own saving of the object, its many-to-many fields and its inlines is
replaced by `ServiceSavedAdmin` below."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Func, IntegerField, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.scoping import visible_to
from campaigns import selectors, services
from campaigns.case_admin import CampaignCaseAdmin
from campaigns.desk import retagging
from campaigns.models import CODE, Campaign, CampaignTag, PriorityHolder, Region
from core.admin import OfficerTabularInline, ScopedAdmin, add_invalid_input_to_form
from core.errors import InvalidInput
from core.timezone import day_text
from detentions.models import ISO_COUNTRY, Channel, Detention, Direction, ProductCategory

GACC = ("gacc_officer",)
CODE_FORMAT = _("3 to 40 capital letters, digits and hyphens, e.g. LONGTENG-2024.")
REFUSAL = "_service_refusal"  # request attribute: the errors to show on the re-shown form


# --- saving through a service ----------------------------------------------------------------


class ServiceRejected(Exception):
    """The service refused the save. Raised out of the admin's transaction, so that
    nothing the admin did before is kept."""

    def __init__(self, refusal: dict):
        super().__init__(refusal)
        self.refusal = refusal  # form prefix (None: the main form) -> {field: [messages]}


class ShowsRefusal:
    """A form that shows a service's refusal of the same input (see ServiceSavedAdmin).
    `refusal` is set per request on the class the admin makes for that request."""

    refusal: dict = {}

    def clean(self):
        cleaned = super().clean()
        errors = self.refusal.get(self.prefix)
        if errors:
            # add_invalid_input_to_form hands back "reason" errors (a transition's reason).
            for error in add_invalid_input_to_form(InvalidInput(errors), self):
                self.add_error("reason" if "reason" in self.fields else None, error)
        return cleaned


class ServiceSavedAdmin(ScopedAdmin):
    """Add and change forms saved by one service call with the object and its relations.

    Django validates the form and the inlines, then saves the object and its relations
    in one transaction. Here `save_model` does nothing and `save_related` hands all of it
    to `save_by_service`. When the service refuses (InvalidInput) the transaction is rolled
    back and the same POST is shown again, with the service's errors on the fields and
    inline rows they concern; nothing is half-saved. There is no delete: no service
    deletes, and tags and decisions hang off these rows."""

    def save_by_service(self, request, form, formsets, change):
        raise NotImplementedError

    def refusal(self, exc: InvalidInput, form, formsets) -> dict:
        """Where the service's errors go: by default all on the main form."""
        return {None: exc.errors}

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Saved with its relations by `save_related`, in one service call."""

    def save_related(self, request, form, formsets, change):
        try:
            saved = self.save_by_service(request, form, formsets, change)
        except InvalidInput as exc:
            raise ServiceRejected(self.refusal(exc, form, formsets)) from exc
        # The admin goes on (history, messages, redirect) with what the service saved.
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()
        form.instance._state.adding = False

    def construct_change_message(self, request, form, formsets, add=False):
        """The history entry: the formsets were not saved as such, so name the inlines
        that changed rather than their rows."""
        message = super().construct_change_message(request, form, [], add)
        inlines = [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        if inlines and not add:
            message.append({"changed": {"fields": inlines}})
        return message

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRejected as rejected:
            # Rolled back. The second pass builds the form and the inlines from the same
            # POST; the refusal makes them invalid, so Django shows them with the errors.
            setattr(request, REFUSAL, rejected.refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refusal = getattr(request, REFUSAL, {})  # a class made for this request
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form.refusal = getattr(request, REFUSAL, {})
            yield formset, inline


# --- form fields ------------------------------------------------------------------------------


class CountryListField(forms.CharField):
    """ISO 3166-1 alpha-2 codes, comma-separated ("NG, KE, ZA"); read in capitals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("ISO 3166-1 alpha-2 codes, separated by commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value)
        codes = [code.upper() for code in re.split(r"[\s,;]+", text) if code]
        return list(dict.fromkeys(codes))  # once each, in the order given

    def validate(self, value):
        super().validate(value)
        bad = [code for code in value if not re.fullmatch(ISO_COUNTRY, code)]
        if bad:
            raise forms.ValidationError(
                _("ISO 3166-1 alpha-2 codes, e.g. NG: not %(bad)s."),
                params={"bad": ", ".join(bad)},
                code="invalid_country",
            )


def choice_list(choices, label):
    return forms.MultipleChoiceField(
        choices=choices, required=False, label=label, widget=forms.CheckboxSelectMultiple
    )


# --- regions ----------------------------------------------------------------------------------


class RegionForm(ShowsRefusal, forms.ModelForm):
    countries = CountryListField(label=_("countries"))

    class Meta:
        model = Region
        fields = ["code", "name_en", "name_zh", "countries"]


@admin.register(Region)
class RegionAdmin(ServiceSavedAdmin):
    """Focus regions as sets of countries. A change re-tags the campaigns focused on the
    region (region_save)."""

    form = RegionForm
    list_display = ["code", "reader_name", "country_count"]
    search_fields = ["code", "name_en", "name_zh"]
    readonly_fields = ["used_by"]
    officer_can_add = officer_can_change = GACC

    def get_queryset(self, request):
        cardinality = Func(F("countries"), function="cardinality", output_field=IntegerField())
        return super().get_queryset(request).annotate(country_count=cardinality)

    def get_fields(self, request, obj=None):
        fields = ["code", "name_en", "name_zh", "countries"]
        return fields if obj is None else [*fields, "used_by"]

    @admin.display(description=_("name"), ordering="name_en")
    def reader_name(self, obj):
        return obj.name

    @admin.display(description=_("countries"), ordering="country_count")
    def country_count(self, obj):
        return obj.country_count

    @admin.display(description=_("campaigns re-tagged when the countries change"))
    def used_by(self, obj):
        return ", ".join(obj.campaigns.order_by("code").values_list("code", flat=True)) or "-"

    def save_by_service(self, request, form, formsets, change):
        return services.region_save(
            actor=request.user, region=form.instance, countries=form.cleaned_data["countries"]
        )


# --- campaigns --------------------------------------------------------------------------------


class CampaignForm(ShowsRefusal, forms.ModelForm):
    channels = choice_list(Channel.choices, _("channels"))
    directions = choice_list(Direction.choices, _("directions"))
    categories = choice_list(ProductCategory.choices, _("product categories"))
    countries = CountryListField(
        label=_("countries"),
        required=False,
        help_text=_("Destination countries, in addition to the regions'; comma-separated."),
    )

    class Meta:
        model = Campaign
        fields = [
            "code",
            "name_en",
            "name_zh",
            "kind",
            "starts_on",
            "ends_on",
            "description",
            "auto_tag",
            "channels",
            "directions",
            "regions",
            "countries",
            "categories",
            "offices",
            "priority_holders_only",
            "priority_minimum_tier",
        ]

    def clean(self):
        """The two rules the database holds as constraints, in the service's words (the
        model's own check would only name the constraint). The service checks them again,
        with the rest of the campaign."""
        cleaned = super().clean()
        code = cleaned.get("code")
        if code and not re.fullmatch(CODE, code):
            self.add_error("code", CODE_FORMAT)
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return cleaned

    def validate_unique(self):
        """The service checks that the code is new, naming the campaign that has it."""


class PriorityHolderForm(ShowsRefusal, forms.ModelForm):
    class Meta:
        model = PriorityHolder
        fields = ["holder", "liaison_officer"]


class PriorityHolderInline(OfficerTabularInline):
    """Priority enterprises ("Dragon Protection") and the officer each one deals with."""

    model = PriorityHolder
    form = PriorityHolderForm
    fields = ["holder", "liaison_officer"]
    extra = 1
    officer_can_write = GACC

    def get_extra(self, request, obj=None, **kwargs):
        return self.extra if self._may_write(request) else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("holder", "liaison_officer")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "liaison_officer":
            kwargs["queryset"] = User.objects.filter(
                is_active=True, organisation__kind=Organisation.Kind.CUSTOMS
            ).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def priority_rows(formset) -> list:
    """The inline rows that name a priority holder, in order: the service's `priority`."""
    return [row for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]


PRIORITY_ERROR = re.compile(r"priority\[(\d+)\]\.(\w+)")


class YearFilter(admin.SimpleListFilter):
    """Campaigns running at some time in the year."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = Campaign.objects.aggregate(first=Min("starts_on"), last=Max("ends_on"))
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 9999):
            return queryset
        year = int(value)
        return queryset.filter(
            starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1)
        )


class RetagFilter(admin.SimpleListFilter):
    """Campaigns whose re-tagging is under way (the desk's queue) or has failed."""

    title = _("re-tagging")
    parameter_name = "retag"

    def lookups(self, request, model_admin):
        return [("running", _("Queued or running")), ("failed", _("Failed"))]

    def queryset(self, request, queryset):
        if self.value() == "running":
            return retagging(queryset)
        if self.value() == "failed":
            return queryset.filter(retag_status=Campaign.RetagStatus.FAILED)
        return queryset


RESULT_SPLITS = (
    ("by_office", _("By customs office")),
    ("by_channel", _("By channel")),
    ("by_ip_kind", _("By kind of right")),
    ("by_region", _("By destination region")),
    ("by_outcome", _("By outcome")),
)


def _result_row(row: dict):
    return (
        row["label"],
        row["actions"],
        row["batches"],
        f"{row['items']:,}",
        f"{row['value']:,.2f}",
    )


def _result_table(caption, rows: list[dict]):
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        map(_result_row, rows),
    )
    return format_html(
        '<table class="campaign-results"><caption>{}</caption><thead><tr><th></th>'
        "<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        caption,
        _("Cases"),
        _("Batches detained"),
        _("Items"),
        _("Value (CNY)"),
        body or format_html('<tr><td colspan="5">{}</td></tr>', _("None")),
    )


def results_html(results: dict):
    """campaign_results as tables: the total, then one table per split."""
    tables = [_result_table(_("Total"), [results["totals"]])]
    tables += [_result_table(caption, results[key]) for key, caption in RESULT_SPLITS]
    return format_html_join("", "{}", ((table,) for table in tables))


RETAG_FIELDS = ["retag_progress", "retag_queued_at", "retag_started_at", "retag_finished_at"]


def tagged_detentions_url(campaign: Campaign) -> str:
    """The case list filtered to the campaign's live tags (detentions/admin.py)."""
    return f"{reverse('admin:detentions_detention_changelist')}?campaign={campaign.pk}"


@admin.register(Campaign)
class CampaignAdmin(ServiceSavedAdmin):
    """Campaigns, their focus (the tagging rule) and priority enterprises; GACC sets them
    up, district officers read them. The change page shows the re-tagging progress and
    the results over the cases the officer may see."""

    form = CampaignForm
    inlines = [PriorityHolderInline]
    list_display = [
        "code",
        "reader_name",
        "kind",
        "period",
        "auto_tag",
        "live_tags",
        "retag",
    ]
    list_filter = ["kind", YearFilter, RetagFilter]
    search_fields = ["code", "name_en", "name_zh"]
    filter_horizontal = ["regions", "offices"]
    readonly_fields = RETAG_FIELDS
    actions = ["retag_now"]
    change_form_template = "admin/campaigns/campaign/change_form.html"
    officer_can_add = officer_can_change = GACC
    fieldsets = [
        (
            _("Campaign"),
            {
                "fields": [
                    "code",
                    "name_en",
                    "name_zh",
                    "kind",
                    ("starts_on", "ends_on"),
                    "description",
                ]
            },
        ),
        (
            _("Focus and tagging rule"),
            {
                "description": _(
                    "An empty dimension does not restrict. A change re-tags the period's "
                    "detentions in the background; officers' own tags and removals stay."
                ),
                "fields": [
                    "auto_tag",
                    "channels",
                    "directions",
                    "regions",
                    "countries",
                    "categories",
                    "offices",
                    "priority_holders_only",
                    "priority_minimum_tier",
                ],
            },
        ),
    ]
    retag_fieldset = (_("Re-tagging"), {"fields": RETAG_FIELDS})

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj is None else [*self.fieldsets, self.retag_fieldset]

    def get_queryset(self, request):
        """With the number of live tags on the cases the officer may see."""
        tags = visible_to(
            request.user,
            CampaignTag.objects.filter(campaign=OuterRef("pk"), removed_at__isnull=True),
        )
        count = tags.order_by().values("campaign").annotate(n=Count("pk")).values("n")
        return super().get_queryset(request).annotate(live_tags=Coalesce(Subquery(count), 0))

    @admin.display(description=_("name"), ordering="name_en")
    def reader_name(self, obj):
        return obj.name

    @admin.display(description=_("period"), ordering="starts_on")
    def period(self, obj):
        return gettext("%(start)s to %(end)s") % {
            "start": day_text(obj.starts_on),
            "end": day_text(obj.ends_on),
        }

    @admin.display(description=_("tagged cases"), ordering="live_tags")
    def live_tags(self, obj):
        return format_html('<a href="{}">{}</a>', tagged_detentions_url(obj), obj.live_tags)

    @admin.display(description=_("re-tagging"), ordering="retag_status")
    def retag(self, obj):
        return f"{obj.get_retag_status_display()} {obj.retag_done}/{obj.retag_total}"

    @admin.display(description=_("progress"))
    def retag_progress(self, obj):
        return format_html(
            "<strong>{}</strong>: {}/{} {}",
            obj.get_retag_status_display(),
            obj.retag_done,
            obj.retag_total,
            _("detentions of the period"),
        )

    # Saving: the form, its relations and the priority inline in one campaign_save.

    def _priority_formset(self, formsets):
        return next((fs for fs in formsets if fs.model is PriorityHolder), None)

    def save_by_service(self, request, form, formsets, change):
        data = form.cleaned_data
        given = set(form.changed_data) if change else set(data)  # a change: what was changed
        fields = {name: data[name] for name in services.CAMPAIGN_FIELDS if name in given}
        priority_formset = self._priority_formset(formsets)
        priority = None
        if priority_formset is not None and (not change or priority_formset.has_changed()):
            priority = [
                (row.cleaned_data["holder"], row.cleaned_data["liaison_officer"])
                for row in priority_rows(priority_formset)
            ]
        return services.campaign_save(
            actor=request.user,
            campaign=form.instance if change else None,
            fields=fields,
            regions=list(data["regions"]) if "regions" in given else None,
            offices=list(data["offices"]) if "offices" in given else None,
            priority=priority,
        )

    def refusal(self, exc, form, formsets):
        """Errors of `priority[n].field` go on the n-th priority row."""
        formset = self._priority_formset(formsets)
        rows = priority_rows(formset) if formset is not None else []
        refusal: dict = {}
        for key, errors in exc.errors.items():
            match = PRIORITY_ERROR.fullmatch(key)
            if match and int(match[1]) < len(rows):
                prefix, key = rows[int(match[1])].prefix, match[2]
            elif key == "priority":
                prefix, key = None, "non_field_errors"
                errors = [
                    gettext("Priority rights holders: %(error)s") % {"error": error}
                    for error in errors
                ]
            else:
                prefix = None
            refusal.setdefault(prefix, {}).setdefault(key, []).extend(errors)
        return refusal

    # The change page: re-tagging and results.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            detentions = visible_to(request.user, Detention.objects.all())
            results = selectors.campaign_results(obj, detentions=detentions)
            context.update(
                results=results_html(results),
                tagged_detentions_url=tagged_detentions_url(obj),
                may_retag=self.has_change_permission(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/retag/",
                self.admin_site.admin_view(self.retag_view),
                name="campaigns_campaign_retag",
            ),
            *super().get_urls(),
        ]

    def retag_view(self, request, object_id):
        """The "Re-tag now" button: e.g. after a failed run."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        self.retag_now(request, Campaign.objects.filter(pk=obj.pk))
        return HttpResponseRedirect(reverse("admin:campaigns_campaign_change", args=[obj.pk]))

    @admin.action(description=_("Re-tag the selected campaigns now"), permissions=["change"])
    def retag_now(self, request, queryset):
        codes = sorted(queryset.values_list("code", flat=True))
        services.campaign_queue_retag(campaign_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            gettext("Re-tagging queued: %(codes)s.") % {"codes": ", ".join(codes)},
            level=messages.SUCCESS,
        )


# The case admin with the campaigns' section (campaigns/case_admin.py) in place of
# detentions' own, which knows nothing of campaigns.
admin.site.unregister(Detention)
admin.site.register(Detention, CampaignCaseAdmin)
