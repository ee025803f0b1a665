"""Demo recordals of holders A and B in every state, through the real services.

Idempotent: a recordal is created only if its holder has none with that registration
number (and class) yet. Dates are fixed so the demo tells the same story every day,
except that the daily expiry run is applied for today."""

import datetime as dt
from decimal import Decimal

from accounts.models import User
from core.demo_files import pdf_file, png_file
from core.timezone import local_today
from recordals import services
from recordals.models import Recordal

D = dt.date.fromisoformat
TOYS = [
    {
        "name": "Designer vinyl and plush toys",
        "hs_code": "950300",
        "origin_country": "CN",
        "usual_ports": "Ningbo, Shanghai, Shenzhen",
        "price_min": "59.00",
        "price_max": "899.00",
        "features": "Character figures sold in blind boxes, holographic anti-counterfeit label",
    }
]
OUTDOOR = [
    {
        "name": "Hiking boots and technical jackets",
        "hs_code": "640391",
        "origin_country": "VN",
        "usual_ports": "Shanghai",
        "price_min": "900.00",
        "price_max": "4200.00",
        "features": "Embroidered compass logo, sewn-in NFC tag",
    }
]

# (key, holder, filer, right, goods, story) — story: the actions taken, with their dates.
RECORDALS = [
    ("labubu", "A", "agent.a",
     {"kind": "copyright", "right_name": "LABUBU (THE MONSTERS) character artwork",
      "registration_number": "国作登字-2019-F-00812345", "work_type": "Fine art"},
     TOYS, [("submit", "2024-02-01"), ("approve", "2024-03-15")]),
    ("popmart", "A", "holder.a",
     {"kind": "trademark", "right_name": "POP MART", "registration_number": "16543210",
      "nice_classes": [28], "right_valid_from": D("2016-05-07"),
      "right_valid_until": D("2036-05-06")},
     TOYS, [("submit", "2016-11-01"), ("approve", "2016-12-01"),
            ("request_renewal", "2026-09-01")]),
    ("molly", "A", "agent.a",
     {"kind": "trademark", "right_name": "MOLLY", "registration_number": "23456789",
      "nice_classes": [28, 16], "right_valid_from": D("2018-04-14"),
      "right_valid_until": D("2028-04-13")},
     TOYS, [("submit", "2026-11-02")]),
    ("skullpanda", "A", "agent.a",
     {"kind": "trademark", "right_name": "SKULLPANDA", "registration_number": "45678901",
      "nice_classes": [28], "right_valid_from": D("2021-02-07"),
      "right_valid_until": D("2031-02-06")},
     TOYS, [("submit", "2026-10-12"),
            ("request_correction:Packaging photos are black and white; colour photos "
             "are required (R4).", "2026-10-30")]),
    ("dimoo", "A", "holder.a",
     {"kind": "trademark", "right_name": "DIMOO", "registration_number": "51234567",
      "nice_classes": [28], "right_valid_from": D("2022-01-21"),
      "right_valid_until": D("2032-01-20")},
     TOYS, []),
    ("crybaby", "A", "agent.a",
     {"kind": "trademark", "right_name": "CRYBABY", "registration_number": "60123456",
      "nice_classes": [28], "right_valid_from": D("2023-03-07"),
      "right_valid_until": D("2033-03-06")},
     TOYS, [("submit", "2025-06-02"),
            ("reject:The applicant is a licensee, not the holder (R2).", "2025-06-30")]),
    ("hirono", "A", "holder.a",
     {"kind": "trademark", "right_name": "HIRONO", "registration_number": "30123456",
      "nice_classes": [28], "right_valid_from": D("2014-05-01"),
      "right_valid_until": D("2034-04-30")},
     TOYS, [("submit", "2014-09-01"), ("approve", "2014-10-08")]),  # term ended 2024: expired
    ("zsiga", "A", "holder.a",
     {"kind": "trademark", "right_name": "ZSIGA", "registration_number": "39876543",
      "nice_classes": [28], "right_valid_from": D("2020-08-14"),
      "right_valid_until": D("2030-08-13")},
     TOYS, [("submit", "2021-01-04"), ("approve", "2021-02-01"),
            ("cancel:The trademark was assigned to a third party (R9).", "2025-03-03")]),
    ("nordkap-25", "B", "agent.b",
     {"kind": "trademark", "right_name": "NORDKAP", "registration_number": "1612345",
      "nice_classes": [25], "is_madrid": True, "right_valid_from": D("2021-06-01"),
      "right_valid_until": D("2031-06-01")},
     OUTDOOR, [("submit", "2022-02-07"), ("approve", "2022-03-01")]),
    ("nordkap-18", "B", "agent.b",
     {"kind": "trademark", "right_name": "NORDKAP", "registration_number": "1612345",
      "nice_classes": [18], "is_madrid": True, "right_valid_from": D("2021-06-01"),
      "right_valid_until": D("2031-06-01")},
     OUTDOOR, [("submit", "2022-02-07"), ("approve", "2022-03-01")]),
    ("nordkap-sole", "B", "agent.b",
     {"kind": "patent", "right_name": "Shock-absorbing hiking boot sole",
      "patent_type": "utility_model", "registration_number": "ZL202220123456.1",
      "right_valid_from": D("2022-03-10"), "right_valid_until": D("2032-03-09")},
     OUTDOOR, [("submit", "2026-11-16")]),
    ("nordkap-compass", "B", "agent.b",
     {"kind": "trademark", "right_name": "Compass device", "registration_number": "47123456",
      "nice_classes": [25], "right_valid_from": D("2020-01-14"),
      "right_valid_until": D("2030-01-13")},
     OUTDOOR, [("submit", "2022-05-09"), ("approve", "2022-06-01"),
            ("revoke:Genuine-goods information was untruthful (R9).", "2025-09-15")]),
]  # fmt: skip


def seed(parties: dict) -> dict:
    users = {u.username: u for u in User.objects.filter(
        username__in=["holder.a", "holder.b", "agent.a", "agent.b", "officer.gacc"])}  # fmt: skip
    gacc = users["officer.gacc"]
    made = {}
    for key, holder_key, filer, right, goods, story in RECORDALS:
        holder = parties["holders"][holder_key]
        existing = Recordal.objects.filter(
            holder=holder, registration_number=right["registration_number"].upper(),
            nice_classes=sorted(right.get("nice_classes", [])),
        ).first()  # fmt: skip
        if existing:
            made[key] = existing
            continue
        actor = users[filer]
        recordal = services.recordal_create_draft(
            actor=actor, holder=holder, right=right, genuine_goods=goods,
            licensees=[{"name": "Dongguan Licensed Manufacturing Co.", "role": "manufacturer"}],
            known_infringers=[{"name": "Yiwu Lucky Star Trading", "country": "CN",
                               "ports": "Ningbo", "features": "Blurred label, no hologram"}],
        )  # fmt: skip
        _attach_documents(actor, recordal)
        for step, on in story:
            action, _, reason = step.partition(":")
            by = gacc if action in ("approve", "reject", "request_correction", "revoke") else actor
            services.recordal_transition(actor=by, recordal=recordal, action=action,
                                         reason=reason, on=D(on))  # fmt: skip
        made[key] = recordal
    services.recordals_expire_due(today=local_today())
    _general_bond(parties["holders"]["B"], users["agent.b"], gacc)
    return made


def _attach_documents(actor, recordal):
    documents = [("registration_certificate", pdf_file("certificate.pdf", "Certificate")),
                 ("goods_photo", png_file("goods.png")),
                 ("packaging_photo", png_file("packaging.png"))]  # fmt: skip
    if recordal.filed_by_agency_id:
        documents.append(("power_of_attorney", pdf_file("power-of-attorney.pdf")))
    if recordal.patent_type in ("utility_model", "design"):
        documents.append(("evaluation_report", pdf_file("evaluation-report.pdf")))
    for kind, upload in documents:
        services.recordal_attach(actor=actor, recordal=recordal, kind=kind, upload=upload)


def _general_bond(holder, agent, gacc):
    year = local_today().year
    if holder.general_bonds.filter(year=year).exists():
        return
    bond = services.general_bond_submit(
        actor=agent, holder=holder, year=year, amount=Decimal("300000.00"),
        previous_year_costs=Decimal("86400.00"), guarantor_bank="Bank of China, Shanghai Branch",
        guarantee_number=f"BOC-SH-{year}-0042", issued_on=dt.date(year, 1, 8),
        expires_on=dt.date(year + 1, 6, 30),
    )  # fmt: skip
    services.general_bond_decide(actor=gacc, bond=bond, approve=True, on=dt.date(year, 1, 15))
    services.general_bond_record(
        actor=gacc, bond=bond, kind="cost_charge", amount=Decimal("12800.00"),
        reference="Storage, Shanghai Waigaoqiao, case 2200-2026-0117",
        on=dt.date(year, 3, 2),
    )  # fmt: skip
