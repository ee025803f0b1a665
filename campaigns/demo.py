"""Demo campaigns of 2024 (Longteng, Blue Net, Clean Net, Africa Action), their focus
regions, a "Dragon Protection" priority enterprise, and the 2024 detentions that fall
inside and outside each of them.

Idempotent: regions, campaigns and priority holders are keyed on their codes and created
only if missing (edits made in the admin survive `make run`); the 2024 cases are keyed on
their declaration numbers like those of detentions/demo.py. The rows are written with the
ORM rather than `campaign_save`, which would queue the re-tagging on Celery: the rules are
applied here, synchronously, by `campaign_retag` (set-based and safe to run twice). One
manual tag and one removed rule tag show an officer's hand; each is made only once.

The periods are illustrative: GACC announces each campaign's dates in its own notice."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from campaigns import services
from campaigns.models import Campaign, CampaignTag, PriorityHolder, Region
from detentions import demo as detentions_demo
from detentions.demo import BAGS, JACKETS, Case, bond, goods, party, ship
from detentions.models import Detention
from detentions.workflow import EX_OFFICIO_WORKFLOW as EX
from detentions.workflow import REFERRAL_WORKFLOW as REF

D = dt.date.fromisoformat

# --- regions (ISO 3166-1 alpha-2) ---------------------------------------------------------

# The 54 African member states of the United Nations. The African Union also seats the
# Sahrawi Republic (Western Sahara, EH), which is not a UN member and is left out.
AFRICA = [
    "DZ", "EG", "LY", "MA", "SD", "TN",  # North
    "BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL",
    "TG",  # West
    "AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST",  # Central
    "BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "MZ", "RW", "SC", "SO", "SS", "TZ",
    "UG",  # East
    "BW", "SZ", "LS", "NA", "ZA", "ZM", "ZW",  # Southern
]  # fmt: skip
MIDDLE_EAST = [
    "AE", "BH", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR",
    "YE",
]  # fmt: skip
# The 33 states of Latin America and the Caribbean (CELAC).
LATIN_AMERICA = [
    "AG", "AR", "BB", "BO", "BR", "BS", "BZ", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "GD",
    "GT", "GY", "HN", "HT", "JM", "KN", "LC", "MX", "NI", "PA", "PE", "PY", "SR", "SV", "TT",
    "UY", "VC", "VE",
]  # fmt: skip
# A representative selection of Belt and Road partner countries (those that signed
# cooperation documents with China), not the official list of some 150: GACC keeps the
# region's countries up to date in the admin.
BELT_AND_ROAD = [
    "KZ", "KG", "TJ", "TM", "UZ", "RU", "MN",  # Central Asia, Russia, Mongolia
    "PK", "BD", "LK", "NP", "MV", "AF",  # South Asia
    "MM", "TH", "LA", "KH", "VN", "MY", "SG", "ID", "PH", "BN", "TL",  # Southeast Asia
    "AE", "SA", "QA", "KW", "OM", "BH", "IR", "IQ", "TR",  # West Asia
    "GE", "AM", "AZ", "BY", "RS", "HU", "GR", "PL", "PT", "BG", "HR",  # Caucasus, Europe
    "EG", "NG", "KE", "ET", "ZA", "DZ", "MA", "TZ", "AO", "GH", "SN", "ZM", "ZW", "CI", "CM",
    "UG", "DJ",  # Africa
    "CL", "PE", "AR", "UY", "EC", "BO", "VE", "CU", "CR",  # Latin America
    "NZ", "FJ", "PG",  # Oceania
]  # fmt: skip
HONG_KONG_MACAO = ["HK", "MO"]

# code → (English name, Chinese name, countries)
REGIONS = {
    "africa": ("Africa", "非洲", AFRICA),
    "middle-east": ("Middle East", "中东", MIDDLE_EAST),
    "latin-america": ("Latin America and the Caribbean", "拉丁美洲和加勒比", LATIN_AMERICA),
    "belt-and-road": ("Belt and Road countries", "“一带一路”共建国家", BELT_AND_ROAD),
    "hk-mo": ("Hong Kong and Macao transit", "港澳中转", HONG_KONG_MACAO),
}

# --- the 2024 cases the campaigns count (or do not) ----------------------------------------
# detentions/demo.py holds one 2024 case, LABUBU (Meishan, November, export to the UAE);
# these add a case inside and outside each campaign, built through the same services.

POSTAL_TO_US = Case(  # Blue Net: a postal item inside its period
    holder="B",
    port="Shenzhen Bao'an Airport",
    start="2024-07-15",
    rights=("nordkap25",),
    shipment=ship(
        "EMS-LX301157249CN",
        "export postal post CN>US",
        party("Wu Jian (private sender)", "CN", "Longhua, Shenzhen"),
        party("Derek Hall", "US", "Denver, Colorado"),
    ),
    goods=[goods(*JACKETS, 30, "3600.00")],
    notes="Blue Net risk profile: branded outdoor apparel in postal items to North America.",
    story=[
        (EX.request_detention, 1, bond("cash", "SZ-CASH-2024-0716")),
        (EX.detain, 2),
        (EX.determine_infringing, 8, {"exceeds_personal_quantity": True}),
        (EX.confiscate, 10, {"penalty_tier": "mitigated"}),
        (EX.dispose, 20, {"disposal_method": "donation"}),
        ("costs", 21, {"cost_kind": "storage", "amount": "240.00"}),
        ("pay", 24, {"amount": "240.00"}),
        (EX.close, 26),
    ],
)

EXPRESS_TO_SAUDI_ARABIA = Case(  # express, before Blue Net's and Longteng's periods
    holder="A",
    port="Ningbo Lishe Airport",
    start="2024-02-19",
    rights=("popmart",),
    shipment=ship(
        "311820240000219034",
        "export express air CN>SA",
        party("Ningbo Suda Express Supply Chain Co., Ltd.", "CN", "Jiangbei, Ningbo"),
        party("Red Sea Toys Trading Est.", "SA", "Jeddah"),
    ),
    goods=[
        goods("Mini figures bearing POP MART", "950300", "toys", 1500, "9000.00"),
        goods("Keyrings bearing POP MART", "732690", "daily_necessities", 1000, "2000.00"),
    ],
    story=[
        (EX.request_detention, 1, bond("cash", "NB-CASH-2024-0220")),
        (EX.detain, 2),
        (EX.determine_infringing, 9),
        (EX.confiscate, 11, {"penalty_tier": "lighter", "penalty_fine": "800.00"}),
        (
            EX.dispose,
            20,
            {
                "disposal_method": "destruction",
                "reason": "Counterfeit figures cannot be given away, the holder declined a paid "
                "transfer and the marks are moulded into each piece.",
            },
        ),
        ("costs", 21, {"cost_kind": "storage", "amount": "380.00"}),
        ("pay", 23, {"amount": "380.00"}),
        (EX.close, 25),
    ],
)

JACKETS_TO_NIGERIA = Case(  # Africa Action; apparel, so Longteng's rule leaves it out
    holder="B",
    port="Meishan",
    start="2024-06-11",
    rights=("nordkap25",),
    shipment=ship(
        "310720240001611527",
        "export general_trade sea CN>NG",
        party("Ningbo Yongxin Garments Co., Ltd.", "CN", "Yinzhou, Ningbo"),
        party("Onitsha Fashion Hub Ltd", "NG", "Onitsha, Anambra"),
    ),
    goods=[goods(*JACKETS, 8000, "120000.00")],
    notes="The consignor is on the Longteng risk list for West Africa.",
    story=[
        (EX.request_detention, 1, bond("guarantee", "UBS-ZH-G-2024-2211")),
        (EX.detain, 2),
        (EX.determine_infringing, 18),
        (EX.confiscate, 22, {"penalty_tier": "general", "penalty_fine": "18000.00"}),
        (EX.dispose, 35, {"disposal_method": "donation"}),
        ("costs", 36, {"cost_kind": "storage", "amount": "4200.00"}),
        ("pay", 40, {"amount": "4200.00"}),
        (EX.close, 42),
    ],
)

PHONE_CASES_TO_EGYPT = Case(  # Longteng (a priority enterprise) and Africa Action
    holder="A",
    port="Shekou",
    start="2024-09-09",
    rights=("labubu",),
    shipment=ship(
        "530420240003090118",
        "export general_trade sea CN>EG",
        party("Shenzhen Huaqiang Mobile Accessories Co., Ltd.", "CN", "Futian, Shenzhen"),
        party("Cairo Mobile Bazaar Co.", "EG", "Nasr City, Cairo"),
    ),
    goods=[
        goods(
            "Phone cases printed with the LABUBU character",
            "392690",
            "mobile_electronics",
            20000,
            "60000.00",
        ),
        goods("Power banks with LABUBU figures", "850760", "mobile_electronics", 3000, "45000.00"),
    ],
    notes="Longteng: mobile electronics to North Africa; the holder is a Dragon Protection "
    "priority enterprise.",
    story=[
        (EX.request_detention, 1, bond("guarantee", "CMB-BJ-G-2024-0903")),
        (EX.detain, 2),
        (EX.determine_infringing, 16),
        (
            "refer",
            17,
            {
                "organ": "Shenzhen Municipal Public Security Bureau, Nanshan Branch",
                "grounds": "Copyright infringement for profit on 23,000 items worth "
                "CNY 105,000; the consignor supplies several Cairo wholesalers.",
            },
        ),
        (EX.confiscate, 20, {"penalty_tier": "heavier", "penalty_fine": "26250.00"}),
        (REF.accept, 24, {"police_case_number": "深公(经)立字〔2024〕2088号"}),
        (
            EX.dispose,
            35,
            {
                "disposal_method": "destruction",
                "reason": "Batteries and printed cases cannot be stripped of the character; "
                "the holder declined a paid transfer.",
            },
        ),
        ("costs", 36, {"cost_kind": "storage", "amount": "5600.00"}),
        ("costs", 36, {"cost_kind": "disposal", "amount": "1900.00"}),
        ("pay", 40, {"amount": "7500.00"}),
        (EX.close, 45),
    ],
)

IMPORT_FROM_EGYPT = Case(  # an import: no export campaign counts it
    holder="B",
    port="Yantian",
    start="2024-08-19",
    rights=("nordkap25",),
    shipment=ship(
        "531620240108190264",
        "import general_trade sea EG>CN",
        party("Delta Cotton Mills S.A.E.", "EG", "10th of Ramadan City"),
        party("Shenzhen Qianhai Brand Import Co., Ltd.", "CN", "Qianhai, Shenzhen"),
    ),
    goods=[goods("Cotton T-shirts bearing NORDKAP", "610910", "apparel", 6000, "42000.00")],
    story=[
        (EX.request_detention, 1, bond("guarantee", "UBS-ZH-G-2024-2530")),
        (EX.detain, 2),
        (
            "statement",
            7,
            {
                "statement": "Made by the holder's licensed manufacturer in Egypt; licence "
                "NK-EG-2023-02 and the invoices attached."
            },
        ),
        (
            EX.determine_not_infringing,
            12,
            {"reason": "Genuine goods made under the holder's licence."},
        ),
        ("costs", 13, {"cost_kind": "storage", "amount": "1260.00"}),
        (EX.close, 45),  # R28: after the consignor's 30 working days
    ],
)

PLUSH_VIA_HONG_KONG = Case(  # Clean Net: export for transhipment via Hong Kong
    holder="A",
    port="Huanggang",
    start="2024-05-20",
    rights=("labubu",),
    shipment=ship(
        "532020240001520733",
        "export general_trade road CN>HK",
        party("Dongguan Mengqu Toys Co., Ltd.", "CN", "Changping, Dongguan"),
        party("Tsuen Wan Trans-Ship Logistics Ltd", "HK", "Tsuen Wan, New Territories"),
    ),
    goods=[
        goods("Plush dolls resembling the LABUBU character", "950300", "toys", 5000, "40000.00")
    ],
    notes="Clean Net: declared to a Hong Kong forwarder for transhipment to Manila.",
    story=[
        (EX.request_detention, 1, bond("cash", "SZ-CASH-2024-0521")),
        (EX.detain, 2),
        (EX.determine_infringing, 15),
        (EX.confiscate, 19, {"penalty_tier": "general", "penalty_fine": "6000.00"}),
        (
            EX.dispose,
            30,
            {
                "disposal_method": "destruction",
                "reason": "The character is the whole product; the holder declined a paid "
                "transfer.",
            },
        ),
        ("costs", 31, {"cost_kind": "storage", "amount": "960.00"}),
        ("pay", 33, {"amount": "960.00"}),
        (EX.close, 35),
    ],
)

BAGS_TO_MACAO = Case(  # Clean Net; Blue Net's rule tag is removed (not a parcel)
    holder="B",
    port="Shenzhen Bao'an Airport",
    start="2024-09-23",
    rights=("nordkap18",),
    shipment=ship(
        "534520240002230917",
        "export express air CN>MO",
        party("Shenzhen Pengcheng Luggage Co., Ltd.", "CN", "Bao'an, Shenzhen"),
        party("Loja Estrela Macau Lda.", "MO", "Avenida de Almeida Ribeiro, Macao"),
    ),
    goods=[goods(*BAGS, 600, "18000.00")],
    notes="Declared under the express channel; one commercial consignment on a cargo flight.",
    story=[(EX.release, 4, {"reason": "No reply to the notice within 3 working days."})],
)

PLUSH_TO_HONG_KONG_DECEMBER = Case(  # to Hong Kong, after Clean Net's period
    holder="A",
    port="Futian",
    start="2024-12-09",
    by="holder.a",
    rights=("labubu",),
    shipment=ship(
        "530320240004120958",
        "export general_trade road CN>HK",
        party("Shenzhen Xingyao Trading Co., Ltd.", "CN", "Futian, Shenzhen"),
        party("Causeway Collectibles Ltd", "HK", "Causeway Bay"),
    ),
    goods=[goods("LABUBU vinyl plush figures", "950300", "toys", 400, "39600.00")],
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
)

EXPRESS_TO_NIGERIA = Case(  # Longteng, Blue Net and Africa Action at once
    holder="A",
    port="Ningbo Lishe Airport",
    start="2024-10-14",
    rights=("labubu",),
    shipment=ship(
        "311820240003140482",
        "export express air CN>NG",
        party("Yiwu Qianxi E-commerce Firm", "CN", "International Trade City, Yiwu"),
        party("Ikeja Gift Store Ltd", "NG", "Ikeja, Lagos"),
    ),
    goods=[
        goods(
            "Zip bags printed with the LABUBU character",
            "392321",
            "daily_necessities",
            2000,
            "1600.00",
        ),
        goods("Keychain pendants with the LABUBU character", "392640", "toys", 3000, "5400.00"),
    ],
    story=[
        (EX.request_detention, 1, bond("cash", "NB-CASH-2024-1015")),
        (EX.detain, 2),
        (EX.determine_infringing, 12),
        (EX.confiscate, 15, {"penalty_tier": "general", "penalty_fine": "1050.00"}),
        (
            EX.dispose,
            25,
            {
                "disposal_method": "destruction",
                "reason": "Small printed items of no welfare use; the holder declined a paid "
                "transfer.",
            },
        ),
        ("costs", 26, {"cost_kind": "storage", "amount": "210.00"}),
        ("pay", 28, {"amount": "210.00"}),
        (EX.close, 30),
    ],
)

CASES = [
    EXPRESS_TO_SAUDI_ARABIA,
    PLUSH_VIA_HONG_KONG,
    JACKETS_TO_NIGERIA,
    POSTAL_TO_US,
    IMPORT_FROM_EGYPT,
    PHONE_CASES_TO_EGYPT,
    BAGS_TO_MACAO,
    EXPRESS_TO_NIGERIA,
    PLUSH_TO_HONG_KONG_DECEMBER,
]

# --- the campaigns --------------------------------------------------------------------------

LONGTENG_CATEGORIES = [
    "small_appliances",
    "mobile_electronics",
    "construction_machinery",
    "daily_necessities",
]

# code → the campaign's fields, its regions and its priority enterprises
# (holder key, liaison officer).
CAMPAIGNS = {
    "LONGTENG-2024": (
        {
            "name_en": "Longteng 2024",
            "name_zh": "龙腾行动2024",
            "kind": Campaign.Kind.LONGTENG,
            "starts_on": D("2024-03-01"),
            "ends_on": D("2024-12-31"),
            "description": "Outbound infringing goods in the key export sectors, to Africa, "
            "the Middle East, Latin America and Belt and Road countries. Dragon Protection: "
            "named domestic innovators get a liaison officer, at least a general penalty "
            "for infringing them, and referral to the police.",
            "directions": ["export"],
            "categories": LONGTENG_CATEGORIES,
        },
        ["africa", "middle-east", "latin-america", "belt-and-road"],
        [("A", "officer.ningbo")],
    ),
    "BLUE-NET-2024": (
        {
            "name_en": "Blue Net 2024",
            "name_zh": "蓝网行动2024",
            "kind": Campaign.Kind.BLUE_NET,
            "starts_on": D("2024-06-01"),
            "ends_on": D("2024-11-30"),
            "description": "Infringing goods in cross-border postal items and express "
            "parcels, targeted on high-risk product-country profiles.",
            "channels": ["postal", "express"],
        },
        [],
        [],
    ),
    "CLEAN-NET-2024": (
        {
            "name_en": "Clean Net 2024",
            "name_zh": "净网行动2024",
            "kind": Campaign.Kind.CLEAN_NET,
            "starts_on": D("2024-04-01"),
            "ends_on": D("2024-10-31"),
            "description": "Export and transhipment goods, notably via Hong Kong and Macao.",
            "directions": ["export", "transit"],
        },
        ["hk-mo"],
        [],
    ),
    "AFRICA-ACTION-2024": (
        {
            "name_en": "Africa Action 2024",
            "name_zh": "非洲行动2024",
            "kind": Campaign.Kind.AFRICA_ACTION,
            "starts_on": D("2024-05-01"),
            "ends_on": D("2024-12-31"),
            "description": "Infringing exports to African countries.",
            "directions": ["export"],
        },
        ["africa"],
        [],
    ),
}

# (campaign, case, officer, reason)
MANUAL_TAGS = [
    (
        "LONGTENG-2024",
        JACKETS_TO_NIGERIA,
        "officer.ningbo",
        "The consignor is on the Longteng risk list for West Africa; apparel is outside the "
        "focus categories, but the Ningbo campaign office counts its cases in Longteng.",
    ),
]
REMOVED_TAGS = [
    (
        "BLUE-NET-2024",
        BAGS_TO_MACAO,
        "officer.shenzhen",
        "Declared under the express channel, but one commercial consignment on a cargo "
        "flight, not parcels: Blue Net counts postal items and express parcels only.",
    ),
]


# The cases each campaign counts: by its rule, or by an officer's hand (MANUAL_TAGS).
COUNTED = {
    "LONGTENG-2024": [detentions_demo.LABUBU, PHONE_CASES_TO_EGYPT, EXPRESS_TO_NIGERIA,
                      JACKETS_TO_NIGERIA],
    "BLUE-NET-2024": [POSTAL_TO_US, EXPRESS_TO_NIGERIA],
    "CLEAN-NET-2024": [PLUSH_VIA_HONG_KONG, BAGS_TO_MACAO],
    "AFRICA-ACTION-2024": [JACKETS_TO_NIGERIA, PHONE_CASES_TO_EGYPT, EXPRESS_TO_NIGERIA],
}  # fmt: skip


# --- seeding -------------------------------------------------------------------------------


def seed(parties: dict) -> dict[str, Campaign]:
    _seed_cases(parties)
    regions = {code: _region(code, *data) for code, data in REGIONS.items()}
    campaigns = {}
    for code, (fields, region_codes, priority) in CAMPAIGNS.items():
        campaign, created = Campaign.objects.get_or_create(code=code, defaults=fields)
        if created:
            campaign.regions.set([regions[region] for region in region_codes])
            for holder_key, liaison in priority:
                PriorityHolder.objects.create(
                    campaign=campaign,
                    holder=parties["holders"][holder_key],
                    liaison_officer=parties["users"][liaison],
                )
        campaigns[code] = campaign
    for campaign in campaigns.values():
        services.campaign_retag(campaign=campaign)
    _officers_hand(campaigns, parties["users"])
    return campaigns


def _seed_cases(parties: dict) -> None:
    builder = None
    built = []
    for case in CASES:
        if Detention.objects.filter(declaration_number=case.key).exists():
            continue
        builder = builder or detentions_demo._Builder(parties)
        built.append(builder.build(case).number)
    detentions_demo._leave_latest_notice_unread(built)


def _region(code: str, name_en: str, name_zh: str, countries: list[str]) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name_en": name_en, "name_zh": name_zh, "countries": sorted(set(countries))},
    )
    return region


def _officers_hand(campaigns: dict[str, Campaign], users: dict[str, User]) -> None:
    """An officer's tag and an officer's removal, each made once: a later run finds the
    tag (live or removed) and leaves it as the officer left it."""
    for code, case, officer, reason in MANUAL_TAGS:
        detention = Detention.objects.get(declaration_number=case.key)
        if not CampaignTag.objects.filter(campaign=campaigns[code], detention=detention).exists():
            services.campaign_tag(
                actor=users[officer], campaign=campaigns[code], detention=detention, reason=reason
            )
    for code, case, officer, reason in REMOVED_TAGS:
        detention = Detention.objects.get(declaration_number=case.key)
        rule_tag = CampaignTag.objects.filter(
            campaign=campaigns[code],
            detention=detention,
            source=CampaignTag.Source.RULE,
            removed_at__isnull=True,
        )
        if rule_tag.exists():
            services.campaign_untag(
                actor=users[officer], campaign=campaigns[code], detention=detention, reason=reason
            )


def check() -> list[str]:
    """What the demo promises of its campaigns: each counts exactly its named cases."""
    problems = []
    for code, cases in COUNTED.items():
        tagged = set(
            CampaignTag.objects.filter(campaign__code=code, removed_at__isnull=True).values_list(
                "detention__declaration_number", flat=True
            )
        )
        expected = {case.key for case in cases}
        if tagged != expected:
            problems.append(
                f"{code} counts {sorted(tagged - expected)} and not {sorted(expected - tagged)}"
            )
    return problems
