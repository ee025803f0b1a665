"""Opening cases (R12 ex officio, R18 on application), their goods, documents and the
consignor's statements (R20)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext

from accounts.models import Organisation, Port, User
from accounts.scoping import acting_role, acts_for_holder, may_act
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timezone import day_text, local_today
from detentions import hooks, rules, workflow
from detentions.models import (
    BondForm,
    BondSource,
    Detention,
    DetentionDocument,
    DetentionEvent,
    DetentionStatus,
    GoodsLine,
    InspectionParty,
    Mode,
)
from detentions.services.common import (
    SHIPMENT_FIELDS,
    attach_document,
    lock_for_officer,
    notify_other_side,
    write_event,
)
from recordals.models import Recordal

MAX_TOTAL_VALUE = Decimal(10) ** 16  # numeric(18, 2)

# --- opening a case ---------------------------------------------------------------------------


def _handling_office(actor: User, office: Organisation | None) -> Organisation:
    """District officers open cases of their own office; GACC officers name the office."""
    if acting_role(actor) == User.Role.DISTRICT_OFFICER:
        if office is not None and office.pk != actor.organisation_id:
            raise NotPermitted(gettext("District officers open cases of their own office only."))
        return actor.organisation
    if office is None:
        raise InvalidInput(
            {"office": gettext("Name the district customs office handling the case.")}
        )
    if office.kind != Organisation.Kind.CUSTOMS or office.is_gacc:
        raise InvalidInput({"office": gettext("Must be a district customs office.")})
    return office


def _check_port(port: Port | None, office: Organisation, required: bool) -> None:
    if port is None:
        if required:
            raise InvalidInput({"port": gettext("Name the port (R18: the likely port).")})
        return
    if port.office_id != office.pk:
        raise InvalidInput(
            {
                "port": gettext("%(port)s is not a port of %(office)s.")
                % {"port": port, "office": office}
            }
        )


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
            errors[field] = gettext("An ISO 3166 two-letter country code, e.g. CN.")
        shipment[field] = value
    for field in ("consignor_name", "consignee_name"):
        if not (shipment.get(field) or "").strip():
            errors[field] = gettext("Required (R18).")
    if errors:
        raise InvalidInput(errors)
    return {key: shipment[key] for key in SHIPMENT_FIELDS if key in shipment}


def _check_recordals(recordals_: list[Recordal], on: dt.date, *, required: bool) -> None:
    """R12: ex officio detention protects recorded rights in force; one holder and one
    kind of right per case."""
    if not recordals_:
        if required:
            raise InvalidInput(
                {"recordals": gettext("Ex officio detention needs a recorded right (R12).")}
            )
        return
    in_force = set(
        Recordal.objects.in_force_on(on)
        .filter(pk__in=[r.pk for r in recordals_])
        .values_list("pk", flat=True)
    )
    for recordal in recordals_:
        if recordal.pk not in in_force:
            raise InvalidInput(
                {
                    "recordals": gettext("Recordal %(number)s is not in force on %(on)s.")
                    % {"number": recordal.number or recordal.pk, "on": day_text(on)}
                }
            )
    if len({r.holder_id for r in recordals_}) > 1:
        raise InvalidInput(
            {"recordals": gettext("One case concerns one rights holder: split the batch.")}
        )
    if len({r.kind for r in recordals_}) > 1:
        raise InvalidInput(
            {"recordals": gettext("One case concerns one kind of right: split the batch.")}
        )


def _write_lines(detention: Detention, lines: list[dict], recordal_ids: set[int]) -> None:
    if not lines:
        raise InvalidInput({"goods_lines": gettext("At least one goods line is required.")})
    errors = {}
    for index, line in enumerate(lines):
        recordal = line.get("recordal")
        recordal_id = getattr(recordal, "pk", recordal)
        if recordal_id is not None and recordal_id not in recordal_ids:
            errors[f"goods_lines[{index}].recordal"] = gettext(
                "Must be one of the case's recordals."
            )
        hs_code = str(line.get("hs_code", ""))
        if not (hs_code.isdigit() and 4 <= len(hs_code) <= 10):
            errors[f"goods_lines[{index}].hs_code"] = gettext("An HS code has 4 to 10 digits.")
        if (line.get("quantity") or 0) <= 0:
            errors[f"goods_lines[{index}].quantity"] = gettext("Must be at least 1.")
        if line.get("value") is None or line["value"] < 0:
            errors[f"goods_lines[{index}].value"] = gettext("A value in CNY, not negative.")
    if not errors and sum(Decimal(line["value"]) for line in lines) >= MAX_TOTAL_VALUE:
        errors["goods_lines"] = gettext("The total value exceeds what a case can hold (CNY 10^16).")
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
    table = workflow.EX_OFFICIO_WORKFLOW
    table.check_role(table.serve_notice, acting_role(actor))
    today = local_today()
    served_on = served_on or today
    if served_on > today:
        raise InvalidInput({"served_on": gettext("The notice cannot be served in the future.")})
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
    table.start(
        detention,
        table.serve_notice,
        actor,
        on=served_on,
        data={
            "items": detention.total_items,
            "value": str(detention.total_value),
            "bond_if_detained": str(rules.bond_amount(Mode.EX_OFFICIO, detention.total_value)),
        },
        document=notice,
    )
    hooks.case_opened(detention)  # campaigns: tags by rule, tells liaison officers
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
    if today > local_today():
        raise InvalidInput({"on": gettext("An application cannot be dated in the future.")})
    role = acting_role(actor)
    table = workflow.ON_APPLICATION_WORKFLOW
    table.check_role(table.apply, role)
    if holder is None:
        raise InvalidInput({"holder": gettext("Name the rights holder applying.")})
    if role in ("holder", "agent"):
        may_act(actor, Detention(holder=holder))  # its own or its principal's application
    if holder is None or holder.kind != Organisation.Kind.RIGHTS_HOLDER:
        raise InvalidInput({"holder": gettext("Must be a rights holder.")})
    recordals = list(recordals or [])
    missing = {}
    if port is None:
        missing["port"] = gettext("The likely port is required (R18).")
    if not recordals and not (ip_kind and right_description):
        missing["right_description"] = gettext(
            "Describe the right (kind and name) or cite its recordal."
        )
    if not evidence.strip() and evidence_document is None:
        missing["evidence"] = gettext("Evidence of the infringement is required (R18).")
    if not expected_arrival.strip():
        missing["expected_arrival"] = gettext(
            "Likely time and means of transport are required (R18)."
        )
    if bond_form not in BondForm.values:
        missing["bond_form"] = gettext("A bond equal to the goods value: cash or guarantee (R18).")
    if missing:
        raise InvalidInput(missing)
    office = port.office
    may_act(actor, Detention(office=office, holder=holder))  # its own office; its principal
    values = _check_shipment(dict(shipment))
    if recordals:
        _check_recordals(recordals, today, required=False)
        if recordals[0].holder_id != holder.pk:
            raise InvalidInput({"recordals": gettext("The recordals are not the applicant's.")})
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
    table.start(
        detention,
        table.apply,
        actor,
        on=today,
        data={"value": str(detention.total_value), "bond": str(detention.bond_amount)},
        document=evidence_document,
    )
    hooks.case_opened(detention)  # campaigns: tags by rule, tells liaison officers
    return detention


@transaction.atomic
def detention_update_goods(
    *, actor: User, detention: Detention, goods_lines: list[dict], on: dt.date | None = None
):
    """Officers correct the goods before the bond is set on their value (R14, R18)."""
    detention = Detention.objects.select_for_update().get(pk=detention.pk)
    if acting_role(actor) not in ("gacc_officer", "district_officer"):
        raise NotPermitted(gettext("Only customs officers determine the goods and their value."))
    bond_set = detention.bond_source and detention.mode != Mode.ON_APPLICATION
    if detention.status not in workflow.GOODS_EDITABLE or bond_set:
        raise Conflict(gettext("The goods are fixed once the bond has been set on their value."))
    _write_lines(detention, goods_lines, set(detention.recordals.values_list("pk", flat=True)))
    fields = ["total_items", "total_value", "updated_at"]
    if detention.mode == Mode.ON_APPLICATION:
        detention.bond_amount = rules.bond_amount(Mode.ON_APPLICATION, detention.total_value)
        fields.append("bond_amount")
    detention.save(update_fields=fields)
    before = detention.status
    write_event(
        detention,
        "correct_goods",
        actor=actor,
        on=on or local_today(),
        before=before,
        data={"items": detention.total_items, "value": str(detention.total_value)},
    )
    hooks.goods_changed(detention)  # campaigns: re-tags by rule
    return detention


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
    detention = lock_for_officer(actor, detention)
    if detention.status in ("closed", "rejected", "released", "disposed", "confiscated"):
        raise Conflict(gettext("A statement can be filed only while the goods are held."))
    if not statement.strip():
        raise InvalidInput({"statement": gettext("The consignor's statement is required (R20).")})
    event = write_event(
        detention,
        "consignor_statement",
        actor=actor,
        on=today,
        before=detention.status,
        reason=statement.strip(),
        data={"inspected_on": str(inspected_on) if inspected_on else None},
    )
    if document is not None:
        attach_document(
            detention,
            document,
            kind=DetentionDocument.Kind.CONSIGNOR_STATEMENT,
            actor=actor,
            event=event,
            title=gettext("Consignor's statement"),
        )
    return event


HELD_STATES = ("detained", "infringing", "undetermined", "court_ordered", "confiscated")


@transaction.atomic
def detention_record_inspection(
    *,
    actor: User,
    detention: Detention,
    party: str,
    inspected_on: dt.date,
    note: str = "",
    on: dt.date | None = None,
) -> DetentionEvent:
    """R20: with customs' consent, the holder or the consignor/consignee inspected the
    goods. Customs records who inspected, and when, on the case."""
    today = on or local_today()
    detention = lock_for_officer(actor, detention)
    if detention.status not in HELD_STATES:
        raise Conflict(gettext("Goods can be inspected only while customs holds them (R20)."))
    errors = {}
    if party not in InspectionParty.values:
        errors["party"] = gettext("The rights holder or the consignor/consignee (R20).")
    if inspected_on is None or inspected_on > today:
        errors["inspected_on"] = gettext("The day of the inspection, at the latest %(today)s.") % {
            "today": day_text(today)
        }
    elif detention.detained_on and inspected_on < detention.detained_on:
        errors["inspected_on"] = gettext("Goods are inspected once detained (%(on)s).") % {
            "on": day_text(detention.detained_on)
        }
    if errors:
        raise InvalidInput(errors)
    return write_event(
        detention,
        "inspection",
        actor=actor,
        on=today,
        before=detention.status,
        reason=note.strip(),
        data={"party": party, "inspected_on": str(inspected_on)},
    )


@transaction.atomic
def detention_request_inspection(
    *, actor: User, detention: Detention, note: str = "", on: dt.date | None = None
) -> DetentionEvent:
    """R20: the holder side asks customs' consent to inspect the goods while customs holds
    them. The request is on the timeline and the handling office is told; the inspection
    itself is recorded by an officer (detention_record_inspection)."""
    today = on or local_today()
    detention = Detention.objects.select_for_update(of=("self",)).get(pk=detention.pk)
    role = acting_role(actor)
    if role not in ("holder", "agent") or not acts_for_holder(actor, detention.holder_id):
        raise NotPermitted(gettext("Only the holder or its authorised agents ask to inspect."))
    if detention.status not in HELD_STATES:
        raise Conflict(gettext("Goods can be inspected only while customs holds them (R20)."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput({"note": gettext("At most 2,000 characters.")})
    event = write_event(
        detention,
        "inspection_requested",
        actor=actor,
        on=today,
        before=detention.status,
        reason=note,
    )
    number = detention.number
    notify_other_side(
        detention,
        role,
        lambda: (
            gettext("%(case)s: the holder asks to inspect the goods (R20)") % {"case": number},
            note,
        ),
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
    role = acting_role(actor)
    if role in ("holder", "agent"):
        if not acts_for_holder(actor, detention.holder_id):
            raise NotPermitted(gettext("Only the holder or its authorised agents add documents."))
        if kind not in (
            DetentionDocument.Kind.REPLY,
            DetentionDocument.Kind.EVIDENCE,
            DetentionDocument.Kind.BOND,
            DetentionDocument.Kind.COURT_NOTICE,  # R17, R19: a copy of the court's notice
            DetentionDocument.Kind.OTHER,
        ):
            raise InvalidInput(
                {
                    "kind": gettext(
                        "The holder side adds replies, evidence, bonds, court notices and other "
                        "documents."
                    )
                }
            )
        internal = False
    elif role in ("gacc_officer", "district_officer"):
        may_act(actor, detention)
    else:
        raise NotPermitted(gettext("Not a party to this case."))
    if detention.status == DetentionStatus.CLOSED:
        raise Conflict(gettext("The case is closed."))
    document = attach_document(
        detention, upload, kind=kind, actor=actor, title=title, internal=internal
    )
    write_event(
        detention,
        "add_document",
        actor=actor,
        on=local_today(),
        before=detention.status,
        data={"document": document.pk, "kind": kind},
        internal=internal,
    )
    return document
