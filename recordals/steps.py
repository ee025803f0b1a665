"""The rules of each recordal step (R5-R9) and of each decision on a change (R8): its guard,
which refuses it now, and its effect, which makes its changes and returns what the event
records. The tables in recordals/workflow.py name these functions; engine.workflow
performs them; `RecordalRecord` and `ChangeRecord` say how each is locked and recorded."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import acting_role
from core.errors import Conflict, InvalidInput
from core.timezone import day_text
from deadlines import services as deadlines
from deadlines.models import DeadlineKind
from engine.workflow import Binding
from recordals import periods, rules, search
from recordals.models import (
    ENDED_STATUSES,
    IN_FORCE_STATUSES,
    LIVE_STATUSES,
    Attachment,
    ChangeApplication,
    GeneralBond,
    GenuineGoods,
    KnownInfringer,
    Licensee,
    Recordal,
    RecordalEvent,
    RecordalKind,
    RecordalStatus,
)


class RecordalRecord(Binding):
    """A recordal: locked with its holder; each step an event on its timeline, with the
    decision's reasons kept on the recordal; its search text kept current."""

    model = Recordal
    related = ("holder",)

    def record(self, recordal, step, *, actor, on, before, reason, data, document):
        if recordal.status in ENDED_STATUSES and recordal.ended_on is None:
            recordal.ended_on = on  # cancelled or revoked: in force to the decision's day
        if reason:
            recordal.decision_reason = reason
        recordal.save()
        RecordalEvent.objects.create(
            recordal=recordal,
            action=step.name,
            from_status=before,
            to_status=recordal.status,
            actor=actor,
            reason=reason,
            data=data,
            on=on,
        )

    def after(self, recordal, step, *, actor, role, on, reason, opened) -> None:
        refresh_search_text(recordal)


# --- what the steps check -------------------------------------------------------------------


def check_complete(recordal: Recordal, actor, today: dt.date) -> None:
    """R4: what a complete application holds; R3: foreign holders file through an agent."""
    errors: dict[str, list[str]] = {}
    if recordal.holder.is_domestic is False and acting_role(actor) == User.Role.HOLDER:
        errors["holder"] = [
            _("A foreign holder files through a domestic agent or its China office (R3).")
        ]
    if recordal.kind in (RecordalKind.TRADEMARK, RecordalKind.PATENT):
        if not recordal.right_valid_from or not recordal.right_valid_until:
            errors["right_valid_until"] = [_("Give the right's validity (R4).")]
        elif recordal.right_valid_until < today:
            errors["right_valid_until"] = [_("The right is no longer protected (R5).")]
    if not recordal.genuine_goods.exists():
        errors["genuine_goods"] = [_("Describe at least one genuine product (R4).")]
    kinds = set(recordal.attachments.values_list("kind", flat=True))
    needs_certificate = (
        recordal.kind != RecordalKind.SPECIAL_SYMBOL and recordal.registration_number
    )
    if needs_certificate and Attachment.Kind.REGISTRATION_CERTIFICATE not in kinds:
        errors.setdefault("attachments", []).append(_("Attach the registration certificate."))
    if not kinds & {Attachment.Kind.GOODS_PHOTO, Attachment.Kind.PACKAGING_PHOTO}:
        errors.setdefault("attachments", []).append(
            _("Attach colour photos of the goods or their packaging.")
        )
    if recordal.filed_by_agency_id and Attachment.Kind.POWER_OF_ATTORNEY not in kinds:
        errors.setdefault("attachments", []).append(_("Attach the power of attorney (R3)."))
    if (
        recordal.patent_type in rules.PATENT_TYPES_NEEDING_EVALUATION
        and Attachment.Kind.EVALUATION_REPORT not in kinds
    ):
        errors.setdefault("attachments", []).append(
            _("Utility models and designs need a patent evaluation report (R4).")
        )
    if errors:
        raise InvalidInput(errors)


def check_unique_right(recordal: Recordal) -> None:
    if not recordal.registration_number:
        return
    clash = Recordal.objects.filter(
        kind=recordal.kind,
        registration_number=recordal.registration_number,
        right_class=recordal.right_class,
        status__in=LIVE_STATUSES,
    ).exclude(pk=recordal.pk)
    if clash.exists():
        raise Conflict(
            _("This right already has a recordal pending or in force (class %(class)s).")
            % {"class": recordal.right_class}
            if recordal.right_class
            else _("This right already has a recordal pending or in force.")
        )


def check_revocation_bar(recordal: Recordal, today: dt.date) -> None:
    """R9: after GACC revokes a recordal, a new recordal of the same right (as in
    check_unique_right: kind, registration number, class for Madrid marks) is refused for
    IPR_REVOCATION_BAR_DAYS days from the revocation (unconfirmed: configurable; 0 lifts
    the bar). Read at call time, so a changed setting applies at once."""
    bar_days = settings.IPR_REVOCATION_BAR_DAYS
    if not recordal.registration_number or bar_days <= 0:
        return
    revoked = (
        Recordal.objects.filter(
            kind=recordal.kind,
            registration_number=recordal.registration_number,
            right_class=recordal.right_class,
            status=RecordalStatus.REVOKED,
            ended_on__gte=today - dt.timedelta(days=bar_days),
        )
        .exclude(pk=recordal.pk)
        .order_by("-ended_on")
        .first()
    )
    if revoked is None:
        return
    bar_ends = rules.revocation_bar_ends(revoked.ended_on, bar_days)
    raise Conflict(
        _(
            "GACC revoked the recordal of this right on %(revoked_on)s: a new recordal of it "
            "is refused until %(bar_ends)s inclusive (R9)."
        )
        % {"revoked_on": day_text(revoked.ended_on), "bar_ends": day_text(bar_ends)},
        revoked_on=str(revoked.ended_on),
        barred_until=str(bar_ends),
    )


def refresh_search_text(recordal: Recordal) -> None:
    goods = " ".join(recordal.genuine_goods.values_list("name", flat=True))
    Recordal.objects.filter(pk=recordal.pk).update(
        search_vector=search.vector(
            recordal.number or "",
            recordal.right_name,
            recordal.registration_number,
            recordal.holder_name_en,  # the name as recorded (R8), else the holder's
            recordal.holder_name_zh,
            goods,
        )
    )


def next_number(kind: str, year: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('recordal_number_seq')")
        (value,) = cursor.fetchone()
    return f"{rules.NUMBER_PREFIX[kind]}{year}-{value:06d}"


# --- the steps ------------------------------------------------------------------------------


def submit(recordal, actor, today, reason, data):
    check_complete(recordal, actor, today)
    check_unique_right(recordal)
    check_revocation_bar(recordal, today)
    recordal.submitted_on = today
    return {}


def correct(recordal, actor, today, reason, data):
    check_complete(recordal, actor, today)
    return {}


def approvable(recordal, today) -> None:
    """R5: a right no longer protected is refused, not approved; one recordal per right."""
    if recordal.right_valid_until and recordal.right_valid_until <= today:
        raise InvalidInput(
            {"right_valid_until": _("The right expires before approval: refuse it instead (R5).")}
        )
    check_unique_right(recordal)


def approve(recordal, actor, today, reason, data):
    """R5, R6: valid 10 years from approval, capped by the right."""
    recordal.approved_on = today
    recordal.valid_from = today
    recordal.valid_until = rules.term_end(today, recordal.right_valid_until)
    if not recordal.number:
        recordal.number = next_number(recordal.kind, today.year)
    return {"valid_from": str(recordal.valid_from), "valid_until": str(recordal.valid_until)}


def renewal_window_open(recordal, today) -> None:
    """R7: renewal is requested within the six months before expiry, while the right is
    still valid beyond the term."""
    opens = rules.renewal_window_opens(recordal.valid_until)
    if not opens <= today <= recordal.valid_until:
        raise Conflict(
            _("Renewal can be requested from %(opens)s to %(closes)s (R7).")
            % {"opens": day_text(opens), "closes": day_text(recordal.valid_until)},
            window_opens=str(opens),
            window_closes=str(recordal.valid_until),
        )
    if recordal.right_valid_until and recordal.right_valid_until <= recordal.valid_until:
        raise Conflict(_("The right itself ends with this term: there is nothing to renew (R7)."))


def approve_renewal(recordal, actor, today, reason, data):
    """R7: the new term starts the day after expiry and lasts ten years, capped by the right."""
    previous = recordal.valid_until
    recordal.valid_from, recordal.valid_until = rules.renewal_term(
        recordal.valid_until, recordal.right_valid_until
    )
    for kind in (DeadlineKind.RECORDAL_EXPIRY, DeadlineKind.RENEWAL_WINDOW_OPENS):
        deadlines.deadline_close(subject=recordal, kind=kind, reason="renewed")
    return {"previous_valid_until": str(previous), "valid_until": str(recordal.valid_until)}


def reject_renewal(recordal, actor, today, reason, data):
    """R7: refused before the term ends, the recordal runs to the end of its term (and
    then expires); refused after it, the recordal, kept in force while GACC decided,
    lapses on the decision's day (the later of the term's end and the decision)."""
    if today <= recordal.valid_until:
        return {}
    recordal.ended_on = today
    for kind in periods.ENDS_WITH_IT:  # lapsing ends what expiry ends
        if kind != DeadlineKind.RENEWAL_DECISION:  # the step itself closes the decision
            deadlines.deadline_cancel(subject=recordal, kind=kind, reason="renewal refused")
    return {"to_status": RecordalStatus.EXPIRED, "lapsed_on": str(today)}


def expire(recordal, actor, today, reason, data):
    """R7: the term ended with no renewal requested, or the right lapsed (R6 caps the
    recordal by the right). The recordal was in force to that day, whenever this runs."""
    if recordal.right_valid_until and recordal.right_valid_until < today:
        lapsed = recordal.status == RecordalStatus.RENEWAL_REQUESTED or (
            recordal.right_valid_until < recordal.valid_until
        )
        if lapsed:
            recordal.ended_on = recordal.right_valid_until
            return {"cause": "the right lapsed"}
    recordal.ended_on = recordal.valid_until
    return {"cause": "the term ended"}


# --- decisions on changes (R8) ----------------------------------------------------------------


class ChangeRecord(Binding):
    """A change application: locked with its recordal (to which an approved change is
    applied); each decision an event on the recordal's timeline."""

    model = ChangeApplication

    def lock(self, change):
        change = super().lock(change)
        change.recordal = (
            Recordal.objects.select_for_update(of=("self",))
            .select_related("holder")
            .get(pk=change.recordal_id)
        )
        return change

    def record(self, change, step, *, actor, on, before, reason, data, document):
        change.decided_at = timezone.now()
        change.decision_reason = reason
        change.save(update_fields=["status", "decided_at", "decision_reason"])
        recordal = change.recordal
        RecordalEvent.objects.create(
            recordal=recordal,
            action=step.name,
            from_status=recordal.status,
            to_status=recordal.status,
            actor=actor,
            reason=reason,
            data={"change": change.pk, "kind": change.kind, **data},
            on=on,
        )

    def after(self, change, step, *, actor, role, on, reason, opened) -> None:
        refresh_search_text(change.recordal)


def recordal_in_force(change, today) -> None:
    recordal = change.recordal
    if recordal.status not in IN_FORCE_STATUSES:
        raise Conflict(
            _("The recordal is %(status)s: there is nothing left to change (R8).")
            % {"status": recordal.get_status_display()}
        )


def apply_change(change, actor, today, reason, data):
    """R8: make the recordal say what GACC approved; returns what changed, for the event.

    The holder name is the recordal's own record of it (recorded_holder_name_*): GACC
    approves a change per recordal, and the holder's organisation (its account, shared by
    its other recordals and its users) is not GACC's to rename."""
    recordal, details = change.recordal, change.details
    Kind = ChangeApplication.Kind
    if change.kind == Kind.HOLDER_NAME:
        before = {key: getattr(recordal, key) for key in details}
        for key, name in details.items():
            setattr(recordal, f"recorded_{key}", name)
        recordal.save(update_fields=[f"recorded_{key}" for key in details] + ["updated_at"])
        return {"previous": before, "new": details}
    if change.kind == Kind.GOODS:
        replace_children(recordal, goods=details["genuine_goods"])
        return {"genuine_goods": len(details["genuine_goods"])}
    if change.kind == Kind.LICENSING:
        replace_children(recordal, licensees=details["licensees"])
        return {"licensees": len(details["licensees"])}
    if change.kind == Kind.RIGHT:
        return apply_right_change(recordal, details["right_valid_until"], today)
    return {}


def apply_right_change(recordal: Recordal, value: str, today: dt.date) -> dict:
    """R8 (Measures Art 13): the right's validity moved; the current term is recomputed
    from its start (approval, or the renewed term's first day, R7), ten years capped by
    the new validity (R6), and the expiry and renewal-window deadlines follow it."""
    try:
        new = new_right_validity(recordal, value)  # the term may have moved since filing
    except InvalidInput as error:
        raise Conflict(error.message) from None
    previous = {"right_valid_until": str(recordal.right_valid_until),
                "valid_until": str(recordal.valid_until)}  # fmt: skip
    recordal.right_valid_until = new
    recordal.valid_until = rules.recomputed_term_end(recordal.valid_from, new)
    recordal.save(update_fields=["right_valid_until", "valid_until", "updated_at"])
    periods.EXPIRY.open(recordal, today)  # moves the open one
    approved = recordal.status == RecordalStatus.APPROVED
    if approved and periods.RENEWAL_WINDOW.open(recordal, today) is None:  # already open
        deadlines.deadline_cancel(
            subject=recordal, kind=DeadlineKind.RENEWAL_WINDOW_OPENS, reason="term recomputed"
        )
    return {
        "previous": previous,
        "right_valid_until": str(new),
        "valid_until": str(recordal.valid_until),
    }


def new_right_validity(recordal: Recordal, value) -> dt.date:
    """R8: the right's new validity (a trademark renewed at CNIPA, a patent lapsed). It may
    not end before the recordal's current term began: a right that lapsed before that
    calls for cancellation (R9), not a change."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput({"right_valid_until": _("A date, YYYY-MM-DD.")}) from None
    if day == recordal.right_valid_until:
        raise InvalidInput({"right_valid_until": _("This is already the right's validity.")})
    if recordal.right_valid_from and day <= recordal.right_valid_from:
        raise InvalidInput(
            {"right_valid_until": _("The right's validity must end after it starts.")}
        )
    if recordal.valid_from and day < recordal.valid_from:
        raise InvalidInput(
            {
                "right_valid_until": _(
                    "The right would end before the recordal's current term began "
                    "(%(valid_from)s): cancel the recordal instead (R9)."
                )
                % {"valid_from": day_text(recordal.valid_from)}
            }
        )
    return day


def replace_children(recordal, licensees=None, goods=None, infringers=None) -> None:
    """Replace the recordal's licensees, genuine goods or known infringers (None: kept)."""
    for rows, model in ((licensees, Licensee), (goods, GenuineGoods), (infringers, KnownInfringer)):
        if rows is None:
            continue
        model.objects.filter(recordal=recordal).delete()
        model.objects.bulk_create(model(recordal=recordal, **row) for row in rows)


# --- general bonds (R15) -------------------------------------------------------------------


class GeneralBondRecord(Binding):
    """A general bond: GACC's decision is kept on the bond (its status, the day approved
    and the reasons)."""

    model = GeneralBond
    related = ("holder",)

    def record(self, bond, step, *, actor, on, before, reason, data, document):
        bond.decision_reason = reason
        bond.save(update_fields=["status", "approved_on", "decision_reason"])


def approve_general_bond(bond, actor, today, reason, data):
    bond.approved_on = today  # R15: it covers detention requests from today to 31 December
    return {}
