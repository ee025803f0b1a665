"""Writes about detention cases (R12-R28). Each function runs in one transaction; the
steps of detentions/workflow.py are performed by the workflow engine (engine.workflow),
whose rules are in detentions/steps.py. Money moves only as MoneyEntry rows, so the trail
always adds up.

    cases.py      opening cases, goods, documents, inspections, consignor statements
    lifecycle.py  any step of the case tables, through the engine
    money.py      costs, payments, compensation
    referrals.py  referrals to public security
"""

from detentions.services.cases import (
    HELD_STATES,
    detention_apply,
    detention_attach,
    detention_open_ex_officio,
    detention_record_inspection,
    detention_record_statement,
    detention_request_inspection,
    detention_update_goods,
)
from detentions.services.common import SHIPMENT_FIELDS
from detentions.services.lifecycle import detention_transition
from detentions.services.money import (
    detention_charge_costs,
    detention_compensate_consignor,
    detention_record_payment,
)
from detentions.services.referrals import (
    referral_create,
    referral_record_outcome,
    referral_transition,
)

__all__ = [
    "HELD_STATES",
    "SHIPMENT_FIELDS",
    "detention_apply",
    "detention_attach",
    "detention_charge_costs",
    "detention_compensate_consignor",
    "detention_open_ex_officio",
    "detention_record_inspection",
    "detention_record_payment",
    "detention_record_statement",
    "detention_request_inspection",
    "detention_transition",
    "detention_update_goods",
    "referral_create",
    "referral_record_outcome",
    "referral_transition",
]
