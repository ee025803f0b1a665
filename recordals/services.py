"""Writes about recordals and general bonds. Each function runs in one transaction. The
lifecycle steps of a recordal and the decisions on its changes are performed by the
workflow engine from the tables in recordals/workflow.py (their rules in
recordals/steps.py): lock, check, event, then the row and the deadlines the step opens or
closes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.scoping import acting_role, acts_for_holder, authorised_agency_ids
from core.errors import Conflict, InvalidInput, NotPermitted
from core.files import DOCUMENT_TYPES, IMAGE_TYPES, check_upload
from core.timezone import day_text, local_today
from deadlines import services as deadlines
from deadlines.models import DeadlineKind, Notification
from engine.workflow import Step
from recordals import rules
from recordals.models import (
    IN_FORCE_STATUSES,
    Attachment,
    ChangeApplication,
    GeneralBond,
    GeneralBondEntry,
    GenuineGoods,
    Licensee,
    Recordal,
    RecordalEvent,
    RecordalKind,
    RecordalStatus,
)
from recordals.steps import new_right_validity, refresh_search_text, replace_children
from recordals.workflow import CHANGE_WORKFLOW, GENERAL_BOND_WORKFLOW, RECORDAL_WORKFLOW

EDITABLE_STATUSES = (RecordalStatus.DRAFT, RecordalStatus.NEEDS_CORRECTION)
RIGHT_FIELDS = (
    "kind",
    "right_name",
    "registration_number",
    "nice_classes",
    "is_madrid",
    "work_type",
    "patent_type",
    "right_valid_from",
    "right_valid_until",
    "description",
)
LOW_BALANCE_SHARE = Decimal("0.20")


# --- validation (R1-R4) ----------------------------------------------------------------------


def validate_right(data: dict, *, registered: bool = True) -> dict:
    """Check the right's particulars; return them normalised (e.g. right_class for Madrid)."""
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    number = (data.get("registration_number") or "").strip().upper()
    classes = sorted(set(data.get("nice_classes") or []))
    if kind not in RecordalKind.values:
        errors["kind"] = [
            _("Must be one of %(values)s (R1).") % {"values": ", ".join(RecordalKind.values)}
        ]
    if not (data.get("right_name") or "").strip():
        errors["right_name"] = [_("Name the right: mark text, work title or patent title.")]
    if kind == RecordalKind.TRADEMARK and not registered:
        errors["registration_number"] = [
            _("Pending trademark applications cannot be recorded (R1).")
        ]
    if kind in rules.REGISTRATION_FORMATS and number:
        pattern, example = rules.REGISTRATION_FORMATS[kind]
        if not pattern.match(number):
            errors["registration_number"] = [
                _("Wrong format for a %(kind)s: %(example)s.")
                % {"kind": RecordalKind(kind).label.lower(), "example": example}
            ]
    if kind in (RecordalKind.TRADEMARK, RecordalKind.PATENT) and not number:
        errors.setdefault("registration_number", [_("Required for a registered right (R1).")])
    if any(not 1 <= c <= 45 for c in classes):
        errors["nice_classes"] = [_("Nice classes run from 1 to 45.")]
    elif kind == RecordalKind.TRADEMARK and not classes:
        errors["nice_classes"] = [_("Give the Nice classes of the registration.")]
    elif kind != RecordalKind.TRADEMARK and classes:
        errors["nice_classes"] = [_("Only trademarks have Nice classes.")]
    elif service := rules.service_classes(classes):
        # R1: customs protects goods. A mark also registered for services is recorded for
        # its goods classes; the holder leaves the service classes out, no silent dropping.
        errors["nice_classes"] = [
            _(
                "Class(es) %(classes)s are service classes (35-45): customs protects goods, "
                "so service marks cannot be recorded (R1). Record the goods classes (1-34) only."
            )
            % {"classes": ", ".join(map(str, service))}
        ]
    is_madrid = bool(data.get("is_madrid"))
    if is_madrid and kind != RecordalKind.TRADEMARK:
        errors["is_madrid"] = [_("Only trademarks are Madrid marks.")]
    elif is_madrid and len(classes) != 1:
        errors["nice_classes"] = [_("A Madrid mark is recorded one class per recordal (R1).")]
    if kind == RecordalKind.PATENT and not data.get("patent_type"):
        errors["patent_type"] = [
            _("Say whether the patent is an invention, utility model or design.")
        ]
    if kind != RecordalKind.PATENT and data.get("patent_type"):
        errors["patent_type"] = [_("Only patents have a patent type.")]
    valid_from, valid_until = data.get("right_valid_from"), data.get("right_valid_until")
    if valid_from and valid_until and valid_until <= valid_from:
        errors["right_valid_until"] = [_("The right's validity must end after it starts.")]
    if errors:
        raise InvalidInput(errors)
    return {
        **data,
        "registration_number": number,
        "nice_classes": classes,
        "is_madrid": is_madrid,
        "right_class": classes[0] if is_madrid else 0,
    }


# --- drafting ------------------------------------------------------------------------------


@transaction.atomic
def recordal_create_draft(
    *,
    actor: User,
    holder: Organisation,
    right: dict,
    registered: bool = True,
    licensees=(),
    genuine_goods=(),
    known_infringers=(),
    on: dt.date | None = None,
) -> Recordal:
    """R2: the applicant is the holder itself, or an agency acting under its authorisation."""
    if holder.kind != Organisation.Kind.RIGHTS_HOLDER:
        raise InvalidInput({"holder": _("The applicant must be the rights holder (R2).")})
    if not acts_for_holder(actor, holder.pk):
        raise NotPermitted(_("Only the holder or an agency it has authorised may file (R2, R3)."))
    fields = validate_right(
        {k: right.get(k) for k in RIGHT_FIELDS if k in right}, registered=registered
    )
    recordal = Recordal.objects.create(
        holder=holder,
        filed_by_agency_id=actor.organisation_id if actor.role == User.Role.AGENT else None,
        created_by=actor,
        **{k: v for k, v in fields.items() if v is not None},
    )
    replace_children(recordal, licensees, genuine_goods, known_infringers)
    RecordalEvent.objects.create(
        recordal=recordal, action="create", to_status="draft", actor=actor, on=on or local_today()
    )
    refresh_search_text(recordal)
    return recordal


@transaction.atomic
def recordal_update(
    *,
    actor: User,
    recordal: Recordal,
    right: dict | None = None,
    registered: bool = True,
    licensees=None,
    genuine_goods=None,
    known_infringers=None,
) -> Recordal:
    """Drafts and applications under correction are edited whole; licensees may be edited
    at any time (R8), the rest of an approved recordal only by a change application."""
    recordal = Recordal.objects.select_for_update().get(pk=recordal.pk)
    if not acts_for_holder(actor, recordal.holder_id):
        raise NotPermitted(_("Only the holder or its authorised agents edit a recordal."))
    editable = recordal.status in EDITABLE_STATUSES
    if not editable and (right or genuine_goods is not None or known_infringers is not None):
        if recordal.status not in (RecordalStatus.APPROVED, RecordalStatus.RENEWAL_REQUESTED):
            raise Conflict(
                _("A %(status)s recordal cannot be edited.")
                % {"status": recordal.get_status_display().lower()}
            )
        if right or genuine_goods is not None:
            raise Conflict(_("An approved recordal changes by a change application (R8)."))
    if right:
        current = {field: getattr(recordal, field) for field in RIGHT_FIELDS}
        fields = validate_right({**current, **right}, registered=registered)
        for field in (*RIGHT_FIELDS, "right_class"):
            setattr(recordal, field, fields[field])
        recordal.save()
    replace_children(recordal, licensees, genuine_goods, known_infringers)
    RecordalEvent.objects.create(
        recordal=recordal,
        action="edit",
        from_status=recordal.status,
        to_status=recordal.status,
        actor=actor,
        data={
            "parts": [
                name
                for name, value in (
                    ("right", right),
                    ("licensees", licensees),
                    ("genuine_goods", genuine_goods),
                    ("known_infringers", known_infringers),
                )
                if value is not None
            ]
        },
    )
    refresh_search_text(recordal)
    return recordal


def attachment_types(kind: str) -> tuple[str, ...]:
    """R4: the goods and packaging photos are colour photos (images); the other documents
    PDF or images. Checked by content (core.files.check_upload)."""
    photos = (Attachment.Kind.GOODS_PHOTO, Attachment.Kind.PACKAGING_PHOTO)
    return IMAGE_TYPES if kind in photos else DOCUMENT_TYPES


@transaction.atomic
def recordal_attach(*, actor: User, recordal: Recordal, kind: str, upload) -> Attachment:
    recordal = Recordal.objects.select_for_update().get(pk=recordal.pk)
    if not acts_for_holder(actor, recordal.holder_id):
        raise NotPermitted(_("Only the holder or its authorised agents attach documents."))
    if recordal.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("Documents are attached while drafting or correcting, not when %(status)s.")
            % {"status": recordal.get_status_display().lower()}
        )
    if kind not in Attachment.Kind.values:
        raise InvalidInput(
            {
                "kind": _("Must be one of %(values)s.")
                % {"values": ", ".join(Attachment.Kind.values)}
            }
        )
    content_type = check_upload(upload, field="file", allowed=attachment_types(kind))
    return Attachment.objects.create(
        recordal=recordal,
        kind=kind,
        file=upload,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


# --- the lifecycle ---------------------------------------------------------------------------


def recordal_transition(
    *,
    actor: User | None,
    recordal: Recordal,
    action: Step | str,
    reason: str = "",
    on: dt.date | None = None,
) -> Recordal:
    """Perform `action` (a step of RECORDAL_WORKFLOW, or its name) on the recordal; the
    actor None is the system (the daily expiry run)."""
    return RECORDAL_WORKFLOW.perform(recordal, action, actor, None, reason=reason, on=on)


def recordals_expire_due(*, today: dt.date | None = None) -> int:
    """The daily run (R7): recordals whose term ended with no renewal requested, or whose
    right lapsed, expire. A renewal requested in time keeps the recordal in force past
    its term until GACC decides (the overdue decision is escalated, not punished)."""
    today = today or local_today()
    due = Recordal.objects.filter(
        Q(status=RecordalStatus.APPROVED, valid_until__lt=today)
        | Q(status__in=IN_FORCE_STATUSES, right_valid_until__lt=today)
    )
    count = 0
    for recordal in due.iterator():
        try:
            recordal_transition(
                actor=None, recordal=recordal, action=RECORDAL_WORKFLOW.expire, on=today
            )
            count += 1
        except Conflict:
            continue  # changed meanwhile by someone else
    return count


# --- changes (R8) ---------------------------------------------------------------------------

ChangeKind = ChangeApplication.Kind
# R8: what each kind of change carries in `details`: the new particulars, applied to the
# recordal when GACC approves (recordals.steps.apply_change). "other" particulars are free text.
CHANGE_DETAILS = {
    ChangeKind.HOLDER_NAME: ("holder_name_en", "holder_name_zh"),
    ChangeKind.GOODS: ("genuine_goods",),
    ChangeKind.LICENSING: ("licensees",),
    ChangeKind.RIGHT: ("right_valid_until",),
}


def _as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _check_rows(model, rows, recordal: Recordal) -> tuple[list[dict], list[str]]:
    """Rows of licensees or genuine goods (R4), checked as the model checks them and
    returned as JSON to keep in the change's details until GACC decides."""
    if not isinstance(rows, list | tuple) or not all(isinstance(row, dict) for row in rows):
        return [], [_("A list of rows.")]
    names = {field.name for field in model._meta.fields} - {"id", "recordal"}
    clean, problems = [], []
    for number, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - names)
        if unknown:
            problems.append(
                _("Row %(row)s: unknown %(fields)s.")
                % {"row": number, "fields": ", ".join(unknown)}
            )
            continue
        instance = model(recordal=recordal, **row)
        try:
            instance.full_clean(exclude=["recordal"])
        except ValidationError as error:
            problems.extend(
                _("Row %(row)s: %(message)s") % {"row": number, "message": " ".join(messages)}
                if field == NON_FIELD_ERRORS
                else _("Row %(row)s, %(field)s: %(message)s")
                % {"row": number, "field": field, "message": " ".join(messages)}
                for field, messages in error.message_dict.items()
            )
            continue
        clean.append(_as_json({name: getattr(instance, name) for name in row}))
    return clean, problems


def _change_details(recordal: Recordal, kind: str, details: dict) -> dict:
    """R8: check what a change carries for its kind; return it as JSON to store."""
    if kind == ChangeKind.OTHER:
        return _as_json(details)
    fields = CHANGE_DETAILS[kind]
    errors: dict[str, list[str]] = {
        key: [_("Not part of a change of this kind.")] for key in details if key not in fields
    }
    clean: dict = {}
    if kind == ChangeKind.HOLDER_NAME:
        for key in fields:
            name = (details.get(key) or "").strip()
            if name:
                clean[key] = name[:255]
        if not clean:
            errors["holder_name_en"] = [_("Give the holder's new name (in English or Chinese).")]
        elif all(getattr(recordal, key) == name for key, name in clean.items()):
            errors["holder_name_en"] = [_("This is already the holder's recorded name.")]
    elif kind == ChangeKind.RIGHT:
        if details.get("right_valid_until") in (None, ""):
            errors["right_valid_until"] = [_("Give the right's new validity (R8).")]
        else:
            try:
                day = new_right_validity(recordal, details["right_valid_until"])
                clean["right_valid_until"] = day.isoformat()
            except InvalidInput as error:
                errors.update(error.errors)
    else:
        (key,) = fields
        model = GenuineGoods if kind == ChangeKind.GOODS else Licensee
        if key not in details:
            errors[key] = [
                _("Give the approved goods as they will be.")
                if kind == ChangeKind.GOODS
                else _("Give the licensees as they will be (an empty list: none).")
            ]
        else:
            clean[key], problems = _check_rows(model, details[key], recordal)
            if problems:
                errors[key] = problems
            elif kind == ChangeKind.GOODS and not clean[key]:
                errors[key] = [_("A recordal protects at least one genuine product (R4).")]
    if errors:
        raise InvalidInput(errors)
    return clean


@transaction.atomic
def recordal_file_change(
    *,
    actor: User,
    recordal: Recordal,
    kind: str,
    changed_on: dt.date,
    description: str,
    details: dict | None = None,
) -> ChangeApplication:
    """R8: a change of holder name, approved goods, licensing or of the right itself (e.g.
    its validity moved) is applied for within 30 working days of the change; filing it
    meets the change obligation. `details` carries the new particulars (CHANGE_DETAILS)."""
    recordal = Recordal.objects.select_for_update().select_related("holder").get(pk=recordal.pk)
    if not acts_for_holder(actor, recordal.holder_id):
        raise NotPermitted(_("Only the holder or its authorised agents apply for changes."))
    if recordal.status not in IN_FORCE_STATUSES:
        raise Conflict(_("Only a recordal in force can be changed; edit a draft directly."))
    errors = {}
    if kind not in ChangeApplication.Kind.values:
        errors["kind"] = [
            _("Must be one of %(values)s.") % {"values": ", ".join(ChangeApplication.Kind.values)}
        ]
    if changed_on > local_today():
        errors["changed_on"] = [_("The change cannot be in the future.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe the change.")]
    if errors:
        raise InvalidInput(errors)
    details = _change_details(recordal, kind, details or {})
    if recordal.changes.filter(status=ChangeApplication.Status.PENDING, kind=kind).exists():
        raise Conflict(_("A change of this kind is already pending."))
    change = ChangeApplication.objects.create(
        recordal=recordal,
        kind=kind,
        changed_on=changed_on,
        description=description.strip(),
        details=details,
        filed_by=actor,
    )
    RecordalEvent.objects.create(
        recordal=recordal,
        action="file_change",
        from_status=recordal.status,
        to_status=recordal.status,
        actor=actor,
        reason=description,
        data={"kind": kind},
    )
    deadlines.deadline_close(subject=recordal, kind=DeadlineKind.CHANGE_OBLIGATION, reason="filed")
    return change


@transaction.atomic
def recordal_note_change(*, actor: User, recordal: Recordal, changed_on: dt.date, reason: str):
    """GACC learns of a change (e.g. an assignment): the holder has 30 working days (R8)."""
    if acting_role(actor) != "gacc_officer":
        raise NotPermitted(_("GACC records changes it learns of."))
    if not reason.strip():
        raise InvalidInput({"reason": _("Say what changed.")})
    RecordalEvent.objects.create(
        recordal=recordal,
        action="note_change",
        from_status=recordal.status,
        to_status=recordal.status,
        actor=actor,
        reason=reason,
        data={"changed_on": str(changed_on)},
    )
    return deadlines.deadline_open(
        subject=recordal, kind=DeadlineKind.CHANGE_OBLIGATION, trigger_date=changed_on, count=30
    )


def recordal_decide_change(
    *,
    actor: User,
    change: ChangeApplication,
    approve: bool,
    reason: str = "",
    on: dt.date | None = None,
) -> ChangeApplication:
    """R8: GACC approves or refuses a change (CHANGE_WORKFLOW); an approved change is
    applied to the recordal, which must still be in force."""
    step = CHANGE_WORKFLOW.approve_change if approve else CHANGE_WORKFLOW.reject_change
    return CHANGE_WORKFLOW.perform(change, step, actor, None, reason=reason, on=on)


# --- general bonds (R15) ----------------------------------------------------------------------


@transaction.atomic
def general_bond_submit(
    *,
    actor: User,
    holder: Organisation,
    year: int,
    amount: Decimal,
    previous_year_costs: Decimal,
    guarantor_bank: str,
    guarantee_number: str,
    issued_on: dt.date,
    expires_on: dt.date,
) -> GeneralBond:
    if not acts_for_holder(actor, holder.pk):
        raise NotPermitted(_("Only the holder or its authorised agents submit a general bond."))
    covers_until, must_expire = rules.general_bond_dates(year)
    errors = {}
    minimum = rules.general_bond_minimum(previous_year_costs)
    if amount < minimum:
        errors["amount"] = [
            _("At least CNY %(minimum)s: max(200,000, last year's costs) (R15).")
            % {"minimum": f"{minimum:,.2f}"}
        ]
    if expires_on < must_expire:
        errors["expires_on"] = [
            _("The guarantee must run to %(day)s (R15).") % {"day": day_text(must_expire)}
        ]
    if issued_on > covers_until:
        errors["issued_on"] = [
            _("A bond for %(year)s must be issued by %(day)s.")
            % {"year": year, "day": day_text(covers_until)}
        ]
    has_trademark = Recordal.objects.filter(
        holder=holder, kind=RecordalKind.TRADEMARK, status__in=("approved", "renewal_requested")
    ).exists()
    if not has_trademark:
        errors["holder"] = [_("General bonds are for holders of recorded trademarks (R15).")]
    if errors:
        raise InvalidInput(errors)
    if GeneralBond.objects.filter(
        holder=holder, year=year, status__in=("submitted", "approved")
    ).exists():
        raise Conflict(
            _("A general bond for %(year)s is already submitted or approved.") % {"year": year}
        )
    return GeneralBond.objects.create(
        holder=holder,
        year=year,
        amount=amount,
        previous_year_costs=previous_year_costs,
        guarantor_bank=guarantor_bank,
        guarantee_number=guarantee_number,
        issued_on=issued_on,
        expires_on=expires_on,
        covers_until=covers_until,
    )


@transaction.atomic
def general_bond_decide(
    *, actor: User, bond: GeneralBond, approve: bool, reason: str = "", on: dt.date | None = None
) -> GeneralBond:
    """R15: GACC approves a general bond (it covers the holder's ex officio trademark
    requests from then to 31 December; its guarantee's expiry is watched) or refuses it
    with reasons (GENERAL_BOND_WORKFLOW)."""
    step = GENERAL_BOND_WORKFLOW.approve_bond if approve else GENERAL_BOND_WORKFLOW.reject_bond
    return GENERAL_BOND_WORKFLOW.perform(bond, step, actor, None, reason=reason, on=on)


def general_bond_balance(bond: GeneralBond) -> dict:
    """R15: what remains of the guarantee is its amount less what the guarantor has been
    called for. Detentions requested on the bond draw nothing from it."""
    called = bond.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return {"amount": bond.amount, "called": called, "remaining": bond.amount - called}


def general_bond_covering(holder_id: int, day: dt.date) -> GeneralBond | None:
    """R15: the approved general bond under which the holder requests ex officio detentions
    on `day` without a per-case bond (from approval to 31 December), if any."""
    return (
        GeneralBond.objects.filter(
            holder_id=holder_id,
            status=GeneralBond.Status.APPROVED,
            approved_on__lte=day,
            covers_until__gte=day,
        )
        .order_by("-year")
        .first()
    )


@transaction.atomic
def general_bond_call(
    *,
    actor: User | None,
    bond: GeneralBond,
    amount: Decimal,
    reference: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> GeneralBondEntry:
    """R15, R27: call the guarantor for costs the holder did not pay, up to what remains of
    the guarantee and while the guarantee is valid. Warns the holder once when less than
    20% of the guarantee remains."""
    bond = GeneralBond.objects.select_for_update().get(pk=bond.pk)
    today = on or local_today()
    if bond.status != GeneralBond.Status.APPROVED:
        raise Conflict(_("Only an approved general bond's guarantor can be called."))
    if amount is None or amount <= 0:
        raise InvalidInput({"amount": _("Must be a positive amount in CNY.")})
    if today > bond.expires_on:
        raise Conflict(
            _("The guarantee ran to %(day)s: its guarantor can no longer be called (R15).")
            % {"day": day_text(bond.expires_on)}
        )
    remaining = general_bond_balance(bond)["remaining"]
    if amount > remaining:
        raise Conflict(
            _("Only CNY %(remaining)s remains of the guarantee (R15): the holder pays the rest.")
            % {"remaining": f"{remaining:,.2f}"}
        )
    entry = GeneralBondEntry.objects.create(
        bond=bond,
        kind=GeneralBondEntry.Kind.GUARANTOR_CALL,
        amount=amount,
        reference=reference[:100],
        note=note,
        on=today,
        actor=actor,
    )
    remaining -= amount
    if remaining < bond.amount * LOW_BALANCE_SHARE and bond.low_balance_warned_at is None:
        bond.low_balance_warned_at = timezone.now()
        bond.save(update_fields=["low_balance_warned_at"])
        _warn_low_balance(bond, remaining)
    return entry


def _warn_low_balance(bond: GeneralBond, available: Decimal) -> None:
    agencies = authorised_agency_ids(bond.holder_id)
    users = User.objects.filter(is_active=True).filter(
        Q(organisation_id=bond.holder_id) | Q(organisation_id__in=agencies)
    )
    Notification.objects.bulk_create(
        _low_balance_notification(user, bond, available) for user in users
    )


def _low_balance_notification(user, bond: GeneralBond, available: Decimal) -> Notification:
    """The warning in the user's own language (stored as plain text)."""
    with translation.override(user.preferred_language or "en"):
        return Notification(
            user=user,
            title=_("General bond %(year)s: CNY %(available)s of the guarantee remains")
            % {"year": bond.year, "available": f"{available:,.2f}"},
            body=_(
                "The guarantor has been called for unpaid costs: less than 20%% of the "
                "guarantee (%(amount)s) remains to answer for further costs (R15, R27). Pay "
                "costs when notified, or top the guarantee up."
            )
            % {"amount": f"{bond.amount:,.2f}"},
        )
