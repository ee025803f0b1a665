"""One recordal in the portal: the filing wizard per kind of right (R1) whose draft is saved
at every step, the review listing what is still missing (R4) before the application is
submitted, GACC's request for corrections and the review clock stopped and resumed (R5),
renewal (R7), change applications and licensee edits (R8), cancellation (R9).

The pages hold no rule: the recordals a user sees are `accounts.scoping.visible_to`'s (any
other is a 404), every write is a call of recordals.services (create, update, attach, the
workflow's steps, changes), whose refusals are shown on the page with nothing changed: bad
input as field errors (400), a step not open now as a message (409)."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import acting_role, visible_to
from core.admin import add_invalid_input_to_form
from core.api.documents import document_response
from core.errors import DomainError, InvalidInput, NotPermitted
from core.i18n import in_reader_language
from core.timezone import day_text, local_today
from deadlines import desk as deadlines_desk
from deadlines.models import Deadline, DeadlineKind
from engine.admin import not_now
from engine.timeline import choice_label, describe
from portal.forms.recordals import (
    AttachmentForm,
    ChangeForm,
    GoodsForm,
    GoodsFormSet,
    InfringerForm,
    InfringerFormSet,
    LicenseeForm,
    LicenseeFormSet,
    NewRecordalForm,
    RightForm,
    formset_rows,
    initial_rows,
)
from portal.views.cases import client_holders, holder_side
from recordals import services
from recordals.models import (
    IN_FORCE_STATUSES,
    ChangeApplication,
    Recordal,
    RecordalEvent,
    RecordalStatus,
)
from recordals.steps import check_complete
from recordals.timeline import RECORDAL_DATA, recordal_event_label
from recordals.workflow import HOLDER_SIDE, RECORDAL_WORKFLOW

# The wizard's steps, in order (R4's content of an application).
WIZARD = (
    ("right", _("The right")),
    ("goods", _("Genuine goods")),
    ("licensees", _("Licensees")),
    ("infringers", _("Known infringers")),
    ("documents", _("Documents")),
    ("review", _("Review and submit")),
)
WIZARD_NAMES = [name for name, _label in WIZARD]
# The steps the review page performs itself: the application goes to GACC (R5).
FILING_STEPS = ("submit", "correct")
# What each row step edits: the formset, its form, the recordal's rows, the service's argument.
ROWS = {
    "goods": (GoodsFormSet, GoodsForm, "genuine_goods", "genuine_goods"),
    "licensees": (LicenseeFormSet, LicenseeForm, "licensees", "licensees"),
    "infringers": (InfringerFormSet, InfringerForm, "known_infringers", "known_infringers"),
}
ROW_INTROS = {
    "goods": _(
        "The genuine goods customs compares suspects against (R4): names, HS code, origin, "
        "usual ports, main importers and exporters, main features and price range."
    ),
    "licensees": _("The licensees and other authorised users of the right (R4)."),
    "infringers": _(
        "Known infringers (R4): manufacturers, importers or exporters, their ports, the "
        "features and price of their goods. Only customs sees them (R11)."
    ),
}


# --- who may use the pages ----------------------------------------------------------------


def recordal_side(view):
    """The holder side's pages (portal.views.cases.holder_side); an officer following a
    recordal's link lands on the recordal in the admin, where GACC reviews it."""
    guarded = holder_side(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and acting_role(user) not in HOLDER_SIDE and "pk" in kwargs:
            return redirect("admin:recordals_recordal_change", kwargs["pk"])
        return guarded(request, *args, **kwargs)

    return wrapped


def my_recordals(user):
    return visible_to(user, Recordal.objects.all())


def get_recordal(user, pk) -> Recordal:
    """The recordal if the user may see it; 404 otherwise (nothing says it exists)."""
    recordal = my_recordals(user).select_related("holder", "filed_by_agency").filter(pk=pk).first()
    if recordal is None:
        raise Http404(gettext("No such recordal."))
    # The holder's name as recorded (R8), in the reader's language.
    recordal.holder_name = in_reader_language(recordal.holder_name_en, recordal.holder_name_zh)
    return recordal


def _list_url() -> str:
    """The portfolio of recordals (portal.urls_portfolio), else the desk."""
    try:
        return reverse("portal:recordals")
    except NoReverseMatch:
        return reverse("portal:desk")


def recordal_url(recordal) -> str:
    return reverse("portal:recordal", args=[recordal.pk])


def wizard_url(recordal, step: str) -> str:
    return reverse("portal:recordal_wizard", args=[recordal.pk, step])


def _refusal(exc: DomainError) -> int:
    """The status a refusal answers: not permitted 403, not now 409."""
    return 403 if isinstance(exc, NotPermitted) else 409


def _messages_of(exc: InvalidInput) -> list[str]:
    return [str(message) for messages_ in exc.errors.values() for message in messages_]


# --- a new application ----------------------------------------------------------------------


@holder_side
def recordal_new(request):
    """R1, R2: the kind of right and the holder (for an agent, among its clients), then the
    right itself: saving it creates the draft."""
    holders = client_holders(request.user)
    source = request.POST if request.method == "POST" else request.GET
    chooser = NewRecordalForm(source if "kind" in source else None, holders=holders)
    if len(holders) == 1 and not chooser.is_bound:
        chooser.initial["holder"] = holders[0].pk
    right_form, errors, status = None, [], 200
    if chooser.is_bound and chooser.is_valid():
        kind, holder = chooser.cleaned_data["kind"], chooser.cleaned_data["holder"]
        posted = request.method == "POST"
        right_form = RightForm(
            request.POST if posted else None, kind=kind, initial=_copied_right(request)
        )
        if posted:
            status = 400
            if right_form.is_valid():
                right, registered = right_form.right()
                try:
                    recordal = services.recordal_create_draft(
                        actor=request.user, holder=holder, right=right, registered=registered
                    )
                except InvalidInput as exc:
                    errors += add_invalid_input_to_form(exc, right_form)
                except DomainError as exc:
                    errors.append(exc.message)
                    status = _refusal(exc)
                else:
                    messages.success(request, gettext("The draft is saved."))
                    return redirect(wizard_url(recordal, "goods"))
    elif chooser.is_bound:
        status = 400
    drafts = (
        my_recordals(request.user)
        .filter(status__in=services.EDITABLE_STATUSES)
        .select_related("holder")
        .order_by("-updated_at", "-id")[:20]
    )
    return render(
        request,
        "portal/recordals/new.html",
        {
            "chooser": chooser,
            "right_form": right_form,
            "errors": errors,
            "drafts": drafts,
            "steps": _wizard_nav(None, "right"),
        },
        status=status,
    )


def _copied_right(request) -> dict:
    """R1: a Madrid mark is recorded one class per recordal; "file for another class" starts
    a new application with the right of a recordal the user sees (?from=<id>), its class
    left to fill in."""
    source = request.GET.get("from", "")
    if not (source.isascii() and source.isdigit()):  # "²".isdigit() too
        return {}
    recordal = my_recordals(request.user).filter(pk=int(source)).first()
    if recordal is None:
        return {}
    fields = {name: getattr(recordal, name) for name in services.RIGHT_FIELDS}
    return {**fields, "nice_classes": []}


# --- the wizard -----------------------------------------------------------------------------


def _wizard_nav(recordal, current: str) -> list[dict]:
    return [
        {
            "name": name,
            "label": label,
            "number": number,
            "url": wizard_url(recordal, name) if recordal is not None else "",
            "current": name == current,
        }
        for number, (name, label) in enumerate(WIZARD, start=1)
    ]


def _next_step(step: str) -> str:
    return WIZARD_NAMES[min(WIZARD_NAMES.index(step) + 1, len(WIZARD_NAMES) - 1)]


@recordal_side
def recordal_wizard(request, pk, step):
    recordal = get_recordal(request.user, pk)
    if step not in WIZARD_NAMES:
        raise Http404(gettext("No such step."))
    if request.method != "POST" and recordal.status not in services.EDITABLE_STATUSES:
        messages.warning(
            request,
            gettext("A %(status)s recordal is not edited in the wizard.")
            % {"status": recordal.get_status_display().lower()},
        )
        return redirect(recordal_url(recordal))
    context = {
        "recordal": recordal,
        "step": step,
        "steps": _wizard_nav(recordal, step),
        "errors": [],
    }
    status = 200
    if step == "right":
        status = _right_step(request, recordal, context)
    elif step in ROWS:
        status = _rows_step(request, recordal, step, context)
    elif step == "documents":
        status = _documents_step(request, recordal, context)
    else:
        context.update(_review_context(request, recordal))
    if status == "again":  # saved; the same step again (one more empty row, or document)
        return redirect(wizard_url(recordal, step))
    if status == "done":
        return redirect(wizard_url(recordal, _next_step(step)))
    return render(
        request, f"portal/recordals/wizard_{_template(step)}.html", context, status=status
    )


def _template(step: str) -> str:
    return "rows" if step in ROWS else step


def _right_step(request, recordal, context):
    initial = {name: getattr(recordal, name) for name in services.RIGHT_FIELDS}
    posted = request.method == "POST"
    form = RightForm(request.POST if posted else None, kind=recordal.kind, initial=initial)
    context["form"] = form
    if not posted:
        return 200
    if form.is_valid():
        right, registered = form.right()
        try:
            services.recordal_update(
                actor=request.user, recordal=recordal, right=right, registered=registered
            )
        except InvalidInput as exc:
            context["errors"] += add_invalid_input_to_form(exc, form)
        except DomainError as exc:
            context["errors"].append(exc.message)
            return _refusal(exc)
        else:
            messages.success(request, gettext("The draft is saved."))
            return "done"
    return 400


def _rows_step(request, recordal, step, context):
    formset_class, form_class, related, argument = ROWS[step]
    posted = request.method == "POST"
    formset = formset_class(
        request.POST if posted else None,
        initial=initial_rows(getattr(recordal, related).order_by("id"), form_class),
        prefix=step,
    )
    context.update(
        formset=formset,
        title=dict(WIZARD)[step],
        intro=ROW_INTROS[step],
        more_rows=reverse("portal:recordal_wizard", args=[recordal.pk, step]),
    )
    if not posted:
        return 200
    if formset.is_valid():
        try:
            services.recordal_update(
                actor=request.user, recordal=recordal, **{argument: formset_rows(formset)}
            )
        except InvalidInput as exc:
            context["errors"] += _messages_of(exc)
        except DomainError as exc:
            context["errors"].append(exc.message)
            return _refusal(exc)
        else:
            messages.success(request, gettext("The draft is saved."))
            if "add_row" in request.POST:  # save, then one more empty row
                return "again"
            return "done"
    return 400


def _documents_step(request, recordal, context):
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None, request.FILES if posted else None)
    context.update(form=form, attachments=list(recordal.attachments.order_by("kind", "id")))
    if not posted:
        return 200
    if form.is_valid():
        try:
            attachment = services.recordal_attach(
                actor=request.user,
                recordal=recordal,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except InvalidInput as exc:
            context["errors"] += add_invalid_input_to_form(exc, form)
        except DomainError as exc:
            context["errors"].append(exc.message)
            return _refusal(exc)
        else:
            messages.success(
                request,
                gettext("%(kind)s attached.") % {"kind": attachment.get_kind_display()},
            )
            return "again"
    return 400


# Where each of check_complete's findings is fixed in the wizard.
MISSING_STEPS = {
    "right_valid_until": "right",
    "holder": "right",
    "genuine_goods": "goods",
    "attachments": "documents",
}


def missing_for_submission(recordal, actor) -> list[dict]:
    """R4: what the application still lacks, as recordals.steps.check_complete finds it
    today (the rule that the submit step itself applies); empty: ready to submit."""
    try:
        check_complete(recordal, actor, local_today())
    except InvalidInput as exc:
        return [
            {
                "message": str(message),
                "step": MISSING_STEPS.get(field, "right"),
                "url": wizard_url(recordal, MISSING_STEPS.get(field, "right")),
            }
            for field, found in exc.errors.items()
            for message in found
        ]
    return []


def _review_context(request, recordal) -> dict:
    role = acting_role(request.user)
    filing = next(
        (
            step
            for step in RECORDAL_WORKFLOW.allowed(recordal.status, role)
            if step.name in FILING_STEPS
        ),
        None,
    )
    return {
        "missing": missing_for_submission(recordal, request.user),
        "filing_step": filing,
        "filing_url": reverse("portal:recordal_step", args=[recordal.pk, filing.name])
        if filing
        else "",
        "correction": correction_request(recordal),
        **_particulars(recordal),
    }


def _particulars(recordal) -> dict:
    return {
        "goods": list(recordal.genuine_goods.order_by("id")),
        "licensees": list(recordal.licensees.order_by("id")),
        "infringers": list(recordal.known_infringers.order_by("id")),
        "attachments": list(recordal.attachments.order_by("kind", "id")),
    }


# --- the recordal page ----------------------------------------------------------------------


def correction_request(recordal) -> RecordalEvent | None:
    """R5: GACC's latest request for corrections, while the application awaits them."""
    if recordal.status != RecordalStatus.NEEDS_CORRECTION:
        return None
    return recordal.events.filter(action="request_correction").order_by("-at", "-id").first()


def review_clocks(request, recordal) -> list[dict]:
    """R5, R7: GACC's review periods on the recordal, each with its clock's history: stopped
    while the applicant corrects (the time does not count), resumed on resubmission."""
    clocks = []
    deadlines = Deadline.objects.filter(
        subject_type__model="recordal",
        subject_id=recordal.pk,
        kind__in=(DeadlineKind.RECORDAL_REVIEW, DeadlineKind.RENEWAL_DECISION),
    ).order_by("opened_at", "id")
    for deadline in deadlines:
        history = []
        for entry in deadline.trail.get("history", []):
            day = entry.get("on")
            if entry.get("event") == "suspended" and day:
                history.append(
                    gettext("Stopped on %(day)s: the time spent correcting does not count (R5).")
                    % {"day": day_text(_date(day))}
                )
            elif entry.get("event") == "resumed" and day:
                history.append(
                    gettext("Resumed on %(day)s with %(days)s working days left.")
                    % {"day": day_text(_date(day)), "days": entry.get("remaining", "")}
                )
        open_ = deadline.status == Deadline.Status.OPEN
        clocks.append(
            {
                "kind": deadline.get_kind_display(),
                "status": deadline.get_status_display(),
                "open": open_,
                "stopped": bool(open_ and deadline.suspended_on),
                "stopped_on": day_text(deadline.suspended_on) if deadline.suspended_on else "",
                "remaining": deadline.trail.get("remaining_working_days"),
                "due": deadlines_desk.due_text(deadline.due_date, deadline.provisional),
                "left": deadlines_desk.time_left(request, deadline.due_date)
                if open_ and not deadline.suspended_on
                else "",
                "history": history,
            }
        )
    return clocks


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def step_offers(request, recordal) -> list[dict]:
    """The holder-side steps the table allows the user's role now; a step whose guard says
    not yet (e.g. renewal outside its window, R7) carries the reason."""
    today = local_today()
    offers = []
    for step in RECORDAL_WORKFLOW.allowed(recordal.status, acting_role(request.user)):
        url = (
            wizard_url(recordal, "review")
            if step.name in FILING_STEPS
            else reverse("portal:recordal_step", args=[recordal.pk, step.name])
        )
        offers.append(
            {
                "step": step,
                "label": step.label,
                "rule": step.rule,
                "url": url,
                "not_now": not_now(step, recordal, today),
            }
        )
    return offers


@recordal_side
def recordal_detail(request, pk):
    recordal = get_recordal(request.user, pk)
    events = list(recordal.events.select_related("actor").order_by("at", "id"))
    in_force = recordal.status in IN_FORCE_STATUSES
    context = {
        "recordal": recordal,
        "steps": step_offers(request, recordal),
        "editable": recordal.status in services.EDITABLE_STATUSES,
        "in_force": in_force,
        "correction": correction_request(recordal),
        "clocks": review_clocks(request, recordal),
        "changes": list(recordal.changes.order_by("-filed_at")),
        "change_kinds": ChangeApplication.Kind.choices if in_force else [],
        "timeline": [
            {
                "event": event,
                "label": recordal_event_label(event),
                "to": choice_label(RecordalStatus, event.to_status),
                "details": describe(event.data, RECORDAL_DATA),
            }
            for event in events
        ],
        **_particulars(recordal),
    }
    return render(request, "portal/recordals/detail.html", {**context, "list_url": _list_url()})


@recordal_side
def recordal_document(request, pk, attachment_id):
    recordal = get_recordal(request.user, pk)
    document = recordal.attachments.filter(pk=attachment_id).first()
    if document is None:
        raise Http404(gettext("No such document."))
    return document_response(document.file, document.content_type)


# --- the steps: submit, correct, renewal, cancellation ---------------------------------------


@recordal_side
def recordal_step(request, pk, action):
    recordal = get_recordal(request.user, pk)
    name = action.replace("-", "_")
    if name not in RECORDAL_WORKFLOW.step_names():
        raise Http404(gettext("No such step."))
    step = RECORDAL_WORKFLOW[name]
    offers = {offer["step"].name: offer for offer in step_offers(request, recordal)}
    offer = offers.get(name)
    if request.method != "POST":
        if offer is None:
            messages.error(request, gettext("This step is not open to you on this recordal now."))
            return redirect(recordal_url(recordal))
        if name in FILING_STEPS:
            return redirect(wizard_url(recordal, "review"))
        if offer["not_now"]:
            messages.warning(request, f"{step.label}: {offer['not_now']}")
            return redirect(recordal_url(recordal))
        return render(
            request,
            "portal/recordals/step.html",
            {"recordal": recordal, "step": step, "reason": "", "errors": [], "offered": True},
        )
    reason = request.POST.get("reason", "")
    errors: list[str] = []
    try:
        services.recordal_transition(
            actor=request.user, recordal=recordal, action=name, reason=reason
        )
    except InvalidInput as exc:
        errors, status = _messages_of(exc), 400
    except DomainError as exc:
        errors, status = [exc.message], _refusal(exc)
    else:
        messages.success(request, gettext("%(step)s: done.") % {"step": step.label})
        return redirect(recordal_url(recordal))
    recordal = get_recordal(request.user, pk)  # as it is, nothing changed
    if name in FILING_STEPS and recordal.status in services.EDITABLE_STATUSES:
        context = {
            "recordal": recordal,
            "step": "review",
            "errors": errors,
            "steps": _wizard_nav(recordal, "review"),
            **_review_context(request, recordal),
        }
        return render(request, "portal/recordals/wizard_review.html", context, status=status)
    context = {
        "recordal": recordal,
        "step": step,
        "reason": reason,
        "errors": errors,
        "offered": name in {o["step"].name for o in step_offers(request, recordal)},
    }
    return render(request, "portal/recordals/step.html", context, status=status)


# --- licensees and changes (R8) -------------------------------------------------------------


@recordal_side
def recordal_licensees(request, pk):
    """R8: the licensee list of a recordal is edited freely, in force or not yet filed."""
    recordal = get_recordal(request.user, pk)
    posted = request.method == "POST"
    formset = LicenseeFormSet(
        request.POST if posted else None,
        initial=initial_rows(recordal.licensees.order_by("id"), LicenseeForm),
        prefix="licensees",
    )
    errors: list[str] = []
    status = 200
    if posted:
        status = 400
        if formset.is_valid():
            try:
                services.recordal_update(
                    actor=request.user, recordal=recordal, licensees=formset_rows(formset)
                )
            except InvalidInput as exc:
                errors += _messages_of(exc)
            except DomainError as exc:
                errors.append(exc.message)
                status = _refusal(exc)
            else:
                messages.success(request, gettext("The licensees are saved."))
                return redirect(recordal_url(recordal))
    return render(
        request,
        "portal/recordals/licensees.html",
        {"recordal": recordal, "formset": formset, "errors": errors},
        status=status,
    )


# R8: the rows a change of goods or licensing carries, as they will be.
CHANGE_ROWS = {
    ChangeApplication.Kind.GOODS: (GoodsFormSet, GoodsForm, "genuine_goods"),
    ChangeApplication.Kind.LICENSING: (LicenseeFormSet, LicenseeForm, "licensees"),
}


@recordal_side
def recordal_change(request, pk, kind):
    """R8: a change application of the given kind, with the new particulars it carries."""
    recordal = get_recordal(request.user, pk)
    if kind not in ChangeApplication.Kind.values:
        raise Http404(gettext("No such kind of change."))
    label = ChangeApplication.Kind(kind).label
    posted = request.method == "POST"
    form = ChangeForm(request.POST if posted else None, kind=kind)
    formset = None
    if kind in CHANGE_ROWS:
        formset_class, form_class, related = CHANGE_ROWS[kind]
        formset = formset_class(
            request.POST if posted else None,
            initial=initial_rows(getattr(recordal, related).order_by("id"), form_class),
            prefix=related,
        )
    errors: list[str] = []
    status = 200
    if posted:
        status = 400
        if form.is_valid() and (formset is None or formset.is_valid()):
            details = form.details()
            if formset is not None:
                details[CHANGE_ROWS[kind][2]] = formset_rows(formset)
            try:
                services.recordal_file_change(
                    actor=request.user,
                    recordal=recordal,
                    kind=kind,
                    changed_on=form.cleaned_data["changed_on"],
                    description=form.cleaned_data["description"],
                    details=details,
                )
            except InvalidInput as exc:
                errors += add_invalid_input_to_form(exc, form)
            except DomainError as exc:
                errors.append(exc.message)
                status = _refusal(exc)
            else:
                messages.success(
                    request,
                    gettext("Your change application is filed: GACC decides on it (R8)."),
                )
                return redirect(recordal_url(recordal))
    return render(
        request,
        "portal/recordals/change.html",
        {
            "recordal": recordal,
            "form": form,
            "formset": formset,
            "kind_label": label,
            "errors": errors,
            "pending": recordal.changes.filter(status="pending"),
        },
        status=status,
    )
