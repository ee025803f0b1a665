"""Cases built through the services, the way officers and holders build them."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Port
from accounts.tests.factories import customs_office
from core.demo_files import pdf_bytes
from detentions import services

D = dt.date.fromisoformat

SERVED = D("2025-09-26")  # a Friday before the 2025 National Day holiday
SHIPMENT = {
    "direction": "export",
    "channel": "general_trade",
    "transport_mode": "sea",
    "declaration_number": "310420250001234567",
    "origin_country": "CN",
    "destination_country": "NG",
    "consignor_name": "Yiwu Bright Trading Co.",
    "consignor_country": "CN",
    "consignor_address": "88 Futian Road, Yiwu",
    "consignor_contact": "+86 579 0000 0000",
    "consignor_id_number": "91330782MA2XXXXX1",
    "consignee_name": "Lagos Toys Ltd",
    "consignee_country": "NG",
    "consignee_address": "12 Marina, Lagos",
}


def lines(*values, category="toys"):
    """Goods lines with these values (CNY), 100 items each."""
    return [
        {"description": f"Plush toy model {n}", "hs_code": "950300", "category": category,
         "quantity": 100, "unit": "pieces", "value": Decimal(v)}
        for n, v in enumerate(values or ("30000.00",), start=1)
    ]  # fmt: skip


def pdf(name="notice.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def ex_officio(officer, recordal, *, values=("30000.00",), served_on=SERVED, **shipment):
    """An ex officio case of Ningbo Customs (Meishan port), notice served on `served_on`."""
    ningbo = customs_office("3100")
    return services.detention_open_ex_officio(
        actor=officer,
        office=ningbo,
        port=Port.objects.filter(office=ningbo).order_by("pk").first(),
        shipment={**SHIPMENT, **shipment},
        recordals=[recordal],
        goods_lines=lines(*values),
        served_on=served_on,
    )


def step(case, actor, action, on, reason="", **data):
    return services.detention_transition(
        actor=actor, detention=case, action=action, reason=reason, data=data, on=D(on)
    )


def detained(officer, holder_user, recordal, **kw):
    """An ex officio case detained on 2025-09-29 with a cash bond."""
    case = ex_officio(officer, recordal, **kw)
    step(case, holder_user, "request_detention", "2025-09-29", bond_source="case_bond",
         bond_form="cash", bond_reference="CASH-1")  # fmt: skip
    return step(case, officer, "detain", "2025-09-29")
