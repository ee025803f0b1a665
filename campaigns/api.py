"""/api/v1/campaigns/: campaigns and their focus (GACC officers create and edit), their
results (scoped to the caller's cases), and re-tagging; /api/v1/regions/ (read); and the
campaigns' part of /api/v1/detentions/ (`CampaignCaseViewSet`): the priority flag, the
campaign filter and tagging a case by hand."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Organisation, User
from accounts.scoping import visible_to
from campaigns import selectors, services
from campaigns.models import Campaign, CampaignTag, PriorityHolder, Region
from core.api.fields import LegalDateField
from core.api.viewsets import ScopedReadOnlyViewSet, ScopedViewSet
from core.errors import NotPermitted
from detentions.api.cases import DetentionFilter, DetentionViewSet
from detentions.models import Channel, Detention, Direction, PenaltyTier, ProductCategory

# --- serializers ---------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name_en", "name_zh", "countries"]


class PrioritySerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(source="holder.name_en", read_only=True)
    liaison_officer_name = serializers.CharField(
        source="liaison_officer.get_full_name", read_only=True
    )

    class Meta:
        model = PriorityHolder
        fields = ["holder", "holder_name", "liaison_officer", "liaison_officer_name"]


class RetagSerializer(serializers.Serializer):
    status = serializers.CharField(source="retag_status")
    total = serializers.IntegerField(source="retag_total")
    done = serializers.IntegerField(source="retag_done")
    queued_at = serializers.DateTimeField(source="retag_queued_at", allow_null=True)
    started_at = serializers.DateTimeField(source="retag_started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="retag_finished_at", allow_null=True)


class CampaignSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    offices = serializers.SlugRelatedField(slug_field="customs_code", many=True, read_only=True)
    retag = RetagSerializer(source="*", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
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
            "retag",
        ]


class OfficerCampaignSerializer(CampaignSerializer):
    """Officers also see the priority enterprises and their liaison officers."""

    # Not read-only in the schema's sense, so not "required": holders' responses have no
    # `priority` (the viewset gives them CampaignSerializer). Never written through it.
    priority = PrioritySerializer(
        many=True, required=False, help_text=gettext_lazy("Officers only; absent for other users.")
    )

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "priority"]


class PriorityInput(serializers.Serializer):
    holder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RIGHTS_HOLDER)
    )
    liaison_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, organisation__kind=Organisation.Kind.CUSTOMS)
    )

    def validate(self, attrs):
        # A PATCH makes the nested rows partial too; a row still needs both.
        missing = {
            name: [_("This field is required.")] for name in self.fields if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class CampaignInput(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name_en = serializers.CharField(max_length=200)
    name_zh = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Campaign.Kind.choices)
    starts_on = LegalDateField()
    ends_on = LegalDateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    auto_tag = serializers.BooleanField(required=False, default=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), required=False, default=list
    )
    directions = serializers.ListField(
        child=serializers.ChoiceField(choices=Direction.choices), required=False, default=list
    )
    regions = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), many=True, required=False
    )
    countries = serializers.ListField(
        child=serializers.RegexField(r"^[A-Z]{2}$", max_length=2), required=False, default=list
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ProductCategory.choices),
        required=False,
        default=list,
    )
    offices = serializers.SlugRelatedField(
        slug_field="customs_code",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CUSTOMS),
        many=True,
        required=False,
    )
    priority_holders_only = serializers.BooleanField(required=False, default=False)
    priority_minimum_tier = serializers.ChoiceField(
        choices=PenaltyTier.choices, required=False, default=PenaltyTier.GENERAL
    )
    priority = PriorityInput(many=True, required=False)

    def validate(self, attrs):
        starts, ends = attrs.get("starts_on"), attrs.get("ends_on")
        if starts and ends and ends < starts:
            raise serializers.ValidationError(
                {"ends_on": _("The campaign cannot end before it starts.")}
            )
        return attrs


class ResultRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    actions = serializers.IntegerField(
        help_text=gettext_lazy("Protection actions: the cases counted.")
    )
    batches = serializers.IntegerField(help_text=gettext_lazy("Cases whose goods were detained."))
    items = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2)


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    totals = ResultRowSerializer()
    by_office = ResultRowSerializer(many=True)
    by_channel = ResultRowSerializer(many=True)
    by_ip_kind = ResultRowSerializer(many=True)
    by_region = ResultRowSerializer(many=True)
    by_outcome = ResultRowSerializer(many=True)


class CampaignTagSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True)
    detention = serializers.SlugRelatedField(slug_field="number", read_only=True)
    tagged_by = serializers.StringRelatedField(allow_null=True)
    removed_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = CampaignTag
        fields = [
            "id",
            "campaign",
            "detention",
            "source",
            "tagged_by",
            "tagged_at",
            "reason",
            "removed_at",
            "removed_by",
            "removal_reason",
        ]


class TagInput(serializers.Serializer):
    campaign = serializers.SlugRelatedField(slug_field="code", queryset=Campaign.objects.all())
    reason = serializers.CharField(max_length=2000)


# --- views ---------------------------------------------------------------------------------


class CampaignFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=Campaign.Kind.choices)
    running_on = filters.DateFilter(
        method="filter_running_on", label=gettext_lazy("Running on this date")
    )
    year = filters.NumberFilter(
        method="filter_year",
        label=gettext_lazy("Running during this year"),
        min_value=1,
        max_value=9999,
    )
    code = filters.CharFilter(field_name="code")

    class Meta:
        model = Campaign
        fields = []

    def filter_running_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(starts_on__year__lte=value, ends_on__year__gte=value)


def _officer(request) -> bool:
    return request.user.is_superuser or request.user.is_officer


class CampaignViewSet(ScopedViewSet):
    """Campaigns are public to signed-in users; GACC officers set them up. Results count
    only the cases the caller may see (a holder its own, a district its office's)."""

    queryset = Campaign.objects.prefetch_related("regions", "offices").order_by(
        "-starts_on", "code"
    )
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    ordering_fields = ["starts_on", "ends_on", "code"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False) or _officer(self.request):
            priority = PriorityHolder.objects.select_related("holder", "liaison_officer")
            queryset = queryset.prefetch_related(Prefetch("priority", queryset=priority))
        return queryset

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or _officer(self.request):
            return OfficerCampaignSerializer
        return CampaignSerializer

    def _save(self, request, campaign, partial):
        if not request.user.sees_everything:
            raise NotPermitted(_("Only GACC officers set up campaigns."))
        created = campaign is None
        data = CampaignInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        regions = fields.pop("regions", None)
        offices = fields.pop("offices", None)
        priority = fields.pop("priority", None)
        if priority is not None:
            priority = [(row["holder"], row["liaison_officer"]) for row in priority]
        campaign = services.campaign_save(
            actor=request.user,
            campaign=campaign,
            fields=fields,
            regions=regions,
            offices=offices,
            priority=priority,
        )
        fresh = self.get_queryset().get(pk=campaign.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=CampaignInput, responses={201: OfficerCampaignSerializer})
    def create(self, request):
        """GACC officers: a campaign and its focus; matching detentions are tagged in the
        background (see `retag`)."""
        return self._save(request, None, partial=False)

    @extend_schema(request=CampaignInput, responses=OfficerCampaignSerializer)
    def partial_update(self, request, pk=None):
        """GACC officers change a campaign; a changed rule re-tags its period in the
        background, keeping officers' manual tags and removals."""
        return self._save(request, self.get_object(), partial=True)

    @extend_schema(request=CampaignInput, responses=OfficerCampaignSerializer)
    def update(self, request, pk=None):
        return self._save(request, self.get_object(), partial=False)

    @extend_schema(responses=CampaignResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The campaign's cases that the caller may see, counted as in the statistics:
        protection actions (cases), batches (goods detained) and the batches' items and
        value; in total and by office, channel, kind of right, destination region (a case
        counts in each region its destination belongs to) and outcome ("referred"
        overlaps)."""
        campaign = self.get_object()
        visible = visible_to(request.user, Detention.objects.all())
        results = selectors.campaign_results(campaign, detentions=visible)
        return Response(CampaignResultsSerializer(results).data)

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer("RetagQueued", {"retag": RetagSerializer()}),
        },
    )
    @action(detail=True, methods=["post"])
    def retag(self, request, pk=None):
        """GACC officers re-apply the rule to the campaign's period now (e.g. after a
        failed run); progress shows in `retag`."""
        campaign = self.get_object()
        if not request.user.sees_everything:
            raise NotPermitted(_("Only GACC officers re-tag campaigns."))
        services.campaign_queue_retag(campaign_ids=[campaign.pk])
        campaign.refresh_from_db()
        return Response({"retag": RetagSerializer(campaign).data}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=CampaignTagSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tags(self, request, pk=None):
        """Officers: the campaign's tags on the cases they may see, removed ones included
        (who removed them and why)."""
        campaign = self.get_object()
        if not _officer(request):
            raise NotPermitted(_("Only customs officers see the tagging record."))
        tags = visible_to(request.user, CampaignTag.objects.filter(campaign=campaign))
        tags = tags.select_related("campaign", "detention", "tagged_by", "removed_by")
        page = self.paginate_queryset(tags.order_by("-tagged_at", "-id"))
        return self.get_paginated_response(CampaignTagSerializer(page, many=True).data)


class RegionViewSet(ScopedReadOnlyViewSet):
    """Focus regions as sets of ISO countries (GACC edits them in the admin)."""

    queryset = Region.objects.order_by("code")
    serializer_class = RegionSerializer


# --- the cases: /api/v1/detentions/ with the campaigns' parts -------------------------------


class CampaignCaseFilter(DetentionFilter):
    campaign = filters.CharFilter(
        method="filter_campaign", label=gettext_lazy("Counted in this campaign (code or id)")
    )
    priority = filters.BooleanFilter(
        label=gettext_lazy("The holder is a priority enterprise of a campaign")
    )

    def filter_campaign(self, queryset, name, value):
        campaign = Campaign.objects.filter(
            Q(code=value.upper())
            | Q(pk=int(value) if value.isascii() and value.isdigit() else None)
        ).first()
        if campaign is None:
            raise ValidationError({"campaign": _("No campaign %(value)s.") % {"value": value}})
        return selectors.tagged(campaign, queryset)


class CampaignCaseViewSet(DetentionViewSet):
    # Registered in config/api.py as /api/v1/detentions/ in place of detentions' own
    # viewset, which knows nothing of campaigns. No docstring of its own: the schema
    # describes the case API with DetentionViewSet's.

    filterset_class = CampaignCaseFilter

    def get_queryset(self):
        # `priority` and `live_campaign_tags` feed the case serializers' campaign fields.
        queryset = selectors.with_priority(super().get_queryset())
        return queryset.prefetch_related(
            Prefetch(
                "campaign_tags",
                queryset=CampaignTag.objects.filter(removed_at__isnull=True).select_related(
                    "campaign"
                ),
                to_attr="live_campaign_tags",
            )
        )

    @extend_schema(request=TagInput, responses={201: CampaignTagSerializer})
    @action(detail=True, methods=["post"])
    def tag(self, request, pk=None):
        """Officers count the case in a campaign by hand, saying why."""
        return self._campaign_tagging(request, services.campaign_tag, 201)

    @extend_schema(request=TagInput, responses=CampaignTagSerializer)
    @action(detail=True, methods=["post"])
    def untag(self, request, pk=None):
        """Officers remove a wrong tag, saying why; the rule will not put it back."""
        return self._campaign_tagging(request, services.campaign_untag, 200)

    @extend_schema(responses=CampaignTagSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="campaign-tags")
    def campaign_tags(self, request, pk=None):
        """Officers: the case's campaign tags, by rule or by hand, removed ones included."""
        detention = self.get_object()
        _officers_only(request)
        tags = detention.campaign_tags.select_related("campaign", "tagged_by", "removed_by")
        page = self.paginate_queryset(tags.order_by("tagged_at", "id"))  # lists are paginated
        return self.get_paginated_response(CampaignTagSerializer(page, many=True).data)

    def _campaign_tagging(self, request, service, code):
        detention = self.get_object()
        _officers_only(request)
        data = TagInput(data=request.data)
        data.is_valid(raise_exception=True)
        tag = service(actor=request.user, detention=detention, **data.validated_data)
        return Response(CampaignTagSerializer(tag).data, status=code)


def _officers_only(request) -> None:
    """A case the caller may not see is 404 (get_object); a non-officer who sees it, 403."""
    if not _officer(request):
        raise NotPermitted(_("Only customs officers record this."))
