"""Writes about detention cases (R12-R28). Each function runs in one transaction; state
changes lock the case, re-check its state against detentions/workflow.py, write an event,
update the case, and open or close the deadlines the table names through the deadline
engine. Money moves only as MoneyEntry rows, so the trail always adds up.

    cases.py      opening cases, goods, documents, inspections, consignor statements
    lifecycle.py  every step of the two tables
    money.py      costs, payments, compensation
    referrals.py  referrals to public security
"""

from detentions.services.cases import (
    detention_apply,
    detention_attach,
    detention_open_ex_officio,
    detention_record_inspection,
    detention_record_statement,
    detention_update_goods,
)
from detentions.services.common import SHIPMENT_FIELDS
from detentions.services.lifecycle import APPLY, detention_transition
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
    "APPLY",
    "SHIPMENT_FIELDS",
    "detention_apply",
    "detention_attach",
    "detention_charge_costs",
    "detention_compensate_consignor",
    "detention_open_ex_officio",
    "detention_record_inspection",
    "detention_record_payment",
    "detention_record_statement",
    "detention_transition",
    "detention_update_goods",
    "referral_create",
    "referral_record_outcome",
    "referral_transition",
]
