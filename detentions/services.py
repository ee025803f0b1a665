"""Writes about detention cases (R12-R28). Each function runs in one transaction; state
changes lock the case, re-check its state against detentions/workflow.py, write an event,
update the case, and open or close the deadlines the table names through the deadline
engine. Money moves only as MoneyEntry rows, so the trail always adds up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Authorisation, Organisation, Port, User
from accounts.scoping import acts_for_holder
from core.errors import Conflict, InvalidInput, NotPermitted
from core.files import check_upload
from core.timezone import local_today
from deadlines import services as deadlines
from deadlines.models import Deadline, DeadlineKind, Escalation, Notification
from detentions import rules, selectors
from detentions.models import (
    PERSONAL_CHANNELS,
    BondForm,
    BondSource,
    Detention,
    DetentionDocument,
    DetentionEvent,
    DetentionStatus,
    Determination,
    DisposalMethod,
    GoodsLine,
    Mode,
    MoneyEntry,
    NoPenaltyCriterion,
    PenaltyTier,
    Referral,
    ReferralEvent,
)
from detentions.workflow import REFERRAL_WORKFLOW, workflow_for
from recordals import services as recordals
from recordals.models import IN_FORCE_STATUSES, GeneralBond, GeneralBondEntry, Recordal

INVESTIGATION_DAYS = 30  # R16
COURT_ORDER_DAYS = {Mode.EX_OFFICIO: 50, Mode.ON_APPLICATION: 20}  # R17, R19
REPLY_DAYS = 3  # R12
COST_PAYMENT_DAYS = 10  # R15, R27
GOODS_EDITABLE = (DetentionStatus.NOTIFIED, DetentionStatus.APPLIED)
COSTS_STATES = (
    "detained",
    "infringing",
    "undetermined",
    "court_ordered",
    "confiscated",
    "disposed",
    "released",
)
SHIPMENT_FIELDS = (
    "direction",
    "channel",
    "transport_mode",
    "declaration_number",
    "origin_country",
    "destination_country",
    "consignor_name",
    "consignor_country",
    "consignor_address",
    "consignor_contact",
    "consignor_id_number",
    "consignee_name",
    "consignee_country",
    "consignee_address",
)
K = MoneyEntry.Kind


def authorised_holder_agencies(holder_id: int):
    """Agencies holding a running authorisation from the holder, as a subquery."""
    return Authorisation.objects.active().filter(holder_id=holder_id).values("agency_id")


def _role(actor) -> str | None:
    if actor is None:
        return None
    return "gacc_officer" if actor.is_superuser and actor.organisation_id is None else actor.role


# --- opening a case ---------------------------------------------------------------------------


def _handling_office(actor: User, office: Organisation | None) -> Organisation:
    """District officers open cases of their own office; GACC officers name the office."""
    if _role(actor) == User.Role.DISTRICT_OFFICER:
        if office is not None and office.pk != actor.organisation_id:
            raise NotPermitted("District officers open cases of their own office only.")
        return actor.organisation
    if office is None:
        raise InvalidInput({"office": "Name the district customs office handling the case."})
    if office.kind != Organisation.Kind.CUSTOMS or office.is_gacc:
        raise InvalidInput({"office": "Must be a district customs office."})
    return office


def _check_port(port: Port | None, office: Organisation, required: bool) -> None:
    if port is None:
        if required:
            raise InvalidInput({"port": "Name the port (R18: the likely port)."})
        return
    if port.office_id != office.pk:
        raise InvalidInput({"port": f"{port} is not a port of {office}."})


def _check_shipment(shipment: dict) -> dict:
    errors = {}
    for field in (
        "origin_country",
        "destination_country",
        "consignor_country",
        "consignee_country",
    ):
        value = (shipment.get(field) or "").strip().upper()
        if len(value) != 2 or not value.isalpha():
            errors[field] = "An ISO 3166 two-letter country code, e.g. CN."
        shipment[field] = value
    for field in ("consignor_name", "consignee_name"):
        if not (shipment.get(field) or "").strip():
            errors[field] = "Required (R18)."
    if errors:
        raise InvalidInput(errors)
    return {key: shipment[key] for key in SHIPMENT_FIELDS if key in shipment}


def _check_recordals(recordals_: list[Recordal], on: dt.date, *, required: bool) -> None:
    """R12: ex officio detention protects recorded rights in force; one holder and one
    kind of right per case."""
    if not recordals_:
        if required:
            raise InvalidInput({"recordals": "Ex officio detention needs a recorded right (R12)."})
        return
    for recordal in recordals_:
        in_force = (
            recordal.status in IN_FORCE_STATUSES
            and recordal.valid_from <= on <= recordal.valid_until
        )
        if not in_force:
            raise InvalidInput(
                {"recordals": f"Recordal {recordal.number or recordal.pk} is not in force on {on}."}
            )
    if len({r.holder_id for r in recordals_}) > 1:
        raise InvalidInput({"recordals": "One case concerns one rights holder: split the batch."})
    if len({r.kind for r in recordals_}) > 1:
        raise InvalidInput({"recordals": "One case concerns one kind of right: split the batch."})


def _write_lines(detention: Detention, lines: list[dict], recordal_ids: set[int]) -> None:
    if not lines:
        raise InvalidInput({"goods_lines": "At least one goods line is required."})
    errors = {}
    for index, line in enumerate(lines):
        recordal = line.get("recordal")
        recordal_id = getattr(recordal, "pk", recordal)
        if recordal_id is not None and recordal_id not in recordal_ids:
            errors[f"goods_lines[{index}].recordal"] = "Must be one of the case's recordals."
        hs_code = str(line.get("hs_code", ""))
        if not (hs_code.isdigit() and 4 <= len(hs_code) <= 10):
            errors[f"goods_lines[{index}].hs_code"] = "An HS code has 4 to 10 digits."
        if (line.get("quantity") or 0) <= 0:
            errors[f"goods_lines[{index}].quantity"] = "Must be at least 1."
        if line.get("value") is None or line["value"] < 0:
            errors[f"goods_lines[{index}].value"] = "A value in CNY, not negative."
    if errors:
        raise InvalidInput(errors)
    detention.goods_lines.all().delete()
    GoodsLine.objects.bulk_create(
        GoodsLine(
            detention=detention,
            description=line["description"],
            hs_code=line["hs_code"],
            category=line["category"],
            quantity=line["quantity"],
            unit=line.get("unit") or "pieces",
            value=rules.fen(Decimal(line["value"])),
            recordal_id=getattr(line.get("recordal"), "pk", line.get("recordal")),
        )
        for line in lines
    )
    detention.total_items = sum(line["quantity"] for line in lines)
    detention.total_value = sum((rules.fen(Decimal(line["value"])) for line in lines), Decimal(0))


def _next_number(office: Organisation, year: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('detention_number_seq')")
        (value,) = cursor.fetchone()
    return f"{office.customs_code}-{year}-D{value:07d}"


def _event(detention, action, *, actor, on, before="", reason="", data=None, internal=False):
    return DetentionEvent.objects.create(
        detention=detention,
        action=action,
        from_status=before,
        to_status=detention.status,
        actor=actor,
        reason=reason,
        data=data or {},
        internal=internal,
        on=on,
    )


def _attach(detention, upload, *, kind, actor, event=None, title="", internal=False):
    content_type = check_upload(upload, field="document")
    return DetentionDocument.objects.create(
        detention=detention,
        event=event,
        kind=kind,
        title=title[:255],
        file=upload,
        content_type=content_type,
        size=upload.size,
        internal=internal,
        uploaded_by=actor,
    )


@transaction.atomic
def detention_open_ex_officio(
    *,
    actor: User,
    shipment: dict,
    recordals: list[Recordal],
    goods_lines: list[dict],
    office: Organisation | None = None,
    port: Port | None = None,
    served_on: dt.date | None = None,
    internal_notes: str = "",
    notice=None,
) -> Detention:
    """R12: customs suspends release of suspected goods and serves a written notice on the
    holder, who has 3 working days from the day after service to reply (R13)."""
    if _role(actor) not in ("gacc_officer", "district_officer"):
        raise NotPermitted("Only customs officers open ex officio cases.")
    today = local_today()
    served_on = served_on or today
    if served_on > today:
        raise InvalidInput({"served_on": "The notice cannot be served in the future."})
    office = _handling_office(actor, office)
    _check_port(port, office, required=False)
    values = _check_shipment(dict(shipment))
    _check_recordals(recordals, served_on, required=True)
    detention = Detention(
        mode=Mode.EX_OFFICIO,
        status=DetentionStatus.NOTIFIED,
        office=office,
        port=port,
        holder_id=recordals[0].holder_id,
        ip_kind=recordals[0].kind,
        opened_on=served_on,
        internal_notes=internal_notes,
        created_by=actor,
        number=_next_number(office, served_on.year),
        **values,
    )
    detention.save()
    detention.recordals.set(recordals)
    _write_lines(detention, goods_lines, {r.pk for r in recordals})
    detention.save(update_fields=["total_items", "total_value"])
    event = _event(
        detention,
        "serve_notice",
        actor=actor,
        on=served_on,
        data={
            "items": detention.total_items,
            "value": str(detention.total_value),
            "bond_if_detained": str(rules.bond_amount(Mode.EX_OFFICIO, detention.total_value)),
        },
    )
    if notice is not None:
        _attach(
            detention,
            notice,
            kind=DetentionDocument.Kind.NOTICE,
            actor=actor,
            event=event,
            title="Notice of suspended release",
        )
    deadlines.deadline_open(
        subject=detention,
        kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
        trigger_date=served_on,
        count=REPLY_DAYS,
    )
    return detention


@transaction.atomic
def detention_apply(
    *,
    actor: User,
    holder: Organisation,
    port: Port | None,
    shipment: dict,
    goods_lines: list[dict],
    recordals: list[Recordal] | None = None,
    ip_kind: str = "",
    right_description: str = "",
    right_registration_number: str = "",
    evidence: str = "",
    expected_arrival: str = "",
    bond_form: str = "",
    bond_reference: str = "",
    evidence_document=None,
    on: dt.date | None = None,
) -> Detention:
    """R18: the holder applies at the port for detention of any right, recorded or not,
    with evidence and a bond equal to the goods value. An incomplete application is
    refused with the missing particulars named."""
    today = on or local_today()
    role = _role(actor)
    if role in ("holder", "agent"):
        if not acts_for_holder(actor, holder.pk):
            raise NotPermitted("Only the holder or its authorised agents apply for it.")
    elif role not in ("gacc_officer", "district_officer"):
        raise NotPermitted("Only the holder side or customs file an application.")
    if holder.kind != Organisation.Kind.RIGHTS_HOLDER:
        raise InvalidInput({"holder": "Must be a rights holder."})
    recordals = list(recordals or [])
    missing = {}
    if port is None:
        missing["port"] = "The likely port is required (R18)."
    if not recordals and not (ip_kind and right_description):
        missing["right_description"] = "Describe the right (kind and name) or cite its recordal."
    if not evidence.strip() and evidence_document is None:
        missing["evidence"] = "Evidence of the infringement is required (R18)."
    if not expected_arrival.strip():
        missing["expected_arrival"] = "Likely time and means of transport are required (R18)."
    if bond_form not in BondForm.values:
        missing["bond_form"] = "A bond equal to the goods value: cash or guarantee (R18)."
    if missing:
        raise InvalidInput(missing)
    office = port.office
    if role == User.Role.DISTRICT_OFFICER and office.pk != actor.organisation_id:
        raise NotPermitted("District officers file applications at their own office's ports.")
    values = _check_shipment(dict(shipment))
    if recordals:
        _check_recordals(recordals, today, required=False)
        if recordals[0].holder_id != holder.pk:
            raise InvalidInput({"recordals": "The recordals are not the applicant's."})
        ip_kind = recordals[0].kind
        right_description = right_description or recordals[0].right_name
        right_registration_number = right_registration_number or recordals[0].registration_number
    detention = Detention(
        mode=Mode.ON_APPLICATION,
        status=DetentionStatus.APPLIED,
        office=office,
        port=port,
        holder=holder,
        ip_kind=ip_kind,
        right_description=right_description,
        right_registration_number=right_registration_number,
        evidence=evidence,
        expected_arrival=expected_arrival,
        opened_on=today,
        created_by=actor,
        bond_form=bond_form,
        bond_reference=bond_reference,
        bond_source=BondSource.CASE_BOND,
        number=_next_number(office, today.year),
        **values,
    )
    detention.save()
    detention.recordals.set(recordals)
    _write_lines(detention, goods_lines, {r.pk for r in recordals})
    detention.bond_amount = rules.bond_amount(Mode.ON_APPLICATION, detention.total_value)
    detention.save(update_fields=["total_items", "total_value", "bond_amount"])
    event = _event(
        detention,
        "apply",
        actor=actor,
        on=today,
        data={"value": str(detention.total_value), "bond": str(detention.bond_amount)},
    )
    if evidence_document is not None:
        _attach(
            detention,
            evidence_document,
            kind=DetentionDocument.Kind.EVIDENCE,
            actor=actor,
            event=event,
            title="Evidence of infringement",
        )
    return detention


@transaction.atomic
def detention_update_goods(*, actor: User, detention: Detention, goods_lines: list[dict]):
    """Officers correct the goods before the bond is set on their value (R14, R18)."""
    detention = Detention.objects.select_for_update().get(pk=detention.pk)
    if _role(actor) not in ("gacc_officer", "district_officer"):
        raise NotPermitted("Only customs officers determine the goods and their value.")
    if detention.status not in GOODS_EDITABLE or detention.bond_source:
        raise Conflict("The goods are fixed once the bond has been set on their value.")
    _write_lines(detention, goods_lines, set(detention.recordals.values_list("pk", flat=True)))
    fields = ["total_items", "total_value", "updated_at"]
    if detention.mode == Mode.ON_APPLICATION:
        detention.bond_amount = rules.bond_amount(Mode.ON_APPLICATION, detention.total_value)
        fields.append("bond_amount")
    detention.save(update_fields=fields)
    before = detention.status
    _event(
        detention,
        "correct_goods",
        actor=actor,
        on=local_today(),
        before=before,
        data={"items": detention.total_items, "value": str(detention.total_value)},
    )
    return detention


# --- the lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def detention_transition(
    *,
    actor: User,
    detention: Detention,
    action: str,
    reason: str = "",
    data: dict | None = None,
    document=None,
    on: dt.date | None = None,
) -> Detention:
    """Perform `action` per the case's workflow table: lock, re-check the state, apply the
    rule, write the event, update the case, and open or close the deadlines."""
    today = on or local_today()
    detention = (
        Detention.objects.select_for_update(of=("self",))
        .select_related("office", "holder")
        .get(pk=detention.pk)
    )
    role = _role(actor)
    if role in ("holder", "agent") and not acts_for_holder(actor, detention.holder_id):
        raise NotPermitted("Only the holder or its authorised agents act on this case.")
    if role == User.Role.DISTRICT_OFFICER and actor.organisation_id != detention.office_id:
        raise NotPermitted("District officers act on their own office's cases only.")
    transition = workflow_for(detention.mode).check(action, detention.status, role)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise InvalidInput(
            {"reason": f"Give the reasons to {transition.label.lower()} ({transition.rule})."}
        )
    before = detention.status
    details = APPLY[action](detention, actor, today, reason, dict(data or {})) or {}
    detention.status = transition.target
    detention.save()
    event = _event(
        detention, action, actor=actor, on=today, before=before, reason=reason, data=details
    )
    if document is not None:
        _attach(
            detention,
            document,
            kind=DOCUMENT_KIND.get(action, DetentionDocument.Kind.OTHER),
            actor=actor,
            event=event,
            title=transition.label,
        )
    for kind in transition.closes:
        deadlines.deadline_close(subject=detention, kind=kind, reason=action)
    for kind in transition.cancels:
        deadlines.deadline_cancel(subject=detention, kind=kind, reason=action)
    _open_deadlines(detention, transition.opens)
    _resolve_escalations(detention, (*transition.closes, *transition.cancels), actor)
    _notify_other_side(detention, role, f"{detention.number}: {transition.label}", reason)
    return detention


def _notify_other_side(detention: Detention, role, title: str, body: str) -> None:
    """Parties are told in writing (R12, R16, R23): the served document is on the
    timeline; this in-app notice tells the other side a step was taken. Officers' steps
    reach the holder's users and its running agents; the holder side's reach the office."""
    if role in ("holder", "agent"):
        users = User.objects.filter(is_active=True, organisation_id=detention.office_id)
    else:
        agencies = authorised_holder_agencies(detention.holder_id)
        users = User.objects.filter(is_active=True).filter(
            Q(organisation_id=detention.holder_id) | Q(organisation_id__in=agencies)
        )
    Notification.objects.bulk_create(
        Notification(user_id=pk, title=title[:255], body=body)
        for pk in users.values_list("pk", flat=True)
    )


DOCUMENT_KIND = {
    "request_detention": DetentionDocument.Kind.REPLY,
    "decline": DetentionDocument.Kind.REPLY,
    "detain": DetentionDocument.Kind.BOND,
    "receive_court_notice": DetentionDocument.Kind.COURT_NOTICE,
    "confiscate": DetentionDocument.Kind.PENALTY_DECISION,
    "dispose": DetentionDocument.Kind.DISPOSAL_RECORD,
    "release_on_evidence": DetentionDocument.Kind.CONSIGNOR_STATEMENT,
    "determine_not_infringing": DetentionDocument.Kind.NOTICE,
    "determine_infringing": DetentionDocument.Kind.NOTICE,
    "determine_undetermined": DetentionDocument.Kind.NOTICE,
    "release": DetentionDocument.Kind.NOTICE,
}


def _open_deadlines(detention: Detention, kinds) -> None:
    for kind in kinds:
        if kind == DeadlineKind.INVESTIGATION:  # R16: 30 working days of detention
            deadlines.deadline_open(
                subject=detention,
                kind=kind,
                trigger_date=detention.detained_on,
                count=INVESTIGATION_DAYS,
            )
        elif kind == DeadlineKind.COURT_ORDER:  # R17: 50, R19: 20 working days of detention
            deadlines.deadline_open(
                subject=detention,
                kind=kind,
                trigger_date=detention.detained_on,
                count=COURT_ORDER_DAYS[detention.mode],
            )


def _resolve_escalations(detention: Detention, kinds, actor) -> None:
    """A missed deadline's escalation is dealt with once the officer takes the step due."""
    if not kinds:
        return
    Escalation.objects.filter(
        deadline__subject_type__model="detention",
        deadline__subject_id=detention.pk,
        deadline__kind__in=kinds,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now(), resolved_by=actor)


def _period_passed(detention: Detention, kind: str, today: dt.date) -> Deadline | None:
    """The deadline of `kind` if its period is still running on `today`, else None."""
    deadline = selectors.latest_deadline(detention, kind)
    if deadline is not None and today <= deadline.due_date:
        return deadline
    return None


def _request_detention(detention, actor, today, reason, data):
    """R12: in time, the holder asks for detention and provides the bond: R14's amount,
    posted for this case or drawn from its general bond (R15, trademarks only)."""
    running = _period_passed(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today)
    if running is None:
        raise Conflict(
            "The 3 working days to reply have run out: the goods are to be released (R12)."
        )
    amount = rules.bond_amount(Mode.EX_OFFICIO, detention.total_value)
    source = data.get("bond_source")
    if source not in BondSource.values:
        raise InvalidInput({"bond_source": "Choose case_bond or general_bond (R14, R15)."})
    detention.bond_amount = amount
    detention.bond_source = source
    if source == BondSource.GENERAL_BOND:
        if detention.ip_kind != "trademark":
            raise InvalidInput({"bond_source": "A general bond covers trademarks only (R15)."})
        bond = (
            GeneralBond.objects.filter(
                holder_id=detention.holder_id,
                status=GeneralBond.Status.APPROVED,
                approved_on__lte=today,
                covers_until__gte=today,
            )
            .order_by("-year")
            .first()
        )
        if bond is None:
            raise Conflict(
                "The holder has no general bond covering today (R15): post a bond for this case."
            )
        entry = recordals.general_bond_record(
            actor=actor,
            bond=bond,
            kind=GeneralBondEntry.Kind.DRAW,
            amount=amount,
            reference=detention.number,
            on=today,
        )
        detention.general_bond = bond
        detention.bond_form = BondForm.GUARANTEE
        detention.bond_reference = bond.guarantee_number
        MoneyEntry.objects.create(
            detention=detention,
            kind=K.GENERAL_BOND_DRAWN,
            amount=amount,
            general_bond_entry=entry,
            reference=bond.guarantee_number,
            on=today,
            actor=actor,
        )
    else:
        form = data.get("bond_form")
        if form not in BondForm.values:
            raise InvalidInput({"bond_form": "Cash or a bank guarantee (R14)."})
        detention.bond_form = form
        detention.bond_reference = (data.get("bond_reference") or "")[:100]
    return {"bond": str(amount), "bond_source": source, "reply_due": str(running.due_date)}


def _decline(detention, actor, today, reason, data):
    if _period_passed(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today) is None:
        raise Conflict("The reply period has run out (R12).")
    return {}


def _detain(detention, actor, today, reason, data):
    """The bond must be secured: drawn from the general bond, or received now (R12, R18)."""
    if detention.bond_source != BondSource.GENERAL_BOND:
        reference = (data.get("bond_reference") or detention.bond_reference or "").strip()
        if not reference:
            raise InvalidInput(
                {
                    "bond_reference": "Record the receipt or guarantee number of "
                    "the bond before detaining."
                }
            )
        detention.bond_reference = reference[:100]
        if detention.mode == Mode.ON_APPLICATION:  # R18: equal to the value, as it is now
            detention.bond_amount = rules.bond_amount(Mode.ON_APPLICATION, detention.total_value)
        if detention.bond_amount:
            MoneyEntry.objects.create(
                detention=detention,
                kind=K.BOND_RECEIVED,
                amount=detention.bond_amount,
                reference=reference[:100],
                on=today,
                actor=actor,
            )
    detention.detained_on = today
    return {"bond": str(detention.bond_amount), "detained_on": str(today)}


def _determine_infringing(detention, actor, today, reason, data):
    if detention.channel in PERSONAL_CHANNELS:
        exceeds = data.get("exceeds_personal_quantity")
        if exceeds is not True:
            raise InvalidInput(
                {
                    "exceeds_personal_quantity": (
                        "Luggage and postal items are infringing goods only beyond a reasonable "
                        "personal quantity (R26): confirm it, or determine not infringing."
                    )
                }
            )
        detention.exceeds_personal_quantity = True
    detention.determination = Determination.INFRINGING
    detention.determined_on = today
    return {"determination": "infringing"}


def _determine_not_infringing(detention, actor, today, reason, data):
    detention.determination = Determination.NOT_INFRINGING
    detention.determined_on = today
    return {"determination": "not_infringing"}


def _determine_undetermined(detention, actor, today, reason, data):
    detention.determination = Determination.UNDETERMINED
    detention.determined_on = today
    return {"determination": "undetermined"}


def _receive_court_notice(detention, actor, today, reason, data):
    running = _period_passed(detention, DeadlineKind.COURT_ORDER, today)
    if running is None:
        days = COURT_ORDER_DAYS[detention.mode]
        raise Conflict(
            f"No court assistance notice arrived within {days} working days of "
            "detention: the goods are to be released (R17, R19)."
        )
    court = (data.get("court") or "").strip()
    if not court:
        raise InvalidInput({"court": "Name the court and its notice number."})
    return {"court": court[:255], "court_order_due": str(running.due_date)}


def _release(detention, actor, today, reason, data):
    """R12: after the reply period without a reply or a bond; R17/R19: after the court
    order period without a court notice. Earlier releases use their own actions."""
    if detention.status == DetentionStatus.NOTIFIED or (
        detention.status == DetentionStatus.DETENTION_REQUESTED
    ):
        if detention.bond_source == BondSource.GENERAL_BOND:
            raise Conflict("The bond is secured by the general bond: detain the goods (R12).")
        running = _period_passed(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today)
        if running is not None:
            raise Conflict(
                f"The holder has until {running.due_date} to reply and provide the bond (R12).",
                due_date=str(running.due_date),
            )
        return {"ground": "no timely reply or no bond (R12)"}
    running = _period_passed(detention, DeadlineKind.COURT_ORDER, today)
    if running is not None:
        raise Conflict(
            f"A court assistance notice may still arrive until {running.due_date} (R17, R19).",
            due_date=str(running.due_date),
        )
    return {"ground": "no court assistance notice in time (R17, R19)"}


def _release_on_evidence(detention, actor, today, reason, data):
    return {"ground": "sufficient evidence of non-infringement (R22)"}


def _withdraw(detention, actor, today, reason, data):
    return {"ground": "withdrawn by the holder before determination (R22)"}


def _release_on_counter_bond(detention, actor, today, reason, data):
    """R21: patent cases only; the consignor's counter-bond equals the goods value."""
    if detention.ip_kind != "patent":
        raise Conflict("A counter-bond releases goods in patent cases only (R21).")
    amount = data.get("counter_bond_amount")
    if amount is None or Decimal(amount) != detention.total_value:
        raise InvalidInput(
            {
                "counter_bond_amount": f"Must equal the goods value, CNY "
                f"{detention.total_value} (R21)."
            }
        )
    MoneyEntry.objects.create(
        detention=detention,
        kind=K.COUNTER_BOND_RECEIVED,
        amount=detention.total_value,
        reference=(data.get("reference") or "")[:100],
        on=today,
        actor=actor,
    )
    return {"counter_bond": str(detention.total_value)}


def _confiscate(detention, actor, today, reason, data):
    """R23, R24: confiscation, and the penalty decision with its tier and fine."""
    tier = data.get("penalty_tier")
    if tier not in PenaltyTier.values:
        raise InvalidInput({"penalty_tier": f"One of {', '.join(PenaltyTier.values)} (R24)."})
    fine = rules.fen(Decimal(data.get("penalty_fine") or 0))
    undeclared = data.get("undeclared_ip_fine")
    errors = {}
    if not rules.fine_fits_tier(tier, fine, detention.total_value):
        errors["penalty_fine"] = _tier_message(tier, detention.total_value)
    if undeclared is not None:
        undeclared = rules.fen(Decimal(undeclared))
        if not 0 <= undeclared <= rules.UNDECLARED_IP_FINE_CAP:
            errors["undeclared_ip_fine"] = "At most CNY 50,000 (R24)."
    criterion = None
    if tier == PenaltyTier.NONE:
        criterion = NoPenaltyCriterion.objects.filter(
            code=data.get("no_penalty_criterion") or "", is_active=True
        ).first()
        if criterion is None:
            errors["no_penalty_criterion"] = "Cite the no-penalty criterion that applies (R24)."
    minimum = data.get("minimum_tier")  # a priority enterprise's floor (campaigns)
    if minimum and rules.TIER_ORDER.index(tier) < rules.TIER_ORDER.index(minimum):
        errors["penalty_tier"] = f"At least '{minimum}' for this rights holder."
    if errors:
        raise InvalidInput(errors)
    detention.penalty_tier = tier
    detention.penalty_fine = fine
    detention.undeclared_ip_fine = undeclared
    detention.no_penalty_criterion = criterion
    detention.confiscated_on = today
    return {
        "penalty_tier": tier,
        "penalty_fine": str(fine),
        "undeclared_ip_fine": str(undeclared) if undeclared is not None else None,
        "no_penalty_criterion": criterion.code if criterion else None,
    }


def _tier_message(tier: str, value: Decimal) -> str:
    if tier in (PenaltyTier.NONE, PenaltyTier.MITIGATED):
        return "This tier carries no fine (R24)."
    low, high = (rules.fen(value * share) for share in rules.TIER_BANDS[tier])
    return f"The '{tier}' tier allows a fine from {low} to {high} on a value of {value} (R24)."


def _dispose(detention, actor, today, reason, data):
    """R23: donation, paid transfer to the holder, auction without the infringing
    features, destruction, in this order; a later choice says why."""
    method = data.get("disposal_method")
    if method not in DisposalMethod.values:
        raise InvalidInput({"disposal_method": f"One of {', '.join(DisposalMethod.values)}."})
    if rules.disposal_needs_reason(method) and not reason:
        raise InvalidInput(
            {"reason": "Say why the preferred methods of disposal were not possible (R23)."}
        )
    details = {"disposal_method": method}
    if method == DisposalMethod.AUCTION:
        errors = {}
        if data.get("features_removed") is not True:
            errors["features_removed"] = (
                "Goods are auctioned only without their infringing features (R23)."
            )
        imported_mark = detention.direction == "import" and detention.ip_kind == "trademark"
        if imported_mark and data.get("label_removal_only") is not False:
            errors["label_removal_only"] = (
                "For imported counterfeit trademark goods removing "
                "the label alone is not enough (R23)."
            )
        if imported_mark and data.get("holder_consulted") is not True:
            errors["holder_consulted"] = "Consult the rights holder before an auction (R23)."
        if errors:
            raise InvalidInput(errors)
        details.update(features_removed=True, holder_consulted=bool(data.get("holder_consulted")))
    detention.disposal_method = method
    detention.disposed_on = today
    return details


def _close(detention, actor, today, reason, data):
    """R27, R28: unpaid costs are deducted from the bond (or charged to the general bond's
    guarantor, R15); the rest of the bond is refunded; a counter-bond is returned."""
    balance = selectors.money_balance(detention)
    owed = balance["costs_owed"]
    entries = []
    if owed > 0:
        if detention.bond_source == BondSource.GENERAL_BOND:
            charge = recordals.general_bond_record(
                actor=actor,
                bond=detention.general_bond,
                kind=GeneralBondEntry.Kind.COST_CHARGE,
                amount=owed,
                reference=detention.number,
                on=today,
            )
            entries.append(MoneyEntry(kind=K.COST_DEDUCTED, amount=owed, general_bond_entry=charge))
        elif balance["bond_held"] >= owed:
            entries.append(MoneyEntry(kind=K.COST_DEDUCTED, amount=owed))
        else:
            raise Conflict(
                f"Costs of CNY {owed} exceed the bond held (CNY "
                f"{balance['bond_held']}): record the holder's payment first (R27)."
            )
    held = balance["bond_held"] - (owed if detention.bond_source != BondSource.GENERAL_BOND else 0)
    if held > 0:
        entries.append(MoneyEntry(kind=K.BOND_REFUNDED, amount=held))
    if balance["general_bond_reserved"] > 0:
        release = recordals.general_bond_record(
            actor=actor,
            bond=detention.general_bond,
            kind=GeneralBondEntry.Kind.RELEASE,
            amount=balance["general_bond_reserved"],
            reference=detention.number,
            on=today,
        )
        entries.append(
            MoneyEntry(
                kind=K.GENERAL_BOND_RELEASED,
                amount=balance["general_bond_reserved"],
                general_bond_entry=release,
            )
        )
    if balance["counter_bond_held"] > 0:
        entries.append(
            MoneyEntry(kind=K.COUNTER_BOND_RETURNED, amount=balance["counter_bond_held"])
        )
    for entry in entries:
        entry.detention, entry.on, entry.actor = detention, today, actor
    MoneyEntry.objects.bulk_create(entries)
    detention.closed_on = today
    return {entry.kind: str(entry.amount) for entry in entries}


def _nothing(detention, actor, today, reason, data):
    return {}


APPLY = {
    "request_detention": _request_detention,
    "decline": _decline,
    "detain": _detain,
    "determine_infringing": _determine_infringing,
    "determine_not_infringing": _determine_not_infringing,
    "determine_undetermined": _determine_undetermined,
    "receive_court_notice": _receive_court_notice,
    "release": _release,
    "release_on_evidence": _release_on_evidence,
    "withdraw": _withdraw,
    "release_on_counter_bond": _release_on_counter_bond,
    "confiscate": _confiscate,
    "dispose": _dispose,
    "close": _close,
    "reject": _nothing,
}


# --- money, statements and documents outside the state table -----------------------------------


def _lock_for_officer(actor: User, detention: Detention) -> Detention:
    detention = Detention.objects.select_for_update(of=("self",)).get(pk=detention.pk)
    role = _role(actor)
    if role not in ("gacc_officer", "district_officer"):
        raise NotPermitted("Only customs officers record this.")
    if role == User.Role.DISTRICT_OFFICER and actor.organisation_id != detention.office_id:
        raise NotPermitted("District officers act on their own office's cases only.")
    return detention


@transaction.atomic
def detention_charge_costs(
    *,
    actor: User,
    detention: Detention,
    cost_kind: str,
    amount: Decimal,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    reference: str = "",
    on: dt.date | None = None,
) -> MoneyEntry:
    """R27: storage, custody and disposal costs are the holder's. The holder has 10 working
    days from the notice to pay (R15), or the bond answers for them."""
    today = on or local_today()
    detention = _lock_for_officer(actor, detention)
    if detention.status not in COSTS_STATES or detention.detained_on is None:
        raise Conflict("Costs arise only for detained goods, before the case is closed.")
    errors = {}
    if cost_kind not in MoneyEntry.CostKind.values:
        errors["cost_kind"] = f"One of {', '.join(MoneyEntry.CostKind.values)} (R27)."
    if amount is None or amount <= 0:
        errors["amount"] = "A positive amount in CNY."
    if cost_kind == MoneyEntry.CostKind.STORAGE:
        if period_from is None or period_to is None or period_to < period_from:
            errors["period_to"] = "Storage is charged for a period: from and to, in order."
        elif period_from < detention.detained_on:
            errors["period_from"] = "Storage starts at detention."
        elif detention.confiscated_on and period_to > rules.storage_limit(detention.confiscated_on):
            errors["period_to"] = (
                "After confiscation storage is charged for at most "
                f"{rules.STORAGE_AFTER_CONFISCATION_MONTHS} months after the decision, "
                f"to {rules.storage_limit(detention.confiscated_on)} (R27)."
            )
    if errors:
        raise InvalidInput(errors)
    entry = MoneyEntry.objects.create(
        detention=detention,
        kind=K.COST_CHARGED,
        amount=rules.fen(amount),
        cost_kind=cost_kind,
        period_from=period_from,
        period_to=period_to,
        reference=reference[:100],
        on=today,
        actor=actor,
    )
    _event(
        detention,
        "charge_costs",
        actor=actor,
        on=today,
        before=detention.status,
        data={"cost_kind": cost_kind, "amount": str(entry.amount)},
    )
    deadlines.deadline_open(
        subject=detention,
        kind=DeadlineKind.COST_PAYMENT,
        trigger_date=today,
        count=COST_PAYMENT_DAYS,
    )
    return entry


@transaction.atomic
def detention_record_payment(
    *,
    actor: User,
    detention: Detention,
    amount: Decimal,
    reference: str = "",
    on: dt.date | None = None,
) -> MoneyEntry:
    """The holder paid costs directly; paid in full, the payment deadline is met."""
    today = on or local_today()
    detention = _lock_for_officer(actor, detention)
    owed = selectors.money_balance(detention)["costs_owed"]
    if amount is None or amount <= 0:
        raise InvalidInput({"amount": "A positive amount in CNY."})
    if amount > owed:
        raise InvalidInput({"amount": f"Only CNY {owed} is owed."})
    entry = MoneyEntry.objects.create(
        detention=detention,
        kind=K.COST_PAID,
        amount=rules.fen(amount),
        reference=reference[:100],
        on=today,
        actor=actor,
    )
    _event(
        detention,
        "record_payment",
        actor=actor,
        on=today,
        before=detention.status,
        data={"amount": str(entry.amount)},
    )
    if amount == owed:
        deadlines.deadline_close(subject=detention, kind=DeadlineKind.COST_PAYMENT, reason="paid")
    return entry


@transaction.atomic
def detention_compensate_consignor(
    *,
    actor: User,
    detention: Detention,
    amount: Decimal,
    court_reference: str,
    on: dt.date | None = None,
) -> MoneyEntry:
    """R28: on a court notice, when infringement is not established, the bond compensates
    the consignor instead of being refunded."""
    today = on or local_today()
    detention = _lock_for_officer(actor, detention)
    if detention.status not in ("released", "court_ordered"):
        raise Conflict(
            "The bond compensates the consignor only once the goods are released "
            "or under a court's notice (R28)."
        )
    if detention.determination == Determination.INFRINGING:
        raise Conflict("Infringement was established: the bond does not compensate (R28).")
    if not court_reference.strip():
        raise InvalidInput({"court_reference": "Cite the court's notice (R28)."})
    held = selectors.money_balance(detention)["bond_held"]
    if amount is None or amount <= 0 or amount > held:
        raise InvalidInput({"amount": f"A positive amount up to the bond held, CNY {held}."})
    entry = MoneyEntry.objects.create(
        detention=detention,
        kind=K.CONSIGNOR_COMPENSATED,
        amount=rules.fen(amount),
        reference=court_reference[:100],
        on=today,
        actor=actor,
    )
    _event(
        detention,
        "compensate_consignor",
        actor=actor,
        on=today,
        before=detention.status,
        data={"amount": str(entry.amount), "court": court_reference[:100]},
    )
    return entry


@transaction.atomic
def detention_record_statement(
    *,
    actor: User,
    detention: Detention,
    statement: str,
    document=None,
    inspected_on: dt.date | None = None,
    on: dt.date | None = None,
) -> DetentionEvent:
    """R20: the consignor inspected the goods (with consent) and/or filed a written
    statement of non-infringement with evidence. Customs records it on the case."""
    today = on or local_today()
    detention = _lock_for_officer(actor, detention)
    if detention.status in ("closed", "rejected", "released", "disposed", "confiscated"):
        raise Conflict("A statement can be filed only while the goods are held.")
    if not statement.strip():
        raise InvalidInput({"statement": "The consignor's statement is required (R20)."})
    event = _event(
        detention,
        "consignor_statement",
        actor=actor,
        on=today,
        before=detention.status,
        reason=statement.strip(),
        data={"inspected_on": str(inspected_on) if inspected_on else None},
    )
    if document is not None:
        _attach(
            detention,
            document,
            kind=DetentionDocument.Kind.CONSIGNOR_STATEMENT,
            actor=actor,
            event=event,
            title="Consignor's statement",
        )
    return event


@transaction.atomic
def detention_attach(
    *,
    actor: User,
    detention: Detention,
    kind: str,
    upload,
    title: str = "",
    internal: bool = False,
) -> DetentionDocument:
    """Add a document to the case: officers any kind (optionally customs-only), the
    holder side its reply and evidence."""
    detention = Detention.objects.select_for_update(of=("self",)).get(pk=detention.pk)
    role = _role(actor)
    if role in ("holder", "agent"):
        if not acts_for_holder(actor, detention.holder_id):
            raise NotPermitted("Only the holder or its authorised agents add documents.")
        if kind not in (
            DetentionDocument.Kind.REPLY,
            DetentionDocument.Kind.EVIDENCE,
            DetentionDocument.Kind.BOND,
        ):
            raise InvalidInput({"kind": "The holder side adds replies, evidence and bonds."})
        internal = False
    elif role == User.Role.DISTRICT_OFFICER and actor.organisation_id != detention.office_id:
        raise NotPermitted("District officers act on their own office's cases only.")
    elif role not in ("gacc_officer", "district_officer"):
        raise NotPermitted("Not a party to this case.")
    if detention.status == DetentionStatus.CLOSED:
        raise Conflict("The case is closed.")
    document = _attach(detention, upload, kind=kind, actor=actor, title=title, internal=internal)
    _event(
        detention,
        "add_document",
        actor=actor,
        on=local_today(),
        before=detention.status,
        data={"document": document.pk, "kind": kind},
        internal=internal,
    )
    return document


# --- referrals to public security (R25) -------------------------------------------------------

REFERABLE = (
    "detained",
    "infringing",
    "undetermined",
    "court_ordered",
    "confiscated",
    "disposed",
    "closed",
)


@transaction.atomic
def referral_create(
    *,
    actor: User,
    detention: Detention,
    organ: str,
    grounds: str,
    referred_on: dt.date | None = None,
) -> Referral:
    """R25: a suspected crime is referred to public security, tracked until decided."""
    today = local_today()
    referred_on = referred_on or today
    detention = _lock_for_officer(actor, detention)
    errors = {}
    if not organ.strip():
        errors["organ"] = "Name the public security organ."
    if not grounds.strip():
        errors["grounds"] = "State the grounds for suspecting a crime (R25)."
    if referred_on > today:
        errors["referred_on"] = "Cannot be in the future."
    elif referred_on < detention.opened_on:
        errors["referred_on"] = "Cannot precede the case."
    if errors:
        raise InvalidInput(errors)
    if detention.status not in REFERABLE:
        raise Conflict(
            f"A case in state '{detention.status}' cannot be referred: the goods "
            "must have been detained."
        )
    if detention.referrals.filter(status__in=("referred", "accepted")).exists():
        raise Conflict("This case already has a live referral.")
    referral = Referral.objects.create(
        detention=detention,
        organ=organ.strip(),
        grounds=grounds.strip(),
        referred_on=referred_on,
        created_by=actor,
    )
    ReferralEvent.objects.create(
        referral=referral,
        action="refer",
        to_status=referral.status,
        actor=actor,
        reason=grounds.strip(),
    )
    _event(
        detention,
        "refer_to_public_security",
        actor=actor,
        on=referred_on,
        before=detention.status,
        data={"referral": referral.pk, "organ": referral.organ},
    )
    return referral


@transaction.atomic
def referral_transition(
    *,
    actor: User,
    referral: Referral,
    action: str,
    reason: str = "",
    police_case_number: str = "",
    outcome: str = "",
    on: dt.date | None = None,
) -> Referral:
    today = on or local_today()
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("detention")
        .get(pk=referral.pk)
    )
    role = _role(actor)
    if role == User.Role.DISTRICT_OFFICER and (
        actor.organisation_id != referral.detention.office_id
    ):
        raise NotPermitted("District officers act on their own office's cases only.")
    transition = REFERRAL_WORKFLOW.check(action, referral.status, role)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise InvalidInput({"reason": f"Give the reasons ({transition.rule})."})
    if action == "accept" and not police_case_number.strip():
        raise InvalidInput({"police_case_number": "The case number public security filed."})
    if (
        action == "refer_again"
        and referral.detention.referrals.filter(status__in=("referred", "accepted"))
        .exclude(pk=referral.pk)
        .exists()
    ):
        raise Conflict("This case already has a live referral.")
    before = referral.status
    referral.status = transition.target
    referral.decided_on = None if action == "refer_again" else today
    if action == "refer_again":
        referral.referred_on = today
    if police_case_number.strip():
        referral.police_case_number = police_case_number.strip()[:60]
    if outcome.strip():
        referral.outcome = outcome.strip()
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        action=action,
        from_status=before,
        to_status=referral.status,
        actor=actor,
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_record_outcome(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """What became of an accepted referral (charges, judgment), kept as text."""
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    _lock_for_officer(actor, referral.detention)
    if not outcome.strip():
        raise InvalidInput({"outcome": "Required."})
    referral.outcome = outcome.strip()
    referral.save(update_fields=["outcome"])
    ReferralEvent.objects.create(
        referral=referral,
        action="record_outcome",
        from_status=referral.status,
        to_status=referral.status,
        actor=actor,
        reason=outcome.strip(),
    )
    return referral
