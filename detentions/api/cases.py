"""/api/v1/detentions/: the case list with its filters, opening cases, and one POST endpoint
per step of the two workflow tables, generated from them."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.scoping import acting_role
from core.api.documents import document_response
from core.api.parsers import JSONParser
from core.api.serializers import columns_read
from core.api.viewsets import ScopedViewSet
from core.files import check_upload
from detentions import personal_data, selectors, services
from detentions.api.common import (
    _is_officer,
    _not_found,
    _officers_only,
)
from detentions.api.serializers import (
    ApplicationInput,
    CaseDocumentSerializer,
    CaseEventSerializer,
    DetentionDetailSerializer,
    DetentionSerializer,
    ExOfficioInput,
    GoodsInput,
    MoneyEntrySerializer,
    OfficerDetentionDetailSerializer,
    OfficerDetentionSerializer,
)
from detentions.inputs import (
    CompensationInput,
    CostInput,
    DocumentInput,
    InspectionInput,
    PaymentInput,
    StatementInput,
)
from detentions.models import (
    Channel,
    Detention,
    DetentionEvent,
    DetentionStatus,
    Direction,
    Mode,
    PersonalDataRead,
)
from detentions.workflow import WORKFLOWS, steps_named, workflow_for
from recordals.models import RecordalKind

# --- filters -------------------------------------------------------------------------------


class DetentionFilter(filters.FilterSet):
    # campaigns/api.py adds `campaign` and `priority` (CampaignCaseFilter).
    status = filters.MultipleChoiceFilter(choices=DetentionStatus.choices)
    mode = filters.ChoiceFilter(choices=Mode.choices)
    channel = filters.MultipleChoiceFilter(choices=Channel.choices)
    direction = filters.MultipleChoiceFilter(choices=Direction.choices)
    ip_kind = filters.MultipleChoiceFilter(choices=RecordalKind.choices)
    opened_after = filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = filters.DateFilter(field_name="opened_on", lookup_expr="lte")
    overdue = filters.BooleanFilter(
        method="filter_overdue", label=_("With a deadline past due and not dealt with")
    )
    number = filters.CharFilter(field_name="number")
    declaration_number = filters.CharFilter(field_name="declaration_number")

    class Meta:
        model = Detention
        fields = ["office", "port", "holder"]

    def filter_overdue(self, queryset, name, value):
        return selectors.overdue(queryset, value)


# --- views ---------------------------------------------------------------------------------


class DetentionViewSet(ScopedViewSet):
    """Detention cases the caller may see: officers of the handling office and GACC;
    the holder and its authorised agents for the holder's own cases."""

    queryset = Detention.objects.select_related("office", "port", "holder").order_by(
        "-opened_on", "-id"
    )
    serializer_class = DetentionSerializer
    filterset_class = DetentionFilter
    ordering_fields = ["opened_on", "total_value", "total_items", "next_deadline_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        # A list page gets its next deadlines in one query after paging, a case's detail
        # with its open deadlines (get_object; issue 21); the subquery only where the
        # rows are ordered by it, and for the other actions.
        if self.action not in ("list", "retrieve") or "next_deadline_at" in (
            self.request.query_params.get("ordering", "")
        ):
            queryset = selectors.with_next_deadline(queryset)
        if self.action == "list":
            # A page reads only the columns its rows show (issue 21).
            queryset = queryset.only(*columns_read(self.get_serializer_class()))
        if self.action == "retrieve":
            queryset = queryset.select_related("no_penalty_criterion").prefetch_related(
                "goods_lines",
                "recordals",
                "money",
                "referrals",
                "documents",
                Prefetch(
                    "events",
                    queryset=DetentionEvent.objects.select_related("actor").prefetch_related(
                        "documents"
                    ),
                ),
            )
        return queryset

    def get_object(self):
        detention = super().get_object()
        if self.action == "retrieve":
            selectors.attach_open_deadlines(detention)
        return detention

    def filter_queryset(self, queryset):
        # django-filter builds its FilterSet (a deep copy of every filter and a form) on
        # every request, a case's detail included, to filter nothing when no parameter
        # names a filter: skip it then, the rows are the same (issue 21).
        params = self.request.query_params
        names = self.filterset_class.base_filters
        if any(p == n or p.startswith(f"{n}_") for p in params for n in names):
            return super().filter_queryset(queryset)
        for backend in self.filter_backends:
            if not issubclass(backend, filters.DjangoFilterBackend):
                queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page and not hasattr(page[0], "next_deadline_at"):  # not ordered by it
            selectors.attach_next_deadlines(page)
        return page

    def get_serializer_class(self):
        # The schema documents the fullest form, the officers'.
        officer = getattr(self, "swagger_fake_view", False) or _is_officer(self.request)
        if self.action == "retrieve":
            return OfficerDetentionDetailSerializer if officer else DetentionDetailSerializer
        return OfficerDetentionSerializer if officer else DetentionSerializer

    def retrieve(self, request, *args, **kwargs):
        detention = self.get_object()
        if not _is_officer(request):
            return Response(self.get_serializer(detention).data)
        # PIPL: officers see the personal particulars unmasked on the detail only, and
        # each read is logged (detentions/personal_data.py).
        context = {**self.get_serializer_context(), "personal_data": "unmasked"}
        data = self.get_serializer(detention, context=context).data
        personal_data.personal_data_read(
            reader=request.user, detention=detention, channel=PersonalDataRead.Channel.API
        )
        return Response(data)

    def _detail(self, detention, code=status.HTTP_200_OK):
        self.action = "retrieve"
        fresh = selectors.attach_open_deadlines(self.get_queryset().get(pk=detention.pk))
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=ExOfficioInput, responses={201: OfficerDetentionDetailSerializer})
    def create(self, request):
        """Officers: suspend release and serve the notice on the holder (R12)."""
        data = ExOfficioInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lines = values.pop("goods_lines")
        recordals = values.pop("recordals")
        detention = services.detention_open_ex_officio(
            actor=request.user,
            office=values.pop("office", None),
            port=values.pop("port", None),
            served_on=values.pop("served_on", None),
            internal_notes=values.pop("internal_notes"),
            recordals=recordals,
            goods_lines=lines,
            shipment=values,
        )
        return self._detail(detention, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationInput, responses={201: DetentionDetailSerializer})
    @action(detail=False, methods=["post"])
    def apply(self, request):
        """The holder (or its agent) applies for detention of any right, with evidence and
        a bond equal to the goods value (R18)."""
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        holder = values.pop("holder", None) or request.user.organisation
        lines = values.pop("goods_lines")
        detention = services.detention_apply(
            actor=request.user,
            holder=holder,
            port=values.pop("port"),
            recordals=values.pop("recordals", []),
            goods_lines=lines,
            shipment={k: values.pop(k) for k in list(values) if k in services.SHIPMENT_FIELDS},
            **values,
        )
        return self._detail(detention, status.HTTP_201_CREATED)

    @extend_schema(request=GoodsInput, responses=OfficerDetentionDetailSerializer)
    @action(detail=True, methods=["put"])
    def goods(self, request, pk=None):
        """Officers correct the goods lines before the bond is set on their value."""
        detention = self.get_object()
        _officers_only(request)
        data = GoodsInput(data=request.data)
        data.is_valid(raise_exception=True)
        detention = services.detention_update_goods(
            actor=request.user, detention=detention, goods_lines=data.validated_data["goods_lines"]
        )
        return self._detail(detention)

    @extend_schema(
        request={"multipart/form-data": DocumentInput}, responses={201: CaseDocumentSerializer}
    )
    @action(detail=True, methods=["post"], url_path="documents")
    def add_document(self, request, pk=None):
        detention = self.get_object()
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        check_upload(values["file"], field="file")  # errors keyed by this API's field name
        document = services.detention_attach(
            actor=request.user,
            detention=detention,
            kind=values["kind"],
            upload=values["file"],
            title=values["title"],
            internal=values["internal"],
        )
        return Response(CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)")
    def document(self, request, pk=None, document_id=None):
        detention = self.get_object()
        documents = detention.documents.all()
        if not _is_officer(request):
            documents = documents.filter(internal=False)
        document = documents.filter(pk=document_id).first()
        if document is None:
            return _not_found()
        return document_response(document.file, document.content_type)

    def _officer_record(self, request, Input, service, Output):
        """Officer-only records outside the tables (money, statements): an unseen case is
        404, a non-officer 403, then the input is read and the service called."""
        detention = self.get_object()
        _officers_only(request)
        data = Input(data=request.data)
        data.is_valid(raise_exception=True)
        record = service(actor=request.user, detention=detention, **data.validated_data)
        return Response(Output(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CostInput, responses={201: MoneyEntrySerializer})
    @action(detail=True, methods=["post"])
    def costs(self, request, pk=None):
        """Officers charge storage, custody or disposal costs to the holder (R27)."""
        return self._officer_record(
            request, CostInput, services.detention_charge_costs, MoneyEntrySerializer
        )

    @extend_schema(request=PaymentInput, responses={201: MoneyEntrySerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        """Officers record the holder's payment of costs (R27)."""
        return self._officer_record(
            request, PaymentInput, services.detention_record_payment, MoneyEntrySerializer
        )

    @extend_schema(request=CompensationInput, responses={201: MoneyEntrySerializer})
    @action(detail=True, methods=["post"])
    def compensations(self, request, pk=None):
        """Officers pay the consignor from the bond on a court notice (R28)."""
        return self._officer_record(
            request,
            CompensationInput,
            services.detention_compensate_consignor,
            MoneyEntrySerializer,
        )

    @extend_schema(request=StatementInput, responses={201: CaseEventSerializer})
    @action(detail=True, methods=["post"])
    def statements(self, request, pk=None):
        """Officers record the consignor's inspection and written statement (R20)."""
        return self._officer_record(
            request, StatementInput, services.detention_record_statement, CaseEventSerializer
        )

    @extend_schema(request=InspectionInput, responses={201: CaseEventSerializer})
    @action(detail=True, methods=["post"])
    def inspections(self, request, pk=None):
        """Officers record an inspection of the goods, by the holder or the consignor, with
        customs' consent (R20)."""
        return self._officer_record(
            request, InspectionInput, services.detention_record_inspection, CaseEventSerializer
        )


def _step_endpoint(name: str):
    """One endpoint per step name; a name both tables share is documented with each
    table's own label, rule and roles (e.g. `release`: R12/R17 ex officio, R19 on
    application)."""
    steps = steps_named(name)
    Input = steps[0][1].input  # the tables share a shared step's schema

    def perform(self, request, pk=None):
        detention = self.get_object()
        workflow_for(detention.mode).check_role(name, acting_role(request.user))
        if not isinstance(request.data, dict):  # a JSON `true` or list: the input's own 400
            Input(data=request.data).is_valid(raise_exception=True)
        data = dict(request.data.items())
        detention = services.detention_transition(
            actor=request.user,
            detention=detention,
            action=name,
            reason=data.pop("reason", ""),
            data=data,
            document=request.FILES.get("document"),
        )
        return self._detail(detention)

    perform.__name__ = name
    perform.__doc__ = "\n\n".join(
        f"{MODE_LABELS[mode]}: {step.label} ({step.rule}). Allowed to: {', '.join(step.roles)}."
        for mode, step in steps
    )
    # The action first: `action` replaces the function's kwargs, where the schema is kept.
    perform = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(perform)
    return extend_schema(
        request={"application/json": Input, "multipart/form-data": Input},
        responses=OfficerDetentionDetailSerializer,
        description=_steps_text(steps),
    )(perform)


MODE_LABELS = {"ex_officio": "Ex officio", "on_application": "On application"}


def _steps_description(steps) -> str:
    """The endpoint's description in the reader's language: each table's label and rule."""
    return "\n\n".join(
        gettext("%(mode)s: %(label)s (%(rule)s). Allowed to: %(roles)s.")
        % {"mode": Mode(mode).label, "label": step.label, "rule": step.rule,
           "roles": ", ".join(step.roles)}
        for mode, step in steps
    )  # fmt: skip


_steps_text = lazy(_steps_description, str)
for _name in dict.fromkeys(s.name for w in WORKFLOWS.values() for s in w.later_steps()):
    setattr(DetentionViewSet, _name, _step_endpoint(_name))
