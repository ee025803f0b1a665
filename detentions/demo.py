"""Demo detention cases of holders A and B in every state of both workflows (R12-R28),
built through the real services with explicit dates.

Idempotent: a case is keyed on its declaration number and created only if no case has
it yet. Each case has a story: the steps taken, each dated either as an ISO date or as
a number of working days after the notice was served (or the application filed), so
every step respects the periods of R12-R19 by construction. Closed and long-running
cases tell a fixed 2024-2025 story; cases in live states (and the work in progress
behind them) start a number of working days before today, so their deadlines are open
and upcoming when the demo is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Port, User
from core.demo_dates import story_date
from core.demo_files import pdf_file
from core.timezone import local_today
from deadlines import services as deadline_services
from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline, Notification
from detentions import selectors, services
from detentions.models import Detention
from detentions.rules import storage_limit
from detentions.workflow import EX_OFFICIO_WORKFLOW as EX
from detentions.workflow import ON_APPLICATION_WORKFLOW as APP
from detentions.workflow import REFERRAL_RETURNED, WORKFLOWS
from detentions.workflow import REFERRAL_WORKFLOW as REF
from recordals.models import Recordal
from recordals.services import general_bond_covering

D = dt.date.fromisoformat

# The recorded rights (from recordals/demo.py): holder, registration number, classes.
RIGHTS = {
    "labubu": ("A", "国作登字-2019-F-00812345", []),
    "popmart": ("A", "16543210", [28]),
    "nordkap25": ("B", "1612345", [25]),
    "nordkap18": ("B", "1612345", [18]),
}
PORTS = {
    "Meishan": "3100",
    "Beilun": "3100",
    "Ningbo Lishe Airport": "3100",
    "Yantian": "5300",
    "Shekou": "5300",
    "Huanggang": "5300",
    "Luohu": "5300",
    "Futian": "5300",
    "Shenzhen Bao'an Airport": "5300",
}
OFFICERS = {"3100": "officer.ningbo", "5300": "officer.shenzhen"}
DOCUMENTS = {  # the document served or received with a step, by the step's name
    EX.receive_court_notice.name: "Court assistance notice",
    EX.confiscate.name: "Administrative penalty decision",
    EX.dispose.name: "Disposal record",
}


def party(name: str, country: str, address: str = "") -> tuple[str, str, str]:
    return (name, country, address)


def ship(key, route, consignor, consignee, **extra) -> dict:
    """A shipment; `route` is "direction channel transport origin>destination"."""
    direction, channel, transport, countries = route.split()
    origin, destination = countries.split(">")
    return {
        "declaration_number": key,
        "direction": direction,
        "channel": channel,
        "transport_mode": transport,
        "origin_country": origin,
        "destination_country": destination,
        "consignor_name": consignor[0],
        "consignor_country": consignor[1],
        "consignor_address": consignor[2],
        "consignee_name": consignee[0],
        "consignee_country": consignee[1],
        "consignee_address": consignee[2],
        **extra,
    }


def goods(description, hs_code, category, quantity, value, unit="pieces", right=None) -> dict:
    return {
        "description": description,
        "hs_code": hs_code,
        "category": category,
        "quantity": quantity,
        "unit": unit,
        "value": Decimal(value),
        "right": right,
    }


def bond(form: str, reference: str = "", by: str = "") -> dict:
    """The holder's reply: request detention with a bond for this case (R12, R14)."""
    data = {"bond_source": "case_bond", "bond_form": form, "bond_reference": reference}
    return {**data, "by": by} if by else data


GENERAL_BOND = {"bond_source": "general_bond"}  # R15: under holder B's general bond, no case bond


@dataclass(frozen=True)
class Case:
    holder: str  # "A" or "B"
    port: str
    start: str | int  # served or filed: an ISO date, or working days before today
    shipment: dict
    goods: list[dict]
    story: list[tuple] = field(default_factory=list)
    rights: tuple[str, ...] = ()
    by: str = ""  # who acts for the holder (default: its agent)
    application: dict | None = None  # on application (R18): the particulars
    notes: str = ""

    @property
    def key(self) -> str:
        return self.shipment["declaration_number"]


# --- Holder A: Beijing Pop Mart (LABUBU copyright, POP MART trademark) ---------------------

LABUBU = Case(
    # DOMAIN.md, "A real case for demo data": Meishan port, November 2024, export under
    # market procurement, LABUBU copyright; detained, investigated, confiscated and fined.
    holder="A",
    port="Meishan",
    start="2024-11-12",
    rights=("labubu",),
    shipment=ship(
        "310720240004718253",
        "export market_procurement sea CN>AE",
        party("Yiwu Xinrui Import & Export Co., Ltd.", "CN", "No. 12 Futian Road, Yiwu"),
        party("Al Noor General Trading LLC", "AE", "Deira, Dubai"),
        consignor_contact="+86 579 8555 0000",
        consignor_id_number="91330782MA2DEMO001",
    ),
    goods=[
        goods(
            "Rubber floor mats with the LABUBU character",
            "401691",
            "daily_necessities",
            39500,
            "95490.00",
        ),
        goods("Keychain pendants with the LABUBU character", "392640", "toys", 35900, "64620.00"),
        goods(
            "Plastic stamps with the LABUBU character", "961100", "stationery", 47900, "57480.00"
        ),
        goods(
            "Zip bags printed with the LABUBU character",
            "392321",
            "daily_necessities",
            35900,
            "28720.00",
        ),
        goods("Building blocks with LABUBU figures", "950300", "toys", 39900, "123690.00"),
    ],
    notes="Risk profile: character goods via Yiwu market procurement to the Middle East "
    "(Longteng campaign). Five lines in one container, MSKU 7712345.",
    story=[
        (
            EX.request_detention,
            "2024-11-13",
            bond("guarantee", "ICBC-BJ-G-2024-1187", by="agent.a"),
        ),
        (EX.detain, "2024-11-14"),
        (EX.determine_infringing, "2024-12-10"),
        (
            "refer",
            "2024-12-12",
            {
                "organ": "Ningbo Municipal Public Security Bureau, Economic Crime Investigation "
                "Detachment",
                "grounds": "Copyright infringement for profit; illegal business volume about "
                "CNY 370,000, above the prosecution threshold.",
            },
        ),
        (
            EX.confiscate,
            "2024-12-20",
            {"decision_served": True, "penalty_tier": "general", "penalty_fine": "55500.00"},
        ),
        (REF.accept, "2024-12-27", {"police_case_number": "甬公(经)立字〔2024〕1203号"}),
        (
            EX.dispose,
            "2025-01-15",
            {
                "disposal_method": "destruction",
                "reason": "The character covers each item, so the infringing features cannot be "
                "removed; no welfare organisation can use the goods and the holder "
                "declined a paid transfer.",
            },
        ),
        ("costs", "2025-01-17", {"cost_kind": "storage", "amount": "18600.00"}),
        ("costs", "2025-01-17", {"cost_kind": "disposal", "amount": "6400.00"}),
        ("pay", "2025-01-24", {"amount": "25000.00"}),
        (EX.close, "2025-02-10"),
    ],
)

HOLDER_A = [
    LABUBU,
    Case(  # notified: the reply is due in a few working days
        holder="A",
        port="Ningbo Lishe Airport",
        start=1,
        rights=("labubu",),
        shipment=ship(
            "311820261000120567",
            "export cross_border_ecommerce air CN>US",
            party("Ningbo Kuajing Youpin E-commerce Co., Ltd.", "CN", "Yinzhou, Ningbo"),
            party("Maple Lane Gifts LLC", "US", "Columbus, Ohio"),
        ),
        goods=[
            goods("Plush dolls of the LABUBU character", "950300", "toys", 1200, "9600.00"),
            goods(
                "Phone cases printed with LABUBU", "392690", "mobile_electronics", 800, "4000.00"
            ),
        ],
    ),
    Case(  # detention requested; the cash bond is still to be paid in
        holder="A",
        port="Shekou",
        start=3,
        by="holder.a",
        rights=("popmart",),
        shipment=ship(
            "530420260004410982",
            "export general_trade sea CN>BR",
            party("Shenzhen Haoyun Toys Co., Ltd.", "CN", "Longgang, Shenzhen"),
            party("Brinquedos Estrela do Sul Ltda.", "BR", "Santos, SP"),
        ),
        goods=[goods("Blind-box figures bearing POP MART", "950300", "toys", 8000, "64000.00")],
        story=[(EX.request_detention, 1, bond("cash", "SZ-CASH-2026-0502"))],
    ),
    Case(  # detained: the investigation is running (R16)
        holder="A",
        port="Beilun",
        start=9,
        rights=("labubu",),
        shipment=ship(
            "310420260003378120",
            "export market_procurement rail CN>KZ",
            party("Yiwu Jinxiu Commodities Firm", "CN", "International Trade City, Yiwu"),
            party("Almaty Bazaar Trade LLP", "KZ", "Almaty"),
        ),
        goods=[
            goods("Plush pendants of the LABUBU character", "950300", "toys", 12000, "54000.00"),
            goods(
                "Children's backpacks printed with LABUBU",
                "420292",
                "leather_goods",
                2000,
                "32000.00",
            ),
        ],
        story=[
            (EX.request_detention, 1, bond("guarantee", "CMB-BJ-G-2026-0311")),
            (EX.detain, 2),
        ],
    ),
    Case(  # determined infringing, referred to public security (referral pending)
        holder="A",
        port="Yantian",
        start=22,
        rights=("popmart",),
        shipment=ship(
            "531620260005512004",
            "export general_trade sea CN>MX",
            party("Dongguan Qiyue Plastic Products Co., Ltd.", "CN", "Humen, Dongguan"),
            party("Juguetes del Pacifico S.A. de C.V.", "MX", "Manzanillo, Colima"),
        ),
        goods=[
            goods("Figures and blind boxes bearing POP MART", "950300", "toys", 15000, "150000.00")
        ],
        story=[
            (EX.request_detention, 1, bond("guarantee", "CMB-BJ-G-2026-0288")),
            (EX.detain, 2),
            (EX.determine_infringing, 18),
            (
                "refer",
                19,
                {
                    "organ": "Shenzhen Municipal Public Security Bureau, Yantian Branch",
                    "grounds": "Counterfeit registered trademark on 15,000 items worth "
                    "CNY 150,000; the same consignor was caught in 2025.",
                },
            ),
        ],
    ),
    Case(  # undetermined: the court order window (R17) is open
        holder="A",
        port="Meishan",
        start=32,
        rights=("labubu",),
        shipment=ship(
            "310720260003307719",
            "export general_trade sea CN>CL",
            party("Ningbo Fenghe Crafts Co., Ltd.", "CN", "Beilun, Ningbo"),
            party("Importadora Los Andes SpA", "CL", "Valparaiso"),
        ),
        goods=[
            goods(
                "Vinyl figures resembling the LABUBU character", "950300", "toys", 6000, "72000.00"
            )
        ],
        story=[
            (EX.request_detention, 1, bond("guarantee", "CMB-BJ-G-2026-0254")),
            (EX.detain, 2),
            (
                "statement",
                15,
                {
                    "statement": "The figures are an original design ('Little Monster') with a "
                    "different face and ears; design sketches of 2021 attached."
                },
            ),
            (EX.determine_undetermined, 28),
        ],
    ),
    Case(  # confiscated without penalty: first minor violation (R24, R26)
        holder="A",
        port="Luohu",
        start=30,
        by="holder.a",
        rights=("labubu",),
        shipment=ship(
            "LUOHU-PAX-0417",
            "export passenger_luggage on_foot CN>HK",
            party("Chen Xiaoling (traveller)", "CN", "Luohu, Shenzhen"),
            party("Chen Xiaoling (traveller)", "HK", "Mong Kok, Kowloon"),
            consignor_id_number="Passport E1234****",
        ),
        goods=[
            goods(
                "Plush dolls resembling LABUBU, in two suitcases", "950300", "toys", 60, "2400.00"
            )
        ],
        story=[
            (EX.request_detention, 1, bond("cash", "SZ-CASH-2026-0417")),
            (EX.detain, 1),
            (EX.determine_infringing, 10, {"exceeds_personal_quantity": True}),
            (
                EX.confiscate,
                12,
                {
                    "decision_served": True,
                    "penalty_tier": "none",
                    "no_penalty_criterion": "first-minor",
                },
            ),
        ],
    ),
    Case(  # disposed of by paid transfer to the holder; costs paid
        holder="A",
        port="Meishan",
        start=75,
        rights=("popmart",),
        shipment=ship(
            "310720260002206613",
            "export market_procurement sea CN>GH",
            party("Yiwu Hongda Toys Firm", "CN", "International Trade City, Yiwu"),
            party("Accra Kids World Ltd", "GH", "Makola, Accra"),
        ),
        goods=[
            goods("Mini figures bearing POP MART", "950300", "toys", 20000, "48000.00"),
            goods("Keyrings bearing POP MART", "732690", "daily_necessities", 6000, "12000.00"),
        ],
        story=[
            (EX.request_detention, 1, bond("guarantee", "CMB-BJ-G-2026-0120")),
            (EX.detain, 2),
            (EX.determine_infringing, 20),
            (
                EX.confiscate,
                26,
                {"decision_served": True, "penalty_tier": "lighter", "penalty_fine": "4500.00"},
            ),
            (
                EX.dispose,
                40,
                {
                    "disposal_method": "transfer_to_holder",
                    "reason": "Toys are not accepted for public welfare use; the holder bought the "
                    "goods for its recycling programme.",
                },
            ),
            ("costs", 41, {"cost_kind": "storage", "amount": "3120.00"}),
            ("pay", 45, {"amount": "3120.00"}),
        ],
    ),
    Case(  # court ordered (R17): the holder sued in time
        holder="A",
        port="Shekou",
        start="2025-03-10",
        rights=("popmart",),
        shipment=ship(
            "530420250001203345",
            "export general_trade sea CN>RU",
            party("Shantou Chenghai Lefun Toys Co., Ltd.", "CN", "Chenghai, Shantou"),
            party("OOO Igrushki Vostok", "RU", "Vladivostok"),
        ),
        goods=[goods("Figures in boxes marked POP MART", "950300", "toys", 9000, "81000.00")],
        story=[
            (EX.request_detention, 2, bond("guarantee", "CMB-BJ-G-2025-0077")),
            (EX.detain, 3),
            (EX.determine_undetermined, 25),
            (
                EX.receive_court_notice,
                40,
                {"court": "Shenzhen Intermediate People's Court, (2025)粤03民初4417号"},
            ),
        ],
    ),
    Case(  # released: the holder declined (genuine goods, parallel export)
        holder="A",
        port="Huanggang",
        start="2025-06-16",
        by="holder.a",
        rights=("labubu",),
        shipment=ship(
            "532020250002781450",
            "export express road CN>HK",
            party("Shenzhen Xunjie Supply Chain Co., Ltd.", "CN", "Futian, Shenzhen"),
            party("Kowloon Toy Mart Ltd", "HK", "Nathan Road, Kowloon"),
        ),
        goods=[goods("LABUBU vinyl plush figures", "950300", "toys", 300, "29700.00")],
        story=[
            (
                EX.decline,
                2,
                {
                    "reason": "Genuine goods bought from our authorised distributor; we do not "
                    "oppose this export."
                },
            ),
        ],
    ),
    Case(  # closed: not infringing (licensed maker); storage deducted from the bond
        holder="A",
        port="Meishan",
        start="2025-04-07",
        rights=("popmart",),
        shipment=ship(
            "310720250001450021",
            "export general_trade sea CN>DE",
            party("Ningbo Mingyang Plastics Co., Ltd.", "CN", "Beilun, Ningbo"),
            party("Spielwaren Nord GmbH", "DE", "Hamburg"),
        ),
        goods=[goods("Collectible figures bearing POP MART", "950300", "toys", 4000, "48000.00")],
        story=[
            (EX.request_detention, 2, bond("cash", "NB-CASH-2025-0408")),
            (EX.detain, 3),
            (
                "statement",
                8,
                {
                    "statement": "Made under the holder's manufacturing licence PM-OEM-2024-031 "
                    "for its German distributor; licence and order attached."
                },
            ),
            (
                EX.determine_not_infringing,
                12,
                {"reason": "The consignor proved the goods were made under the holder's licence."},
            ),
            ("costs", 13, {"cost_kind": "storage", "amount": "2150.00"}),
            (EX.close, 45),  # R28: after the consignor's 30 working days
        ],
    ),
    Case(  # closed: the holder withdrew after settling; costs paid
        holder="A",
        port="Yantian",
        start="2025-09-01",
        rights=("labubu",),
        shipment=ship(
            "531620250003365208",
            "export cross_border_ecommerce sea CN>AE",
            party("Shenzhen Yibai E-commerce Co., Ltd.", "CN", "Longhua, Shenzhen"),
            party("Gulf Click Retail FZE", "AE", "Jebel Ali Free Zone"),
        ),
        goods=[goods("Plush keychains resembling LABUBU", "950300", "toys", 5000, "35000.00")],
        story=[
            (EX.request_detention, 1, bond("guarantee", "CMB-BJ-G-2025-0262")),
            (EX.detain, 2),
            ("costs", 6, {"cost_kind": "custody", "amount": "860.00"}),
            ("pay", 8, {"amount": "860.00"}),
            (
                EX.withdraw,
                9,
                {
                    "reason": "Settled: the exporter destroys the goods under our supervision and "
                    "undertakes not to trade in them again."
                },
            ),
            (EX.close, 42),  # R28: after the consignor's 30 working days
        ],
    ),
    # On application (R18, R19).
    Case(  # applied: an unrecorded trademark, described
        holder="A",
        port="Yantian",
        start=1,
        application={
            "ip_kind": "trademark",
            "right_description": "DIMOO (word), trademark reg. no. 51234567, class 28",
            "right_registration_number": "51234567",
            "evidence": "Test purchase from the exporter's online shop; photos and invoice.",
            "expected_arrival": "Yantian, container TGHU 8812345, vessel COSCO Aries, "
            "departing within the week",
            "bond_form": "cash",
        },
        shipment=ship(
            "531620261000770341",
            "export general_trade sea CN>US",
            party("Shantou Jiale Toys Co., Ltd.", "CN", "Chenghai, Shantou"),
            party("Coastline Novelty Inc.", "US", "Long Beach, California"),
        ),
        goods=[goods("Figures bearing DIMOO", "950300", "toys", 3000, "27000.00")],
    ),
    Case(  # detained on application: a court order is due within 20 working days
        holder="A",
        port="Ningbo Lishe Airport",
        start=6,
        rights=("labubu",),
        application={
            "evidence": "Seller's listing and chat records offering LABUBU copies for export.",
            "expected_arrival": "Ningbo Lishe airport, express consolidation, this week",
            "bond_form": "cash",
        },
        shipment=ship(
            "311820261000660217",
            "export express air CN>DE",
            party("Ningbo Feiyi Trading Co., Ltd.", "CN", "Jiangbei, Ningbo"),
            party("Trendbox Versand GmbH", "DE", "Leipzig"),
        ),
        goods=[goods("Plush figures resembling LABUBU", "950300", "toys", 900, "18900.00")],
        story=[(EX.detain, 2, {"bond_reference": "NB-CASH-2026-1102"})],
    ),
    Case(  # court ordered on application
        holder="A",
        port="Meishan",
        start="2025-08-04",
        rights=("popmart",),
        application={
            "ip_kind": "trademark",
            "right_description": "POP MART (word and device), trademark reg. no. 16543210",
            "right_registration_number": "16543210",
            "evidence": "Investigator's report on the factory and the booking of the container.",
            "expected_arrival": "Meishan, container MRKU 5566778, mid-August",
            "bond_form": "guarantee",
        },
        shipment=ship(
            "310720250002904416",
            "export general_trade sea CN>UZ",
            party("Jinhua Baile Crafts Co., Ltd.", "CN", "Jinhua, Zhejiang"),
            party("Tashkent Toy House LLC", "UZ", "Tashkent"),
        ),
        goods=[goods("Blind boxes marked POP MART", "950300", "toys", 7000, "56000.00")],
        story=[
            (EX.detain, 3, {"bond_reference": "CMB-BJ-G-2025-0190"}),
            (
                EX.receive_court_notice,
                15,
                {"court": "Ningbo Intermediate People's Court, (2025)浙02民初2281号"},
            ),
        ],
    ),
    Case(  # released: no court notice within 20 working days (R19)
        holder="A",
        port="Meishan",
        start="2025-05-06",
        rights=("labubu",),
        application={
            "evidence": "Photos of the goods at the consolidator's warehouse.",
            "expected_arrival": "Meishan, early May, vessel MSC Lagos",
            "bond_form": "cash",
        },
        shipment=ship(
            "310720250001770905",
            "export market_procurement sea CN>NG",
            party("Yiwu Sanhe Trading Firm", "CN", "International Trade City, Yiwu"),
            party("Lagos Toys Ltd", "NG", "12 Marina, Lagos"),
        ),
        goods=[goods("Plush toys resembling LABUBU", "950300", "toys", 4000, "22000.00")],
        story=[
            (EX.detain, 2, {"bond_reference": "NB-CASH-2025-0507"}),
            (EX.release, 23, {"reason": "No court assistance notice within 20 working days."}),
        ],
    ),
    Case(  # rejected: incomplete evidence (R18)
        holder="A",
        port="Futian",
        start="2025-09-15",
        by="holder.a",
        rights=("labubu",),
        application={
            "evidence": "Photos taken at a trade fair.",
            "expected_arrival": "Futian, by truck, late September",
            "bond_form": "cash",
        },
        shipment=ship(
            "530320250003120087",
            "export general_trade road CN>HK",
            party("Shenzhen Leyou Trading Co., Ltd.", "CN", "Futian, Shenzhen"),
            party("Harbour Gifts Trading Ltd", "HK", "Sheung Wan"),
        ),
        goods=[goods("Figures resembling LABUBU", "950300", "toys", 2000, "16000.00")],
        story=[
            (
                APP.reject,
                2,
                {
                    "reason": "The evidence does not link the goods to this shipment; resubmit "
                    "with the consignor's declaration details (R18)."
                },
            ),
        ],
    ),
    Case(  # closed: released on the consignor's evidence; custody deducted from the bond
        holder="A",
        port="Shekou",
        start="2025-03-03",
        rights=("labubu",),
        application={
            "evidence": "Customer complaint and the seller's catalogue.",
            "expected_arrival": "Shekou, first week of March, vessel CMA CGM Jeddah",
            "bond_form": "guarantee",
        },
        shipment=ship(
            "530420250000610455",
            "export general_trade sea CN>SA",
            party("Guangzhou Meiqi Gifts Co., Ltd.", "CN", "Baiyun, Guangzhou"),
            party("Riyadh Family Stores Co.", "SA", "Riyadh"),
        ),
        goods=[goods("Monster-themed plush toys", "950300", "toys", 2500, "26500.00")],
        story=[
            (EX.detain, 2, {"bond_reference": "CMB-BJ-G-2025-0042"}),
            (
                "statement",
                6,
                {
                    "statement": "Own design registered as copyright 国作登字-2022-F-00011111; "
                    "certificate attached."
                },
            ),
            (
                EX.release_on_evidence,
                8,
                {"reason": "The consignor's own registered design; no copying of LABUBU."},
            ),
            ("costs", 9, {"cost_kind": "custody", "amount": "420.00"}),
            (EX.close, 40),  # R28: after the consignor's 30 working days
        ],
    ),
]

# --- Holder B: Nordkap Outdoor AG (NORDKAP Madrid marks, classes 25 and 18) ---------------

JACKETS = ("Outdoor jackets bearing NORDKAP", "620193", "apparel")
BOOTS = ("Hiking boots bearing NORDKAP", "640391", "footwear")
BAGS = ("Backpacks bearing NORDKAP", "420292", "leather_goods")

HOLDER_B = [
    Case(  # notified
        holder="B",
        port="Shenzhen Bao'an Airport",
        start=2,
        rights=("nordkap25",),
        shipment=ship(
            "534520261000881206",
            "export express air CN>DE",
            party("Shenzhen Sutong Express Co., Ltd.", "CN", "Bao'an, Shenzhen"),
            party("Bergsport Direkt GmbH", "DE", "Munich"),
        ),
        goods=[goods(*JACKETS, 350, "42000.00")],
    ),
    Case(  # detention requested, drawn on the general bond (R15)
        holder="B",
        port="Meishan",
        start=2,
        rights=("nordkap25", "nordkap18"),
        shipment=ship(
            "310720261000915530",
            "export general_trade sea CN>NG",
            party("Ningbo Haitong Garments Co., Ltd.", "CN", "Yinzhou, Ningbo"),
            party("Kano Outdoor Supplies Ltd", "NG", "Kano"),
        ),
        goods=[
            goods(*JACKETS, 6000, "90000.00", right="nordkap25"),
            goods(*BAGS, 3000, "30000.00", right="nordkap18"),
        ],
        story=[(EX.request_detention, 1, GENERAL_BOND)],
    ),
    Case(  # detained on the general bond
        holder="B",
        port="Yantian",
        start=9,
        rights=("nordkap18",),
        shipment=ship(
            "531620261000640178",
            "export market_procurement sea CN>AE",
            party("Guangzhou Baiyun Leather Market Trading Co.", "CN", "Baiyun, Guangzhou"),
            party("Desert Trail Trading LLC", "AE", "Sharjah"),
        ),
        goods=[goods(*BAGS, 10000, "100000.00")],
        story=[(EX.request_detention, 1, GENERAL_BOND), (EX.detain, 2)],
    ),
    Case(  # determined infringing
        holder="B",
        port="Shekou",
        start=24,
        rights=("nordkap25",),
        shipment=ship(
            "530420261000530094",
            "export cross_border_ecommerce sea CN>BR",
            party("Shenzhen Trailmax E-commerce Co., Ltd.", "CN", "Nanshan, Shenzhen"),
            party("Aventura Outdoor Comercio Ltda.", "BR", "Sao Paulo"),
        ),
        goods=[goods(*BOOTS, 2400, "168000.00", unit="pairs")],
        story=[
            (EX.request_detention, 2, bond("guarantee", "UBS-ZH-G-2026-5521")),
            (EX.detain, 3),
            (EX.determine_infringing, 15),
        ],
    ),
    Case(  # undetermined after the consignor's statement
        holder="B",
        port="Beilun",
        start=34,
        rights=("nordkap25",),
        shipment=ship(
            "310420261000480326",
            "export general_trade sea CN>TR",
            party("Cixi Snowpeak Apparel Co., Ltd.", "CN", "Cixi, Ningbo"),
            party("Anadolu Outdoor Tekstil A.S.", "TR", "Istanbul"),
        ),
        goods=[
            goods(
                "Softshell jackets with a compass logo and NORDKAP",
                "620193",
                "apparel",
                5000,
                "95000.00",
            )
        ],
        story=[
            (EX.request_detention, 1, bond("guarantee", "UBS-ZH-G-2026-5410")),
            (EX.detain, 2),
            (
                "statement",
                10,
                {
                    "statement": "Overrun of a 2024 order placed by the holder's former licensee; "
                    "purchase order attached."
                },
            ),
            (EX.determine_undetermined, 29),
        ],
    ),
    Case(  # court ordered (import)
        holder="B",
        port="Meishan",
        start="2025-02-17",
        rights=("nordkap18",),
        shipment=ship(
            "310720250110220431",
            "import general_trade sea TR>CN",
            party("Bosphorus Bag Export Ltd. Sti.", "TR", "Istanbul"),
            party("Ningbo Xinghai Trading Co., Ltd.", "CN", "Yinzhou, Ningbo"),
        ),
        goods=[goods(*BAGS, 4000, "88000.00")],
        story=[
            (EX.request_detention, 1, bond("guarantee", "UBS-ZH-G-2025-3102")),
            (EX.detain, 2),
            (EX.determine_undetermined, 27),
            (
                EX.receive_court_notice,
                40,
                {"court": "Ningbo Intermediate People's Court, (2025)浙02民初0871号"},
            ),
        ],
    ),
    Case(  # confiscated with a heavier fine; referral declined; storage awaiting payment
        holder="B",
        port="Yantian",
        start=45,
        rights=("nordkap25",),
        shipment=ship(
            "531620261000350612",
            "export general_trade sea CN>KE",
            party("Shishi Fengda Garments Co., Ltd.", "CN", "Shishi, Fujian"),
            party("Nairobi Outfitters Ltd", "KE", "Mombasa Road, Nairobi"),
        ),
        goods=[
            goods(*JACKETS, 8000, "96000.00"),
            goods("Caps bearing NORDKAP", "650500", "apparel", 4000, "12000.00"),
        ],
        story=[
            (EX.request_detention, 1, bond("guarantee", "UBS-ZH-G-2026-5302")),
            (EX.detain, 2),
            (EX.determine_infringing, 20),
            (
                "refer",
                21,
                {
                    "organ": "Shenzhen Municipal Public Security Bureau, Yantian Branch",
                    "grounds": "12,000 counterfeit items; the consignor declared no IP status.",
                },
            ),
            (
                EX.confiscate,
                25,
                {
                    "penalty_tier": "heavier",
                    "penalty_fine": "25000.00",
                    "undeclared_ip_fine": "10000.00",
                },
            ),
            (
                REF.decline,
                30,
                {"reason": "Illegal business volume below the prosecution threshold."},
            ),
            ("costs", 40, {"cost_kind": "storage", "amount": "3360.00"}),
        ],
    ),
    Case(  # disposed of by donation; referral returned; costs paid
        holder="B",
        port="Meishan",
        start=70,
        rights=("nordkap25",),
        shipment=ship(
            "310720261000205577",
            "export market_procurement sea CN>GH",
            party("Yiwu Tianyu Garments Firm", "CN", "International Trade City, Yiwu"),
            party("Kumasi Wear Ltd", "GH", "Kumasi"),
        ),
        goods=[goods("Fleece jackets bearing NORDKAP", "620293", "apparel", 3000, "45000.00")],
        story=[
            (EX.request_detention, 1, bond("guarantee", "UBS-ZH-G-2026-5120")),
            (EX.detain, 2),
            (EX.determine_infringing, 18),
            (
                "refer",
                19,
                {
                    "organ": "Ningbo Municipal Public Security Bureau, Beilun Branch",
                    "grounds": "Repeated export of counterfeit NORDKAP apparel by the same firm.",
                },
            ),
            (EX.confiscate, 22, {"decision_served": True, "penalty_tier": "mitigated"}),
            (
                REFERRAL_RETURNED,
                35,
                {
                    "reason": "The consignor's knowledge of the counterfeit is not established; "
                    "returned for administrative handling."
                },
            ),
            (EX.dispose, 35, {"disposal_method": "donation"}),
            ("costs", 36, {"cost_kind": "storage", "amount": "1890.00"}),
            ("costs", 36, {"cost_kind": "disposal", "amount": "600.00"}),
            ("pay", 40, {"amount": "2490.00"}),
        ],
    ),
    Case(  # released: no reply within 3 working days (R12)
        holder="B",
        port="Shenzhen Bao'an Airport",
        start="2025-07-14",
        rights=("nordkap25",),
        shipment=ship(
            "EMS-LX204518336CN",
            "export postal post CN>US",
            party("Li Wei (private sender)", "CN", "Bao'an, Shenzhen"),
            party("Kevin Park", "US", "Seattle, Washington"),
        ),
        goods=[goods(*JACKETS, 4, "2400.00")],
        story=[(EX.release, 4, {"reason": "No reply to the notice within 3 working days."})],
    ),
    Case(  # closed on the general bond: not infringing, the guarantor pays the costs
        holder="B",
        port="Shekou",
        start=60,
        rights=("nordkap25",),
        shipment=ship(
            "530420261000270845",
            "export general_trade sea CN>US",
            party("Dongguan Alpine Apparel Co., Ltd.", "CN", "Dongguan"),
            party("Northbound Outfitters Inc.", "US", "Portland, Oregon"),
        ),
        goods=[goods(*JACKETS, 3000, "100000.00")],
        story=[
            (EX.request_detention, 1, GENERAL_BOND),
            (EX.detain, 1),
            (
                "statement",
                6,
                {"statement": "Made for the holder's US distributor under licence NK-US-2025-07."},
            ),
            (
                EX.determine_not_infringing,
                12,
                {"reason": "Licensed production for the holder's distributor."},
            ),
            ("costs", 13, {"cost_kind": "storage", "amount": "1980.00"}),
            # R28: after the consignor's window, if a case bond stood in for the general one
            (EX.close, 45),
        ],
    ),
    Case(  # closed: confiscated, auctioned without the marks, costs part paid
        holder="B",
        port="Yantian",
        start="2025-03-17",
        rights=("nordkap18",),
        shipment=ship(
            "531620250001120963",
            "export general_trade sea CN>SA",
            party("Quanzhou Tianli Bags Co., Ltd.", "CN", "Quanzhou, Fujian"),
            party("Jeddah Travel Goods Est.", "SA", "Jeddah"),
        ),
        goods=[goods(*BAGS, 23000, "230000.00")],
        story=[
            (EX.request_detention, 2, bond("guarantee", "UBS-ZH-G-2025-3188")),
            (EX.detain, 3),
            (EX.determine_infringing, 20),
            (
                EX.confiscate,
                26,
                {"decision_served": True, "penalty_tier": "general", "penalty_fine": "30000.00"},
            ),
            (
                EX.dispose,
                45,
                {
                    "disposal_method": "auction",
                    "features_removed": True,
                    "holder_consulted": True,
                    "reason": "No welfare use for 23,000 backpacks and the holder declined a paid "
                    "transfer; sold with the marks cut out.",
                },
            ),
            ("costs", 46, {"cost_kind": "storage", "amount": "9640.00"}),
            ("costs", 46, {"cost_kind": "disposal", "amount": "2300.00"}),
            ("pay", 50, {"amount": "5000.00"}),
            (EX.close, 60),
        ],
    ),
    # On application (R18, R19).
    Case(  # applied: a patent whose recordal is still pending
        holder="B",
        port="Shekou",
        start=2,
        application={
            "ip_kind": "patent",
            "right_description": "Utility model ZL202220123456.1, shock-absorbing hiking "
            "boot sole (recordal pending)",
            "right_registration_number": "ZL202220123456.1",
            "evidence": "Teardown report of a sample sole bought from the exporter.",
            "expected_arrival": "Shekou, container CSNU 6123456, next sailing to Gdansk",
            "bond_form": "guarantee",
        },
        shipment=ship(
            "530420261000990012",
            "export general_trade sea CN>PL",
            party("Jinjiang Stride Footwear Co., Ltd.", "CN", "Jinjiang, Fujian"),
            party("Gorski Sport Sp. z o.o.", "PL", "Gdansk"),
        ),
        goods=[
            goods(
                "Hiking boots with a cushioned sole",
                "640391",
                "footwear",
                1800,
                "108000.00",
                unit="pairs",
            )
        ],
    ),
    Case(  # detained on application
        holder="B",
        port="Ningbo Lishe Airport",
        start=7,
        rights=("nordkap25",),
        application={
            "evidence": "Marketplace listings of the consignee selling 'NORDKAP' jackets "
            "below cost.",
            "expected_arrival": "Ningbo Lishe airport, express, this week",
            "bond_form": "cash",
        },
        shipment=ship(
            "311820261000720459",
            "export express air CN>US",
            party("Ningbo Jiahe Apparel Co., Ltd.", "CN", "Haishu, Ningbo"),
            party("Summit Deals LLC", "US", "Newark, New Jersey"),
        ),
        goods=[goods(*JACKETS, 600, "36000.00")],
        story=[(EX.detain, 2, {"bond_reference": "NB-CASH-2026-1097"})],
    ),
    Case(  # court ordered on application
        holder="B",
        port="Huanggang",
        start="2025-10-13",
        rights=("nordkap18",),
        application={
            "evidence": "Investigator's test purchase and the consignee's price list.",
            "expected_arrival": "Huanggang, by truck, mid-October",
            "bond_form": "guarantee",
        },
        shipment=ship(
            "532020250004011876",
            "export general_trade road CN>HK",
            party("Shenzhen Luxing Bags Co., Ltd.", "CN", "Longgang, Shenzhen"),
            party("Peak Travel Goods (HK) Ltd", "HK", "Kwun Tong"),
        ),
        goods=[goods(*BAGS, 1500, "45000.00")],
        story=[
            (EX.detain, 2, {"bond_reference": "UBS-ZH-G-2025-3920"}),
            (
                EX.receive_court_notice,
                12,
                {"court": "Shenzhen Intermediate People's Court, (2025)粤03民初9120号"},
            ),
        ],
    ),
    Case(  # released against the consignor's counter-bond (R21, patents only)
        holder="B",
        port="Meishan",
        start="2025-06-09",
        application={
            "ip_kind": "patent",
            "right_description": "Utility model ZL202220123456.1, shock-absorbing hiking boot sole",
            "right_registration_number": "ZL202220123456.1",
            "evidence": "Comparison of the sole's cross-section with claim 1.",
            "expected_arrival": "Meishan, mid-June, vessel Maersk Kolkata",
            "bond_form": "guarantee",
        },
        shipment=ship(
            "310720250002060338",
            "export general_trade sea CN>DE",
            party("Wenzhou Yuefeng Shoes Co., Ltd.", "CN", "Lucheng, Wenzhou"),
            party("Alpenweg Schuhhandel GmbH", "DE", "Stuttgart"),
        ),
        goods=[
            goods(
                "Trekking shoes with an air-cell sole",
                "640399",
                "footwear",
                2000,
                "64000.00",
                unit="pairs",
            )
        ],
        story=[
            (EX.detain, 2, {"bond_reference": "UBS-ZH-G-2025-3350"}),
            (
                EX.release_on_counter_bond,
                7,
                {"counter_bond_amount": "64000.00", "reference": "ABC-WZ-CB-2025-118"},
            ),
            (  # R21: in time, so the deposit waited for the court
                EX.record_suit,
                21,
                {
                    "court": "Ningbo Intermediate People's Court",
                    "court_case_number": "(2025)浙02知民初311号",
                },
            ),
            (
                EX.record_judgment,
                "2025-12-15",
                {
                    "court_reference": "(2025)浙02知民初311号 judgment of 2025-12-12",
                    "paid_out": "9600.00",
                    "reason": "The court found the sole infringing and awarded the holder "
                    "CNY 9,600 from the deposit; the rest goes back to the consignor.",
                },
            ),
        ],
    ),
    Case(  # released on a counter-bond; the holder's lawsuit is before the court (R21)
        holder="B",
        port="Beilun",
        start="2026-03-09",
        application={
            "ip_kind": "patent",
            "right_description": "Design patent ZL202330456789.2, trail-running shoe upper",
            "right_registration_number": "ZL202330456789.2",
            "evidence": "Side-by-side photos of the upper and the registered design.",
            "expected_arrival": "Beilun, mid-March, vessel CMA CGM Tage",
            "bond_form": "cash",
        },
        shipment=ship(
            "310420260000870215",
            "export general_trade sea CN>FR",
            party("Putian Jiayue Footwear Co., Ltd.", "CN", "Licheng, Putian"),
            party("Trail & Cime SARL", "FR", "Annecy"),
        ),
        goods=[goods("Trail-running shoes", "640411", "footwear", 1200, "43200.00", unit="pairs")],
        story=[
            (EX.detain, 2, {"bond_reference": "NB-CASH-2026-0311"}),
            (
                EX.release_on_counter_bond,
                6,
                {"counter_bond_amount": "43200.00", "reference": "BOC-PT-CB-2026-009"},
            ),
            (
                EX.record_suit,
                18,
                {
                    "court": "Ningbo Intermediate People's Court",
                    "court_case_number": "(2026)浙02知民初088号",
                },
            ),
        ],
    ),
    Case(  # released on a counter-bond; the deposit waits for the court filing period (R21)
        holder="B",
        port="Shekou",
        start=16,
        application={
            "ip_kind": "patent",
            "right_description": "Utility model ZL202220123456.1, shock-absorbing hiking boot sole",
            "right_registration_number": "ZL202220123456.1",
            "evidence": "Sole cross-section compared with claim 1; supplier's catalogue.",
            "expected_arrival": "Shekou, container MSKU 7781204, sailing to Rotterdam",
            "bond_form": "cash",
        },
        shipment=ship(
            "530420261001120457",
            "export general_trade sea CN>NL",
            party("Quanzhou Fengda Sports Goods Co., Ltd.", "CN", "Jinjiang, Quanzhou"),
            party("Lowlands Outdoor B.V.", "NL", "Rotterdam"),
        ),
        goods=[
            goods(
                "Hiking shoes with a cushioned sole",
                "640399",
                "footwear",
                1500,
                "52500.00",
                unit="pairs",
            )
        ],
        story=[
            (EX.detain, 2, {"bond_reference": "SZ-CASH-2026-0561"}),
            (
                EX.release_on_counter_bond,
                7,
                {"counter_bond_amount": "52500.00", "reference": "CCB-QZ-CB-2026-027"},
            ),
        ],
    ),
    Case(  # rejected: no right protected in China (R18)
        holder="B",
        port="Futian",
        start="2025-11-03",
        application={
            "ip_kind": "trademark",
            "right_description": "NORDKAP (word), class 9 smartwatches",
            "evidence": "Photos of the watches.",
            "expected_arrival": "Futian, by truck, November",
            "bond_form": "cash",
        },
        shipment=ship(
            "530320250004410190",
            "export general_trade road CN>HK",
            party("Shenzhen Zhixin Electronics Co., Ltd.", "CN", "Huaqiangbei, Shenzhen"),
            party("Wearables Asia Ltd", "HK", "Tsim Sha Tsui"),
        ),
        goods=[goods("Smartwatches marked NORDKAP", "851762", "electronics", 500, "75000.00")],
        story=[
            (
                APP.reject,
                2,
                {
                    "reason": "NORDKAP is not registered in China for class 9 goods: no protected "
                    "right is shown (R18)."
                },
            ),
        ],
    ),
    Case(  # closed: the court found no infringement; the bond compensated the consignor
        holder="B",
        port="Yantian",
        start="2025-01-06",
        rights=("nordkap25",),
        application={
            "evidence": "Expert opinion comparing the logo with the registered mark.",
            "expected_arrival": "Yantian, early January, vessel Ever Ace",
            "bond_form": "guarantee",
        },
        shipment=ship(
            "531620250000030271",
            "export general_trade sea CN>CL",
            party("Xiamen Northstar Outdoor Co., Ltd.", "CN", "Huli, Xiamen"),
            party("Patagonia Ruta Ltda.", "CL", "Puerto Montt"),
        ),
        goods=[
            goods("Rain jackets with a north-arrow logo", "620193", "apparel", 2000, "50000.00")
        ],
        story=[
            (EX.detain, 2, {"bond_reference": "UBS-ZH-G-2025-3005"}),
            (
                EX.receive_court_notice,
                15,
                {"court": "Shenzhen Intermediate People's Court, (2025)粤03民初0412号"},
            ),
            (
                "compensate",
                40,
                {
                    "amount": "18000.00",
                    "court_reference": "(2025)粤03民初0412号: no infringement; the consignor's "
                    "losses compensated",
                },
            ),
            ("costs", 41, {"cost_kind": "storage", "amount": "2760.00"}),
            ("pay", 43, {"amount": "2760.00"}),
            (EX.close, 45),
        ],
    ),
]

CASES = HOLDER_A + HOLDER_B


# --- building ---------------------------------------------------------------------------------


class _Builder:
    def __init__(self, parties: dict):
        self.parties = parties
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[*OFFICERS.values(), "holder.a", "holder.b", "agent.a", "agent.b"]
            )
        }
        self.calendar = WorkingCalendar.load()
        self.today = local_today()

    # Dates.
    def start_date(self, start: str | int) -> dt.date:
        return story_date(start, today=self.today, calendar=self.calendar)

    def step_date(self, start: dt.date, when: str | int) -> dt.date:
        if isinstance(when, str):
            return D(when)
        return self.calendar.add_working_days(start, when).date if when else start

    # Rights: those in force on the case's own date (R12), whatever their status today.
    def recordal(self, key: str, on: dt.date) -> Recordal | None:
        holder_key, number, classes = RIGHTS[key]
        candidates = Recordal.objects.in_force_on(on).filter(
            holder=self.parties["holders"][holder_key],
            registration_number=number.upper(),
            nice_classes=classes,
        )
        return candidates.order_by("-approved_on").first()

    def rights(self, case: Case, on: dt.date) -> dict[str, Recordal]:
        found = {}
        for key in case.rights:
            recordal = self.recordal(key, on)
            if recordal is not None:
                found[key] = recordal
        return found

    # Cases.
    def build(self, case: Case) -> Detention:
        start = self.start_date(case.start)
        if start > self.today:
            raise ValueError(f"{case.key}: starts in the future")
        rights = self.rights(case, start)
        recordals = list(rights.values())
        port = Port.objects.select_related("office").get(
            office__customs_code=PORTS[case.port], name_en=case.port
        )
        officer = self.users[OFFICERS[PORTS[case.port]]]
        lines = [self.line(item, rights, recordals) for item in case.goods]
        if case.application is None:
            if not recordals:
                raise ValueError(f"{case.key}: no recordal in force on {start}")
            detention = services.detention_open_ex_officio(
                actor=officer,
                office=port.office,
                port=port,
                shipment=case.shipment,
                recordals=recordals,
                goods_lines=lines,
                served_on=start,
                internal_notes=case.notes,
                notice=pdf_file("notice.pdf", "Notice of suspended release"),
            )
        else:
            application = dict(case.application)
            if recordals:
                application.pop("ip_kind", None)
                application.pop("right_description", None)
                application.pop("right_registration_number", None)
            elif "ip_kind" not in application:
                raise ValueError(f"{case.key}: describe the right or cite a recordal in force")
            detention = services.detention_apply(
                actor=self.users[self.holder_side(case)],
                holder=self.parties["holders"][case.holder],
                port=port,
                shipment=case.shipment,
                goods_lines=lines,
                recordals=recordals,
                evidence_document=pdf_file("evidence.pdf", "Evidence of infringement"),
                on=start,
                **application,
            )
        previous = start
        referral = None
        for action, when, *rest in case.story:
            on = self.step_date(start, when)
            if on < previous or on > self.today:
                raise ValueError(
                    f"{case.key}: {getattr(action, 'name', action)} on {on} is out of order"
                )
            previous = on
            data = dict(rest[0]) if rest else {}
            by = data.pop("by", "")
            detention = Detention.objects.get(pk=detention.pk)
            if action == "costs":
                self.charge(detention, officer, on, data)
            elif action == "pay":
                services.detention_record_payment(
                    actor=officer,
                    detention=detention,
                    amount=Decimal(data["amount"]),
                    reference=f"Holder's transfer {on:%Y%m%d}",
                    on=on,
                )
            elif action == "compensate":
                services.detention_compensate_consignor(
                    actor=officer,
                    detention=detention,
                    amount=Decimal(data["amount"]),
                    court_reference=data["court_reference"],
                    on=on,
                )
            elif action == "statement":
                services.detention_record_statement(
                    actor=officer,
                    detention=detention,
                    statement=data["statement"],
                    inspected_on=on,
                    on=on,
                )
            elif action == "refer":
                referral = services.referral_create(
                    actor=officer, detention=detention, referred_on=on, **data
                )
            elif action in REF.steps:
                services.referral_transition(
                    actor=officer, referral=referral, action=action, on=on, **data
                )
            else:
                self.transition(case, detention, officer, action, on, data, by)
        return detention

    @staticmethod
    def line(item: dict, rights: dict[str, Recordal], recordals: list[Recordal]) -> dict:
        """A goods line, tied to its recordal (or to the case's first one)."""
        line = dict(item)
        right = line.pop("right")
        line["recordal"] = rights.get(right) if right in rights else next(iter(recordals), None)
        return line

    def holder_side(self, case: Case, by: str = "") -> str:
        return by or case.by or ("agent.a" if case.holder == "A" else "agent.b")

    def transition(self, case, detention, officer, action, on, data, by):
        uncovered = (  # R15: no general bond covers the day; post a case bond
            action.name == EX.request_detention.name
            and data.get("bond_source") == "general_bond"
            and general_bond_covering(detention.holder_id, on) is None
        )
        if uncovered:
            data = bond("guarantee", f"UBS-ZH-G-{on:%Y}-{detention.pk:04d}")
        holder_side = "holder" in action.roles  # a filing (R13): the holder side makes it
        actor = self.users[self.holder_side(case, by) if holder_side else officer.username]
        if not holder_side:
            self.confirm_passed_provisional_dates(detention, officer, on)
        reason = data.pop("reason", "")
        title = DOCUMENTS.get(action.name)
        services.detention_transition(
            actor=actor,
            detention=detention,
            action=action,
            reason=reason,
            data=data,
            document=pdf_file(f"{action.name}.pdf", title) if title else None,
            on=on,
        )

    @staticmethod
    def confirm_passed_provisional_dates(detention, officer, on):
        """R29: in a year whose holiday notice is not out, a passed due date counts only once
        an officer confirms it; the demo's officer does, as the real one would, before
        acting on it."""
        passed = Deadline.objects.filter(
            subject_type__model="detention",
            subject_id=detention.pk,
            provisional=True,
            confirmed_at__isnull=True,
            due_date__lt=on,
        ).exclude(status=Deadline.Status.CANCELLED)
        for deadline in passed:
            deadline_services.deadline_confirm(actor=officer, deadline=deadline)

    def charge(self, detention, officer, on, data):
        period_from = period_to = None
        if data["cost_kind"] == "storage":  # R27: from detention, capped after confiscation
            period_from, period_to = detention.detained_on, on
            if detention.decision_served_on:
                period_to = min(period_to, storage_limit(detention.decision_served_on))
        services.detention_charge_costs(
            actor=officer,
            detention=detention,
            cost_kind=data["cost_kind"],
            amount=Decimal(data["amount"]),
            period_from=period_from,
            period_to=period_to,
            reference=f"{data['cost_kind'].title()} invoice {detention.number}",
            on=on,
        )


def seed(parties: dict) -> dict[str, Detention]:
    builder = _Builder(parties)
    made = {}
    built = []
    for case in CASES:
        existing = Detention.objects.filter(declaration_number=case.key).first()
        made[case.key] = existing or builder.build(case)
        if existing is None:
            built.append(made[case.key].number)
    _leave_latest_notice_unread(built)
    return made


def _leave_latest_notice_unread(numbers: list[str]) -> None:
    """Building a case's history step by step tells the other side of every step; a real
    user would have read the old ones. Keep only each user's latest notice per case unread."""
    if not numbers:
        return
    latest: dict[tuple[int, str], int] = {}
    notices = Notification.objects.filter(
        read_at__isnull=True, title__regex=r"^[0-9]{4}-[0-9]{4}-D[0-9]+:"
    ).values_list("pk", "user_id", "title")
    for pk, user_id, title in notices.order_by("pk"):
        number = title.split(":", 1)[0]
        if number in numbers:
            latest[(user_id, number)] = pk
    keep = set(latest.values())
    stale = [pk for pk, user_id, title in notices if title.split(":", 1)[0] in numbers]
    Notification.objects.filter(pk__in=[pk for pk in stale if pk not in keep]).update(
        read_at=timezone.now()
    )


LIVE_STATES = ("notified", "detention_requested", "detained", "undetermined", "applied")
LIVE_FOR = dt.timedelta(days=75)  # the oldest live case starts 45 working days back
SETTLED = ("bond_held", "costs_owed", "counter_bond_held")
# R21: a counter-bond releases goods in patent cases only; holder B shows these states.
PATENT_ONLY = {"counter_bond_held", "suit_filed"}


def check() -> list[str]:
    """What the demo promises of its cases, today: all of them are there; each holder has
    a case in every state of both workflows; live cases are recent, with their deadlines
    open and none missed; closed cases are settled to the fen (R27, R28)."""
    today = local_today()
    problems = []
    keys = {case.key for case in CASES}
    built = set(
        Detention.objects.filter(declaration_number__in=keys).values_list(
            "declaration_number", flat=True
        )
    )
    problems += [f"case {key} is missing" for key in sorted(keys - built)]
    for key, holder in accounts_demo.holders().items():
        for mode, workflow in WORKFLOWS.items():
            shown = Detention.objects.filter(holder=holder, mode=mode).values_list(
                "status", flat=True
            )
            patents = key == "B" and mode == "on_application"  # no holder records a patent
            expected = set(workflow.states) - (set() if patents else PATENT_ONLY)
            missing = expected - set(shown)
            if missing:
                problems.append(f"holder {key} has no {mode} case {', '.join(sorted(missing))}")
    for case in Detention.objects.filter(status__in=LIVE_STATES, opened_on__lt=today - LIVE_FOR):
        problems.append(f"live case {case.number} was opened on {case.opened_on}")
    deadlines = Deadline.objects.filter(subject_type__model="detention")
    for deadline in deadlines.filter(status=Deadline.Status.MISSED):
        problems.append(f"{deadline} is missed")
    for deadline in deadlines.filter(status=Deadline.Status.OPEN, due_date__lt=today):
        problems.append(f"{deadline} was due on {deadline.due_date} and is still open")
    for case in Detention.objects.filter(status="closed"):
        balance = selectors.money_balance(case)
        unsettled = [key for key in SETTLED if balance[key]]
        if unsettled:
            problems.append(f"closed case {case.number} holds {', '.join(unsettled)}")
    return problems
