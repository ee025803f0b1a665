"""API for parties: who am I, organisations, ports, authorisations (powers of attorney)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Authorisation, Contact, Organisation, Port, User
from core.api.documents import document_response
from core.api.fields import LegalDateField
from core.api.parsers import JSONParser
from core.api.viewsets import ScopedViewSet
from core.timezone import local_today

# --- serializers -------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["role", "is_backup", "name", "email", "phone"]


class OrganisationSerializer(serializers.ModelSerializer):
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id", "kind", "name_en", "name_zh", "country", "is_domestic", "registration_id",
            "address", "customs_code", "customs_level", "contacts",
        ]  # fmt: skip

    def get_contacts(self, obj) -> list[dict]:
        # Contacts are the organisation's own business and customs' (R11).
        user = self.context["request"].user
        if (
            obj.kind == Organisation.Kind.CUSTOMS
            or user.is_officer
            or user.organisation_id == obj.pk
        ):
            return ContactSerializer(obj.contacts.all(), many=True).data
        return []


class OrganisationUpdateSerializer(serializers.Serializer):
    address = serializers.CharField(required=False, allow_blank=True)
    contacts = ContactSerializer(many=True, required=False)


class PortSerializer(serializers.ModelSerializer):
    class Meta:
        model = Port
        fields = ["id", "office", "name_en", "name_zh", "customs_code"]


class MeSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True)
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "organisation",
                  "preferred_language"]  # fmt: skip


class AuthorisationSerializer(serializers.ModelSerializer):
    is_active = serializers.SerializerMethodField()
    agency_name = serializers.CharField(source="agency.name_en", read_only=True)
    holder_name = serializers.CharField(source="holder.name_en", read_only=True)

    class Meta:
        model = Authorisation
        fields = [
            "id", "agency", "agency_name", "holder", "holder_name", "starts_on", "ends_on",
            "is_active", "notes", "created_at", "revoked_at", "revocation_reason",
        ]  # fmt: skip

    def get_is_active(self, obj) -> bool:
        return obj.is_active(local_today())


class AuthorisationCreateSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.IP_AGENCY)
    )
    holder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RIGHTS_HOLDER),
        required=False,
        help_text=_("Defaults to the caller's own organisation."),
    )
    starts_on = LegalDateField()
    ends_on = LegalDateField()
    document = serializers.FileField(
        help_text=_("Signed power of attorney: PDF, PNG or JPEG, ≤ 10 MB.")
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- filters ---------------------------------------------------------------------------


class OrganisationFilter(filters.FilterSet):
    is_domestic = filters.BooleanFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "country", "customs_level"]


class AuthorisationFilter(filters.FilterSet):
    active = filters.BooleanFilter(method="filter_active")

    class Meta:
        model = Authorisation
        fields = ["agency", "holder"]

    def filter_active(self, queryset, name, value):
        active_ids = Authorisation.objects.active().values("pk")
        return queryset.filter(pk__in=active_ids) if value else queryset.exclude(pk__in=active_ids)


# --- views -----------------------------------------------------------------------------


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)


class OrganisationViewSet(ScopedViewSet):
    """Organisations the caller may see; its own users update address and contacts."""

    queryset = Organisation.objects.prefetch_related("contacts")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name_en", "name_zh"]
    ordering_fields = ["name_en", "customs_code"]

    @extend_schema(request=OrganisationUpdateSerializer, responses=OrganisationSerializer)
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.organisation_update(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        organisation = self.get_queryset().get(pk=organisation.pk)
        return Response(self.get_serializer(organisation).data)


class PortViewSet(ScopedViewSet):
    queryset = Port.objects.select_related("office")
    serializer_class = PortSerializer
    filterset_fields = ["office"]


class AuthorisationViewSet(ScopedViewSet):
    """Powers of attorney. Holders grant and revoke; agencies and customs read."""

    queryset = Authorisation.objects.select_related("agency", "holder")
    serializer_class = AuthorisationSerializer
    filterset_class = AuthorisationFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": AuthorisationCreateSerializer},
                   responses={201: AuthorisationSerializer})  # fmt: skip
    def create(self, request):
        data = AuthorisationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        holder = values.pop("holder", None) or request.user.organisation
        authorisation = services.authorisation_grant(actor=request.user, holder=holder, **values)
        return Response(self.get_serializer(authorisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=AuthorisationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        authorisation = self.get_object()
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        authorisation = services.authorisation_revoke(
            actor=request.user, authorisation=authorisation, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(authorisation).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        authorisation = self.get_object()
        return document_response(authorisation.document, authorisation.document_content_type)
