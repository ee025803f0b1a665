"""Detentions in the portal: the holder's (or its agents') cases with their filters, the
case page, and the holder-side steps of the case's table as forms (R12-R22).

Everything goes through the same doors as the API: the cases a user sees are
`accounts.scoping.visible_to`'s (any other case is a 404), a step is one the workflow
table allows the user's role from the case's state (its guard's answer shown when not
yet), it is performed by `detentions.services.detention_transition` with the step's own
input schema, and a refusal is shown on the form with nothing changed."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Port
from accounts.scoping import acting_role, authorised_holder_ids, visible_to
from campaigns.models import Campaign, CampaignTag
from core.admin import add_invalid_input_to_form
from core.api.documents import document_response
from core.errors import DomainError, InvalidInput
from core.timezone import instant_text, local_today
from deadlines import desk as deadlines_desk
from deadlines.models import DeadlineKind
from detentions import rules, selectors, services
from detentions.models import (
    BondSource,
    Detention,
    DetentionEvent,
    DetentionStatus,
    Mode,
)
from detentions.timeline import BALANCES, CASE_DATA, case_event_label
from detentions.workflow import HOLDER_SIDE, workflow_for
from engine.admin import not_now
from engine.forms import filled_values, schema_form
from engine.timeline import choice_label, describe, money
from portal.forms.cases import CaseFilterForm, DocumentForm, InspectionRequestForm
from recordals import services as recordal_services
from recordals.models import RecordalKind

PAGE_SIZE = 20
# The holder files here, online: how a paper filing arrived is the officers' to record.
OFFICERS_FIELDS = ("reason", "filed_via", "filed_at")


# --- who may use the holder side's pages ----------------------------------------------------


def holder_side(view):
    """Signed in as a rights holder's or an agent's user: anonymous visitors go to sign in,
    officers to their desk in the admin."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        if acting_role(user) not in HOLDER_SIDE:
            # Officers work in the admin: a case link (e.g. a reminder's) opens it there.
            if "pk" in kwargs and view.__name__ == "case_detail":
                return redirect("admin:detentions_detention_change", kwargs["pk"])
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapped


def login_url() -> str:
    try:
        return reverse("portal:login")
    except NoReverseMatch:  # CONTRACT.md: sign-in is at /accounts/login/
        return "/accounts/login/"


def client_holders(user):
    """The holders whose work the user does: its own organisation, or, for an agent, every
    holder authorising its agency today."""
    if acting_role(user) == "agent":
        return Organisation.objects.filter(
            pk__in=authorised_holder_ids(user.organisation_id)
        ).order_by("name_en")
    return Organisation.objects.filter(pk=user.organisation_id)


def chosen_client(request, holders) -> Organisation | None:
    """The agent's client filter (?client=<holder id>), among the holders it acts for."""
    value = request.GET.get("client", "")
    if not value.isdigit():
        return None
    return next((h for h in holders if h.pk == int(value)), None)


def my_cases(user):
    return visible_to(user, Detention.objects.all())


def get_case(user, pk) -> Detention:
    """The case if the user may see it; 404 otherwise (R1: nothing says it exists)."""
    case = (
        my_cases(user)
        .select_related("holder", "office", "port__office", "general_bond")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(gettext("No such case."))
    return case


# --- the list ------------------------------------------------------------------------------


@holder_side
def case_list(request):
    holders = list(client_holders(request.user))
    form = CaseFilterForm(
        request.GET or None,
        holders=holders,
        ports=Port.objects.filter(pk__in=my_cases(request.user).values("port_id")).select_related(
            "office"
        ),
        campaigns=Campaign.objects.filter(
            pk__in=CampaignTag.objects.filter(
                removed_at__isnull=True, detention__in=my_cases(request.user)
            ).values("campaign_id")
        ),
    )
    cases = selectors.with_next_deadline(
        my_cases(request.user).select_related("port__office", "holder")
    ).order_by("-opened_on", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("port"):
            cases = cases.filter(port=data["port"])
        if data.get("right"):
            cases = cases.filter(ip_kind=data["right"])
        if data.get("campaign"):
            cases = cases.filter(
                campaign_tags__campaign=data["campaign"], campaign_tags__removed_at__isnull=True
            )
        if data.get("client"):
            cases = cases.filter(holder=data["client"])
        if data.get("q"):
            text = data["q"].strip()
            cases = cases.filter(
                Q(number__icontains=text)
                | Q(declaration_number__icontains=text)
                | Q(consignor_name__icontains=text)
                | Q(consignee_name__icontains=text)
                | Q(right_description__icontains=text)
                | Q(goods_lines__description__icontains=text)
            ).distinct()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/cases/list.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(case) for case in page.object_list],
            "query": query.urlencode(),
            "is_agent": len(holders) > 1 or acting_role(request.user) == "agent",
        },
    )


def _row(case) -> dict:
    due = case.next_deadline_at
    return {
        "case": case,
        "port": str(case.port) if case.port_id else "-",
        "next_due": instant_text(due) if due else "",
        "next_kind": choice_label(DeadlineKind, case.next_deadline_kind)
        if case.next_deadline_kind
        else "",
    }


# --- the case page -------------------------------------------------------------------------


def step_offers(request, case) -> list[dict]:
    """The holder-side steps the case's table allows the user's role now; those whose
    guard says not yet carry the reason."""
    today = local_today()
    role = acting_role(request.user)
    return [
        {
            "step": step,
            "label": step.label,
            "rule": step.rule,
            "url": reverse("portal:case_step", args=[case.pk, step.name]),
            "not_now": not_now(step, case, today),
        }
        for step in workflow_for(case.mode).allowed(case.status, role)
    ]


@holder_side
def case_detail(request, pk):
    case = get_case(request.user, pk)
    events = list(
        DetentionEvent.objects.filter(detention=case, internal=False)
        .select_related("actor")
        .order_by("at", "id")
    )
    for event in events:
        event.detention = case  # the label reads the case's table
    documents = list(case.documents.filter(internal=False).order_by("uploaded_at", "id"))
    deadlines = list(selectors.open_deadlines(case.pk))
    balance = selectors.money_balance(case)
    context = {
        "case": case,
        "goods": list(case.goods_lines.select_related("recordal").order_by("id")),
        "recordals": list(case.recordals.order_by("number")),
        "documents": documents,
        "timeline": [
            {
                "event": event,
                "label": case_event_label(event),
                "from": choice_label(DetentionStatus, event.from_status),
                "to": choice_label(DetentionStatus, event.to_status),
                "details": describe(event.data, CASE_DATA),
            }
            for event in events
        ],
        "deadlines": [
            {
                "kind": deadline.get_kind_display(),
                "due": deadlines_desk.due_text(deadline.due_date, deadline.provisional),
                "left": deadlines_desk.time_left(request, deadline.due_date),
            }
            for deadline in deadlines
        ],
        "money": list(case.money.order_by("on", "id")),
        "balance": [
            {"label": BALANCES[key], "amount": money(value)}
            for key, value in balance.items()
            if value
        ],
        "steps": step_offers(request, case),
        "may_add_documents": case.status != DetentionStatus.CLOSED,
        "may_request_inspection": case.status in services.HELD_STATES,
    }
    return render(request, "portal/cases/detail.html", context)


@holder_side
def case_document(request, pk, document_id):
    case = get_case(request.user, pk)
    document = case.documents.filter(pk=document_id, internal=False).first()
    if document is None:
        raise Http404(gettext("No such document."))
    return document_response(document.file, document.content_type)


# --- the steps -----------------------------------------------------------------------------


def step_form(step, *, data=None, files=None):
    """The step's own input schema as a form, less what only officers record; the
    reasons are the page's own field."""
    if step.input is None:
        return None
    return schema_form(step.input, data=data, files=files, skip=OFFICERS_FIELDS)


def _bond_context(case) -> dict:
    """What the reply form tells about the bond: R14's amount for this case, and the
    general bond covering the request today, if any (R15)."""
    if case.mode != Mode.EX_OFFICIO:
        return {}
    general = None
    if case.ip_kind == RecordalKind.TRADEMARK:
        general = recordal_services.general_bond_covering(case.holder_id, local_today())
    return {
        "bond_amount": money(rules.bond_amount(case.mode, case.total_value)),
        "general_bond": general,
        "general_bond_remaining": money(
            recordal_services.general_bond_balance(general)["remaining"]
        )
        if general
        else "",
    }


@holder_side
def case_step(request, pk, action):
    case = get_case(request.user, pk)
    offers = {offer["step"].name: offer for offer in step_offers(request, case)}
    offer = offers.get(action.replace("-", "_"))
    case_url = reverse("portal:case", args=[case.pk])
    if offer is None:
        messages.error(request, gettext("This step is not open to you on this case now."))
        return redirect(case_url)
    step = offer["step"]
    if offer["not_now"]:
        messages.warning(request, f"{step.label}: {offer['not_now']}")
        return redirect(case_url)
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    posted = request.method == "POST"
    form = step_form(
        step, data=request.POST if posted else None, files=request.FILES if posted else None
    )
    if request.method == "POST" and request.POST.get("bond_source") == BondSource.GENERAL_BOND:
        # R15: under the general bond there is no per-case bond to describe.
        for name in ("bond_form", "bond_reference"):
            if form is not None and name in form.fields:
                form.fields[name].required = False
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400  # bad input, shown on the form; 409 when the step itself refuses
        if step.needs_reason and not reason.strip():
            errors.append(gettext("Give your reasons."))
        if (form is None or form.is_valid()) and not errors:
            data = filled_values(form.cleaned_data) if form is not None else {}
            document = data.pop("document", None)
            try:
                services.detention_transition(
                    actor=request.user,
                    detention=case,
                    action=step,
                    reason=reason,
                    data=data,
                    document=document,
                )
            except InvalidInput as exc:
                if form is not None:
                    errors += add_invalid_input_to_form(exc, form)
                else:
                    errors += [" ".join(str(e) for e in v) for v in exc.errors.values()]
            except DomainError as exc:
                errors.append(exc.message)
                status = 409
            else:
                messages.success(request, gettext("%(step)s: done.") % {"step": step.label})
                return redirect(case_url)
    context = {
        "case": case,
        "step": step,
        "form": form,
        "reason": reason,
        "errors": errors,
        **(_bond_context(case) if step.name == "request_detention" else {}),
    }
    return render(request, "portal/cases/step.html", context, status=status)


@holder_side
def case_document_add(request, pk):
    case = get_case(request.user, pk)
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = form.cleaned_data
            try:
                services.detention_attach(
                    actor=request.user,
                    detention=case,
                    kind=values["kind"],
                    upload=values["file"],
                    title=values["title"],
                )
            except InvalidInput as exc:
                add_invalid_input_to_form(exc, form)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("The document is on the case file."))
                return redirect("portal:case", pk=case.pk)
        status = 400
    return render(
        request,
        "portal/cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Upload a document"),
            "intro": _(
                "A court assistance notice (R17, R19), evidence, a bond receipt or a reply: "
                "it goes on the case file and customs sees it."
            ),
            "multipart": True,
        },
        status=status,
    )


@holder_side
def case_inspection(request, pk):
    case = get_case(request.user, pk)
    form = InspectionRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.detention_request_inspection(
                    actor=request.user, detention=case, note=form.cleaned_data["note"]
                )
            except InvalidInput as exc:
                add_invalid_input_to_form(exc, form)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, gettext("Your request is sent to the customs office (R20).")
                )
                return redirect("portal:case", pk=case.pk)
        status = 400
    return render(
        request,
        "portal/cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Ask to inspect the goods"),
            "intro": _(
                "With customs' consent, the holder may inspect the goods customs holds "
                "(R20). The customs office is told and arranges the inspection."
            ),
        },
        status=status,
    )
