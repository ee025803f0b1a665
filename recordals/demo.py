"""Demo recordals of holders A and B in every state, through the real services.

Idempotent: a recordal is created only if its holder has none with that registration
number (and class) yet. Each story is a list of dated steps (core/demo_dates.py): the
history is fixed, so a 2024 case finds the rights in force in 2024; the work in progress
(applications under review, a renewal GACC has not decided) is dated relative to today.
A term that would run out is one the story renews or lets lapse on purpose: POP MART's
recordal was renewed in 2026, LABUBU's is renewed in 2033 and NORDKAP's in 2031 (steps
taken when their day comes), HIRONO's lapsed in 2024 with no renewal requested.
The daily expiry run is applied for today."""

import datetime as dt
from decimal import Decimal

from accounts import demo as accounts_demo
from accounts.models import User
from accounts.scoping import acting_role
from core.demo_dates import FromToday, story_date
from core.demo_files import pdf_file, png_file
from core.timezone import local_today
from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline, DeadlineKind
from recordals import services
from recordals.models import Recordal, RecordalStatus
from recordals.workflow import RECORDAL_WORKFLOW as W

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


def registered(*, years_ago: int, days_ago: int) -> dict:
    """A right's ten years of validity, as far into them as the application in progress
    that claims it, whatever today is (a utility model's term, or a trademark's own)."""
    return {"right_valid_from": FromToday(years=-years_ago, days=-days_ago),
            "right_valid_until": FromToday(years=10 - years_ago, days=-days_ago - 1)}  # fmt: skip


# (key, holder, filer, right, goods, story) — story: the steps taken, each with its date
# (and the reasons, where the step needs them). The filer takes the steps its role may;
# GACC takes the others.
RECORDALS = [
    ("labubu", "A", "agent.a",
     {"kind": "copyright", "right_name": "LABUBU (THE MONSTERS) character artwork",
      "registration_number": "国作登字-2019-F-00812345", "work_type": "Fine art"},
     TOYS, [(W.submit, "2024-02-01"), (W.approve, "2024-03-15"),  # term to 2034-03-14
            (W.request_renewal, "2033-10-10"), (W.approve_renewal, "2033-10-24")]),
    ("popmart", "A", "holder.a",
     {"kind": "trademark", "right_name": "POP MART", "registration_number": "16543210",
      "nice_classes": [28], "right_valid_from": D("2016-05-07"),
      "right_valid_until": D("2036-05-06")},
     TOYS, [(W.submit, "2016-11-01"), (W.approve, "2016-12-01"),  # term to 2026-11-30
            (W.request_renewal, "2026-09-01"), (W.approve_renewal, "2026-09-14")]),
    # The renewal GACC has not decided: the term ends in 24 days, the renewal was
    # requested 18 working days ago and its 10-working-day decision is overdue (escalated);
    # the recordal stays in force past its term until GACC decides (R7).
    ("monsters", "A", "agent.a",
     {"kind": "trademark", "right_name": "THE MONSTERS", "registration_number": "17345678",
      "nice_classes": [28], "right_valid_from": FromToday(years=-12, days=-40),
      "right_valid_until": FromToday(years=8, days=-41)},
     TOYS, [(W.submit, FromToday(years=-10, days=-5)),
            (W.approve, FromToday(years=-10, days=25)), (W.request_renewal, 18)]),
    ("molly", "A", "agent.a",
     {"kind": "trademark", "right_name": "MOLLY", "registration_number": "23456789",
      "nice_classes": [28, 16], **registered(years_ago=8, days_ago=231)},
     TOYS, [(W.submit, 8)]),  # under review: GACC decides within 30 working days (R5)
    ("skullpanda", "A", "agent.a",
     {"kind": "trademark", "right_name": "SKULLPANDA", "registration_number": "45678901",
      "nice_classes": [28], **registered(years_ago=5, days_ago=298)},
     TOYS, [(W.submit, 25),
            (W.request_correction, 12,
             "Packaging photos are black and white; colour photos are required (R4).")]),
    ("dimoo", "A", "holder.a",
     {"kind": "trademark", "right_name": "DIMOO", "registration_number": "51234567",
      "nice_classes": [28], **registered(years_ago=4, days_ago=314)},
     TOYS, []),
    ("crybaby", "A", "agent.a",
     {"kind": "trademark", "right_name": "CRYBABY", "registration_number": "60123456",
      "nice_classes": [28], "right_valid_from": D("2023-03-07"),
      "right_valid_until": D("2033-03-06")},
     TOYS, [(W.submit, "2025-06-02"),
            (W.reject, "2025-06-30", "The applicant is a licensee, not the holder (R2).")]),
    ("hirono", "A", "holder.a",
     {"kind": "trademark", "right_name": "HIRONO", "registration_number": "30123456",
      "nice_classes": [28], "right_valid_from": D("2014-05-01"),
      "right_valid_until": D("2034-04-30")},
     TOYS, [(W.submit, "2014-09-01"), (W.approve, "2014-10-08")]),  # term ended 2024: expired
    ("zsiga", "A", "holder.a",
     {"kind": "trademark", "right_name": "ZSIGA", "registration_number": "39876543",
      "nice_classes": [28], "right_valid_from": D("2020-08-14"),
      "right_valid_until": D("2030-08-13")},
     TOYS, [(W.submit, "2021-01-04"), (W.approve, "2021-02-01"),
            (W.cancel, "2025-03-03", "The trademark was assigned to a third party (R9).")]),
    # The international registration of 2016, renewed at WIPO in 2026 to 2036. The
    # recordals run to 2032-02-29 (R6) and are renewed in 2031, to the right's end.
    ("nordkap-25", "B", "agent.b",
     {"kind": "trademark", "right_name": "NORDKAP", "registration_number": "1612345",
      "nice_classes": [25], "is_madrid": True, "right_valid_from": D("2016-06-01"),
      "right_valid_until": D("2036-06-01")},
     OUTDOOR, [(W.submit, "2022-02-07"), (W.approve, "2022-03-01"),
               (W.request_renewal, "2031-10-08"), (W.approve_renewal, "2031-10-20")]),
    ("nordkap-18", "B", "agent.b",
     {"kind": "trademark", "right_name": "NORDKAP", "registration_number": "1612345",
      "nice_classes": [18], "is_madrid": True, "right_valid_from": D("2016-06-01"),
      "right_valid_until": D("2036-06-01")},
     OUTDOOR, [(W.submit, "2022-02-07"), (W.approve, "2022-03-01"),
               (W.request_renewal, "2031-10-08"), (W.approve_renewal, "2031-10-20")]),
    ("nordkap-sole", "B", "agent.b",
     {"kind": "patent", "right_name": "Shock-absorbing hiking boot sole",
      "patent_type": "utility_model", "registration_number": "ZL202220123456.1",
      **registered(years_ago=4, days_ago=266)},
     OUTDOOR, [(W.submit, 5)]),
    ("nordkap-compass", "B", "agent.b",
     {"kind": "trademark", "right_name": "Compass device", "registration_number": "47123456",
      "nice_classes": [25], "right_valid_from": D("2020-01-14"),
      "right_valid_until": D("2030-01-13")},
     OUTDOOR, [(W.submit, "2022-05-09"), (W.approve, "2022-06-01"),
            (W.revoke, "2025-09-15", "Genuine-goods information was untruthful (R9).")]),
]  # fmt: skip


# The rights the demo's live cases cite: kept in force by their stories (renewed in time).
IN_FORCE_TODAY = ("labubu", "popmart", "nordkap-25", "nordkap-18", "monsters")


def seed(parties: dict) -> dict:
    users = {u.username: u for u in User.objects.filter(
        username__in=["holder.a", "holder.b", "agent.a", "agent.b", "officer.gacc"])}  # fmt: skip
    gacc = users["officer.gacc"]
    made = {}
    today, calendar = local_today(), WorkingCalendar.load()

    def date(when):
        return story_date(when, today=today, calendar=calendar)

    for key, holder_key, filer, right, goods, story in RECORDALS:
        holder = parties["holders"][holder_key]
        existing = _recordal(holder, right)
        if existing:
            made[key] = existing
            continue
        actor = users[filer]
        steps = [(step, date(when), "".join(reason)) for step, when, *reason in story]
        steps = steps[: next((n for n, (_, on, _) in enumerate(steps) if on > today), len(steps))]
        recordal = services.recordal_create_draft(
            actor=actor, holder=holder, genuine_goods=goods,
            right={name: date(value) if isinstance(value, FromToday) else value
                   for name, value in right.items()},
            licensees=[{"name": "Dongguan Licensed Manufacturing Co.", "role": "manufacturer"}],
            known_infringers=[{"name": "Yiwu Lucky Star Trading", "country": "CN",
                               "ports": "Ningbo", "features": "Blurred label, no hologram"}],
            on=steps[0][1] if steps else today,
        )  # fmt: skip
        _attach_documents(actor, recordal)
        for step, on, reason in steps:
            by = actor if acting_role(actor) in step.roles else gacc
            services.recordal_transition(actor=by, recordal=recordal, action=step,
                                         reason=reason, on=on)  # fmt: skip
        made[key] = recordal
    services.recordals_expire_due(today=today)
    _general_bond(parties["holders"]["B"], users["agent.b"], gacc, today)
    return made


def _recordal(holder, right: dict) -> Recordal | None:
    return Recordal.objects.filter(
        holder=holder, registration_number=right["registration_number"].upper(),
        nice_classes=sorted(right.get("nice_classes", [])),
    ).first()  # fmt: skip


def check() -> list[str]:
    """What the demo promises of its recordals, today: every state is shown; the daily
    expiry run has left no recordal in force past its term (R7), except the one whose
    renewal GACC has not decided; the rights the live cases cite are in force."""
    today = local_today()
    problems = []
    holders = accounts_demo.holders()
    found = {key: _recordal(holders[holder], right)
             for key, holder, _filer, right, *_ in RECORDALS}  # fmt: skip
    problems += [f"recordal {key} is missing" for key, recordal in found.items() if not recordal]
    missing = set(RecordalStatus.values) - set(Recordal.objects.values_list("status", flat=True))
    if missing:
        problems.append(f"no demo recordal is {', '.join(sorted(missing))}")
    overdue = Recordal.objects.filter(status=RecordalStatus.APPROVED, valid_until__lt=today)
    problems += [f"{r.number} is approved past its term" for r in overdue]
    in_force = set(Recordal.objects.in_force_on(today).values_list("pk", flat=True))
    for key in IN_FORCE_TODAY:
        if found[key] and found[key].pk not in in_force:
            problems.append(f"recordal {key} ({found[key].number}) is not in force today")
    monsters = found["monsters"]
    decision = monsters and monsters.status == RecordalStatus.RENEWAL_REQUESTED and (
        Deadline.objects.filter(
            subject_type__model="recordal", subject_id=monsters.pk,
            kind=DeadlineKind.RENEWAL_DECISION, status=Deadline.Status.MISSED,
        ).exists()
    )  # fmt: skip
    if not decision:
        problems.append("THE MONSTERS' renewal is not awaiting an overdue decision (R7)")
    return problems


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


def _general_bond(holder, agent, gacc, today):
    """R15: holder B's general bond, approved on 15 January (before that day, last year's
    is the latest), with its guarantor called in March for a case's storage costs the
    holder left unpaid (R15, R27)."""
    year = today.year if today >= dt.date(today.year, 1, 15) else today.year - 1
    if holder.general_bonds.filter(year=year).exists():
        return
    bond = services.general_bond_submit(
        actor=agent, holder=holder, year=year, amount=Decimal("300000.00"),
        previous_year_costs=Decimal("86400.00"), guarantor_bank="Bank of China, Shanghai Branch",
        guarantee_number=f"BOC-SH-{year}-0042", issued_on=dt.date(year, 1, 8),
        expires_on=dt.date(year + 1, 6, 30),
    )  # fmt: skip
    services.general_bond_decide(actor=gacc, bond=bond, approve=True, on=dt.date(year, 1, 15))
    if dt.date(year, 3, 2) <= today:
        services.general_bond_call(
            actor=gacc, bond=bond, amount=Decimal("12800.00"),
            reference=f"Storage, Shanghai Waigaoqiao, case 2200-{year}-0117",
            on=dt.date(year, 3, 2),
        )  # fmt: skip
