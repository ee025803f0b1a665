"""A seeded, national-scale data set for the benchmarks: rights holders from 58 countries,
their recordals and general bonds, and detentions with goods lines and referrals spread
over 24 years, in the national mix of shared/DOMAIN.md ("What the national figures
count"): >99% trademark, >98% export, >97% ex officio, cross-border e-commerce the
leading channel, most batches confiscated, ~0.7% referred to public security.

    from benchmarks.national_data import generate
    summary = generate(connection, detentions=1_000_000, seed=2024)

Deterministic: the same seed on a freshly migrated database gives the same rows. Every
big table is filled with COPY, streamed (goods lines, recordal links and referrals are
spooled to temporary files while the detentions stream), then the id sequences and the
number sequences are moved past the new rows and the tables analysed. The customs
offices and their ports are the reference data the migrations load (accounts/reference.py).

Recordals come in two sets: those the detentions need (a few per holder, approved before
the first year or during it) and, unless `applications=0`, the national flow of recordal
applications (~30,000 in the last year at 1,000,000 detentions, 55% domestic growing 24% a
year lately, foreign 6%; ~72% approved some weeks after submission, the rest rejected or
still pending at the end of the data). The applications are drawn from their own random
stream after the detentions, so the detentions are the same with or without them.

Not generated: case events, documents, money trails, deadlines, general bond ledgers,
campaign tags, focus regions (the benchmarks create those they need).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator

FIRST_YEAR = 2001
YEARS = 24  # 2001-2024: the last full year is that of the 2024 annual report
HOLDERS = 2_000
# Recordal applications in the last year at 1,000,000 detentions over 24 years (2024:
# ~30,000, 16,000+ domestic, +24%; 21,600 approved), scaled with the detentions a year.
APPLICATIONS = 30_000
APPLICATIONS_DOMESTIC = 0.55
APPLICATIONS_APPROVED = 0.72
AGENCIES = 60
CHUNK = 1 << 20  # bytes per COPY write

# --- reference mixes --------------------------------------------------------------------------

# Focus regions of the campaigns (DOMAIN.md "Campaigns"), with the weight of each
# destination within its region; the share is the region's part of export batches.
REGIONS: dict[str, dict] = {
    "africa": {
        "name_en": "Africa",
        "name_zh": "非洲",
        "share": 0.22,
        "countries": {
            "NG": 5, "ZA": 3, "GH": 2, "KE": 2, "EG": 2, "TZ": 1.5, "DZ": 1.5, "MA": 1.5,
            "ET": 1, "UG": 1, "CI": 1, "AO": 1, "SN": 0.8, "CM": 0.8, "TG": 0.7, "BJ": 0.6,
            "LY": 0.6, "MZ": 0.5, "ZM": 0.5, "SD": 0.4,
        },
    },
    "middle-east": {
        "name_en": "Middle East",
        "name_zh": "中东",
        "share": 0.20,
        "countries": {
            "AE": 6, "SA": 4, "IQ": 2.5, "TR": 2, "IR": 1.5, "JO": 1, "KW": 1, "IL": 0.8,
            "LB": 0.8, "YE": 0.8, "OM": 0.7, "QA": 0.7, "BH": 0.4, "SY": 0.3,
        },
    },
    "latin-america": {
        "name_en": "Latin America",
        "name_zh": "拉丁美洲",
        "share": 0.18,
        "countries": {
            "BR": 4, "MX": 3.5, "CL": 2.5, "PE": 1.5, "CO": 1.5, "PA": 1.5, "AR": 1, "EC": 0.8,
            "PY": 0.8, "VE": 0.6, "GT": 0.5, "DO": 0.5, "BO": 0.4, "CR": 0.3, "HN": 0.3,
            "UY": 0.3,
        },
    },
}  # fmt: skip
OTHER_DESTINATIONS = {
    "US": 10, "RU": 6, "HK": 3, "GB": 2, "DE": 2, "JP": 2, "KR": 2, "VN": 2, "FR": 1.5,
    "UA": 1.5, "TH": 1.5, "MY": 1.5, "ID": 1.5, "PH": 1.5, "IN": 1.5, "KZ": 1.5, "AU": 1.5,
    "IT": 1.2, "ES": 1.2, "CA": 1.2, "NL": 1, "PL": 1, "SG": 1, "PK": 1, "BD": 0.8, "UZ": 0.8,
    "KG": 0.8, "BE": 0.6, "MN": 0.5, "NZ": 0.4, "MO": 0.3,
}  # fmt: skip
OTHER_SHARE = 0.40

# Rights holders: half domestic, the rest from 57 other countries (58 in all, as in 2024).
FOREIGN_HOLDER_COUNTRIES = {
    "US": 25, "JP": 12, "DE": 10, "FR": 8, "IT": 7, "GB": 6, "KR": 6, "CH": 5, "ES": 3,
    "NL": 3, "SE": 3, "DK": 2, "FI": 1.5, "NO": 1, "BE": 1.5, "AT": 1.5, "IE": 1, "PT": 1,
    "PL": 1, "CZ": 1, "HU": 0.5, "GR": 0.5, "TR": 1, "IL": 1, "AE": 0.5, "SA": 0.3,
    "IN": 1, "SG": 1.5, "MY": 0.5, "TH": 0.5, "ID": 0.3, "VN": 0.3, "PH": 0.3, "AU": 2,
    "NZ": 0.5, "CA": 2, "MX": 0.5, "BR": 0.5, "AR": 0.3, "CL": 0.3, "ZA": 0.3, "EG": 0.2,
    "NG": 0.2, "RU": 0.5, "UA": 0.2, "HK": 3, "MO": 0.3, "TW": 2, "LU": 0.5, "LI": 0.3,
    "MC": 0.3, "SK": 0.3, "SI": 0.3, "HR": 0.2, "RO": 0.2, "BG": 0.2, "IS": 0.2,
}  # fmt: skip
LEGAL_SUFFIX = {
    "CN": "Co., Ltd.", "US": "Inc.", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SAS",
    "IT": "S.p.A.", "ES": "S.A.", "GB": "Ltd", "IE": "Ltd", "JP": "Corporation",
    "KR": "Co., Ltd.", "NL": "B.V.", "BE": "NV", "SE": "AB", "DK": "A/S", "NO": "AS",
    "FI": "Oy", "PL": "Sp. z o.o.", "BR": "Ltda.", "MX": "S.A. de C.V.", "HK": "Limited",
    "TW": "Co., Ltd.", "AU": "Pty Ltd", "CA": "Inc.",
}  # fmt: skip

# Batches by channel (cross-border e-commerce leads, then market procurement ...), and the
# mean items per batch by channel (81.6 million items over 41,600 batches in 2024).
CHANNELS = {
    "cross_border_ecommerce": 0.34, "market_procurement": 0.20, "general_trade": 0.17,
    "express": 0.14, "postal": 0.11, "passenger_luggage": 0.04,
}  # fmt: skip
MEAN_ITEMS = {
    "cross_border_ecommerce": 1_500, "market_procurement": 4_000, "general_trade": 3_500,
    "express": 200, "postal": 20, "passenger_luggage": 15,
}  # fmt: skip
ITEMS_SIGMA = {
    "cross_border_ecommerce": 1.8, "market_procurement": 1.4, "general_trade": 1.5,
    "express": 1.2, "postal": 0.9, "passenger_luggage": 0.8,
}  # fmt: skip
TRANSPORT = {
    "general_trade": {"sea": 0.75, "road": 0.10, "rail": 0.08, "air": 0.07},
    "market_procurement": {"sea": 0.85, "road": 0.10, "rail": 0.05},
    "cross_border_ecommerce": {"air": 0.50, "sea": 0.30, "road": 0.15, "rail": 0.05},
    "express": {"air": 0.80, "road": 0.20},
    "postal": {"post": 1.0},
    "passenger_luggage": {"on_foot": 1.0},
}
DECLARED = {"general_trade": 0, "market_procurement": 1, "cross_border_ecommerce": 2}

# Product categories: (share of goods lines, items multiplier, unit price in CNY (median),
# Nice class, HS codes, descriptions). Apparel, electronics and leather goods lead by
# batches; electronics, sporting goods and tobacco by items.
CATEGORIES = {
    "apparel": (0.22, 0.5, 45, 25, ("61091000", "61103000", "62034200", "61051000"),
                ("T-shirts", "sweaters", "jeans", "sports jackets", "caps")),
    "electronics": (0.15, 2.2, 25, 9, ("85183000", "85044014", "85176299", "85235100"),
                    ("Bluetooth earphones", "chargers", "USB cables", "memory cards")),
    "leather_goods": (0.12, 0.4, 120, 18, ("42022200", "42021210", "42023100"),
                      ("handbags", "wallets", "backpacks", "belts")),
    "footwear": (0.08, 0.6, 70, 25, ("64041100", "64029900", "64035900"),
                 ("sports shoes", "sandals", "leather shoes")),
    "mobile_electronics": (0.07, 1.2, 30, 9, ("85177990", "85076000", "39269090"),
                           ("phone cases", "power banks", "screen protectors")),
    "sporting_goods": (0.05, 4.0, 15, 28, ("95066200", "95063100", "95069990"),
                       ("footballs", "golf balls", "badminton shuttlecocks", "fitness bands")),
    "toys": (0.05, 1.5, 12, 28, ("95030089", "95030060", "95030021"),
             ("building blocks", "plush toys", "figures", "keychain pendants")),
    "cosmetics": (0.04, 1.0, 25, 3, ("33042000", "33030000", "33049900"),
                  ("lipsticks", "perfume", "face cream")),
    "watches_jewellery": (0.04, 0.4, 60, 14, ("91021100", "71171900"),
                          ("wrist watches", "necklaces", "earrings")),
    "daily_necessities": (0.03, 1.2, 6, 21, ("39249000", "96032100", "34011100"),
                          ("toothbrushes", "razors", "kitchenware", "zip bags")),
    "small_appliances": (0.03, 0.5, 90, 11, ("85163100", "85094010", "85167100"),
                         ("hair dryers", "blenders", "coffee makers", "electric fans")),
    "auto_parts": (0.025, 0.6, 60, 12, ("87089990", "85122010", "40111000"),
                   ("brake pads", "car lamps", "tyres", "filters")),
    "stationery": (0.02, 1.3, 4, 16, ("96081000", "48201000", "96110000"),
                   ("ball pens", "notebooks", "plastic stamps")),
    "tobacco": (0.012, 14.0, 1, 34, ("24022000", "24039900"),
                ("cigarettes", "tobacco leaves")),
    "medicines": (0.01, 1.0, 20, 5, ("30049090", "90189099"),
                  ("tablets", "medical masks", "test strips")),
    "food": (0.01, 1.0, 10, 30, ("21069090", "20091200", "17049000"),
             ("drinks", "confectionery", "infant formula")),
    "construction_machinery": (0.005, 0.05, 2_000, 7, ("84314999", "84295900"),
                               ("excavator parts", "hydraulic pumps")),
    "other": (0.018, 1.0, 15, 20, ("39269090", "73239300", "94054090"),
              ("rubber floor mats", "lamps", "umbrellas")),
}  # fmt: skip

OFFICE_WEIGHT = {
    "3100": 10, "5300": 9, "2900": 8, "5200": 8, "2200": 7, "5100": 6, "3700": 5, "4200": 5,
    "0200": 3, "5700": 3, "2300": 3, "3500": 3, "0900": 2, "0100": 2, "6000": 2, "4600": 1.5,
    "6800": 1.5, "7200": 1.5, "8600": 1.5, "9400": 1.5, "0600": 1, "4700": 1, "7900": 1,
    "8000": 1, "4300": 1, "6400": 0.8,
}  # fmt: skip
MONTH_WEIGHT = (0.9, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.1)

PENALTY_TIERS = {"none": 0.002, "mitigated": 0.12, "lighter": 0.38, "general": 0.38,
                 "heavier": 0.118}  # fmt: skip
TIER_PERMILLE = {"lighter": (5, 95), "general": (105, 195), "heavier": (205, 300)}
DISPOSALS = {"destruction": 0.80, "auction": 0.10, "donation": 0.06, "transfer_to_holder": 0.04}
# How cases end (the rest are still open at the end of the data): ex officio, confiscated
# for the great majority; on application, held under a court order or released.
EX_OFFICIO_PATHS = {"confiscated": 0.935, "no_reply": 0.03, "not_infringing": 0.02,
                    "withdrawn": 0.005, "court": 0.005, "no_court": 0.005}  # fmt: skip
ON_APPLICATION_PATHS = {"court": 0.55, "released": 0.30, "rejected": 0.10, "withdrawn": 0.05}
REFERRAL_STATUS = {"accepted": 0.65, "declined": 0.15, "returned": 0.05, "referred": 0.15}

SYLLABLES = (
    "ar", "bel", "cor", "dax", "el", "fen", "gal", "hor", "ix", "jun", "kai", "lum", "mar",
    "nor", "ori", "pax", "quin", "ros", "sol", "tor", "ul", "ven", "wex", "yan", "zen", "li",
    "ta", "mo", "ra", "ne", "vi", "so", "ka", "lo", "ze", "du", "fa", "go", "hu", "pi",
)  # fmt: skip
INDUSTRIES = (
    "Sports",
    "Fashion",
    "Electronics",
    "Toys",
    "Cosmetics",
    "Technology",
    "Outdoor",
    "Brands",
    "Luxury",
    "Appliances",
    "Motors",
    "Tobacco",
    "Foods",
)
CN_CITIES = (
    "Yiwu",
    "Ningbo",
    "Shenzhen",
    "Guangzhou",
    "Dongguan",
    "Quanzhou",
    "Jinjiang",
    "Shantou",
    "Xiamen",
    "Hangzhou",
    "Wenzhou",
    "Taizhou",
    "Foshan",
    "Zhongshan",
    "Putian",
    "Suzhou",
    "Qingdao",
    "Tianjin",
    "Shanghai",
    "Wuxi",
)
ZH_CHARS = "华新天宏盛泰嘉利达恒安明光美丰瑞鑫源兴隆元通宇晨星"
TRADE_WORDS = (
    "Trading",
    "Import & Export",
    "Commerce",
    "Supply Chain",
    "Industrial",
    "E-commerce",
    "Garments",
    "Electronics",
    "Crafts",
    "Logistics",
)
FOREIGN_SUFFIXES = ("LLC", "Ltd", "SARL", "S.A.", "FZE", "GmbH")
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou")
GIVEN = ("Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Yan", "Jun", "Hua")
PATENT_TYPES = (("invention", 1), ("utility_model", 2), ("design", 3))
WORK_TYPES = (
    "Fine art (character design)",
    "Computer software",
    "Photographic work",
    "Cinematographic work",
)


# --- helpers ------------------------------------------------------------------------------------


class Weighted:
    """A weighted choice that costs one random number and one bisection."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, weights: dict | Iterable[tuple]):
        pairs = list(weights.items() if isinstance(weights, dict) else weights)
        self.values = [value for value, _ in pairs]
        self.cum, total = [], 0.0
        for _, weight in pairs:
            total += weight
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


def money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_end(start: dt.date) -> dt.date:
    """R6: the day before the tenth anniversary; a term from 29 February ends on 28 February
    (recordals.rules.term_end, without Django: this module runs before any app loads)."""
    try:
        return start.replace(year=start.year + 10) - dt.timedelta(days=1)
    except ValueError:
        return dt.date(start.year + 10, 2, 28)


def escape(text: str) -> str:
    """A value for COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_lines(cursor, table: str, columns: Iterable[str], lines: Iterable[str]) -> int:
    """COPY tab-separated lines (each ending in a newline) into `table`, in ~1 MB writes."""
    count, size, parts = 0, 0, []
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for line in lines:
            parts.append(line)
            size += len(line)
            count += 1
            if size >= CHUNK:
                copy.write("".join(parts))
                parts, size = [], 0
        if parts:
            copy.write("".join(parts))
    return count


def copy_file(cursor, table: str, columns: Iterable[str], spool) -> None:
    spool.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := spool.read(CHUNK):
            copy.write(chunk)


def row(*values) -> str:
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


@dataclasses.dataclass
class Summary:
    """What `generate` made; `as_of` is the last day of the data (cases still open then
    stay open), `by_year` the detentions opened each year."""

    seed: int
    first_year: int
    last_year: int
    as_of: dt.date
    offices: int = 0
    ports: int = 0
    holders: int = 0
    agencies: int = 0
    recordals: int = 0
    recordal_applications: int = 0
    general_bonds: int = 0
    detentions: int = 0
    goods_lines: int = 0
    recordal_links: int = 0
    referrals: int = 0
    seconds: float = 0.0
    by_year: dict[int, int] = dataclasses.field(default_factory=dict)
    # year -> (applications submitted, applications approved) among the applications
    applications_by_year: dict[int, tuple[int, int]] = dataclasses.field(default_factory=dict)


# --- the generator ------------------------------------------------------------------------------


class _Generator:
    def __init__(
        self, connection, *, detentions, seed, first_year, years, holders, applications, progress
    ):
        self.connection = connection
        self.n_detentions = detentions
        self.seed = seed
        if applications is None:  # the national volume, scaled with the detentions a year
            applications = round(APPLICATIONS * detentions * YEARS / (1_000_000 * years))
        self.n_applications = applications
        self.n_holders = holders
        self.rng = random.Random(seed)
        self.first_year = first_year
        self.last_year = first_year + years - 1
        self.as_of = dt.date(self.last_year, 12, 31)
        self.progress = progress or (lambda message: None)
        self.summary = Summary(seed, first_year, self.last_year, self.as_of)
        self._iso: dict[int, str] = {}

    # ids, sequences ---------------------------------------------------------------------------

    def _scalar(self, sql: str, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def _next_id(self, table: str) -> int:
        return self._scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")

    def _next_value(self, sequence: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
        return last + 1 if called else last

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def _timed(self, label: str, started: float) -> None:
        self.progress(f"  {label}: {time.perf_counter() - started:.1f} s")

    # reference data ---------------------------------------------------------------------------

    def load_offices(self) -> None:
        from accounts.models import Organisation, Port
        from accounts.reference import load_customs_offices

        districts = Organisation.objects.filter(kind="customs", customs_level="district")
        if not districts.exists():
            load_customs_offices(Organisation, Port)
        self.offices = list(districts.order_by("customs_code").values_list("pk", "customs_code"))
        names = dict(districts.values_list("pk", "name_en"))
        self.office_city = {pk: names[pk].removesuffix(" Customs") for pk, _ in self.offices}
        self.office_code = dict(self.offices)
        self.ports: dict[int, list[int]] = {pk: [] for pk, _ in self.offices}
        for pk, office_id in Port.objects.order_by("pk").values_list("pk", "office_id"):
            if office_id in self.ports:
                self.ports[office_id].append(pk)
        self.office_choice = Weighted(
            (pk, OFFICE_WEIGHT.get(code, 0.4)) for pk, code in self.offices
        )
        from detentions.models import NoPenaltyCriterion

        self.criteria = list(NoPenaltyCriterion.objects.order_by("pk").values_list("pk", flat=True))
        self.summary.offices = len(self.offices)
        self.summary.ports = sum(len(p) for p in self.ports.values())

    # parties ---------------------------------------------------------------------------------

    def brand(self) -> str:
        rng = self.rng
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word.capitalize()

    def organisations(self, cursor) -> None:
        rng = self.rng
        started = time.perf_counter()
        first = self._next_id("accounts_organisation")
        created = "2000-01-01 00:00:00+00"
        foreign = Weighted(FOREIGN_HOLDER_COUNTRIES)
        countries = list(FOREIGN_HOLDER_COUNTRIES)
        self.holders: list[tuple[int, str, str]] = []
        lines = []
        for i in range(self.n_holders):
            # Every foreign country once, then half domestic, half by filing weight.
            if i < len(countries):
                country = countries[i]
            else:
                country = "CN" if rng.random() < 0.52 else foreign.pick(rng)
            brand = self.brand()
            name = f"{brand} {rng.choice(INDUSTRIES)} {LEGAL_SUFFIX.get(country, 'Ltd.')}"
            name_zh = ""
            if country == "CN":
                name_zh = "".join(rng.choice(ZH_CHARS) for _ in range(4)) + "有限公司"
                registration = f"91{rng.randrange(10**16):016d}"
            else:
                registration = f"{country}-{rng.randrange(10**8):08d}"
            pk = first + i
            self.holders.append((pk, country, name))
            lines.append(row(pk, "rights_holder", name, name_zh, country, registration,
                             f"{brand} Tower, {country}", "t", created, created))  # fmt: skip
        self.agencies = []
        for i in range(AGENCIES):
            pk = first + self.n_holders + i
            city = CN_CITIES[i % len(CN_CITIES)]
            name = f"{city} {self.brand()} Intellectual Property Agency Co., Ltd."
            self.agencies.append(pk)
            lines.append(row(pk, "ip_agency", name, "", "CN", f"91{rng.randrange(10**16):016d}",
                             f"{city}, China", "t", created, created))  # fmt: skip
        columns = ["id", "kind", "name_en", "name_zh", "country", "registration_id", "address",
                   "is_active", "created_at", "updated_at"]  # fmt: skip
        copy_lines(cursor, "accounts_organisation", columns, lines)
        self.summary.holders, self.summary.agencies = self.n_holders, AGENCIES
        self._timed(f"{self.n_holders:,} rights holders and {AGENCIES} IP agencies", started)

    # recordals and general bonds ---------------------------------------------------------------

    def recordals(self, cursor) -> None:
        """A few recordals per holder: trademarks for all, copyright or patents for some.
        Each holder's first recordal of a kind predates the first year, and patents, whose
        right ends after 20 years, are followed by newer ones, so that every detention finds
        a recordal in force on its date. A row shows the term running at the end of the
        data (renewals move the term, R7), or its last term if it has expired."""
        from recordals.search import tokens

        rng = self.rng
        started = time.perf_counter()
        first = self._next_id("recordals_recordal")
        number = self._next_value("recordal_number_seq")
        first_day = dt.date(self.first_year, 1, 1).toordinal()
        last_day = dt.date(self.last_year, 6, 30).toordinal()
        as_of = self.as_of.toordinal()
        registration_numbers = iter(rng.sample(range(1_000_000, 99_999_999), 200_000))
        # kind -> holder -> [(recordal id, approved on, in force until)], as ordinals
        self.by_kind: dict[str, dict[int, list[tuple[int, int, int]]]] = {
            "trademark": {}, "copyright": {}, "patent": {},
        }  # fmt: skip
        names = {pk: name for pk, _, name in self.holders}
        lines, search = [], []
        pk = first
        for holder, country, _ in self.holders:
            kinds = [("trademark", min(20, int(rng.paretovariate(1.3))))]
            if rng.random() < 0.06:
                kinds.append(("copyright", rng.randint(1, 3)))
            if rng.random() < 0.05:
                kinds.append(("patent", rng.randint(1, 3)))
            brand = self.brand()
            agency = "\\N" if country == "CN" else rng.choice(self.agencies)  # R3
            for kind, count in kinds:
                own = self.by_kind[kind].setdefault(holder, [])
                n = 0
                while n < count or (kind == "patent" and max(e[2] for e in own) < as_of):
                    if n == 0:
                        approved = first_day - rng.randint(30, 6 * 365)
                    elif kind == "patent" and max(e[2] for e in own) < as_of:
                        approved = max(e[2] for e in own) - rng.randint(30, 1500)
                    elif rng.random() < 0.6:
                        approved = first_day - rng.randint(30, 6 * 365)
                    else:
                        approved = rng.randint(first_day, last_day)
                    day = dt.date.fromordinal(approved)
                    right_from = day - dt.timedelta(days=rng.randint(90, 1000))
                    right_until = None
                    if kind == "patent":  # 20 years (invention), less for the others
                        right_until = add_years(right_from, 20) - dt.timedelta(days=1)
                    valid_from = day
                    while True:  # R6, R7: ten-year terms, renewed, capped by the right
                        following = term_end(valid_from) + dt.timedelta(days=1)
                        if following > self.as_of or (right_until and following > right_until):
                            break
                        valid_from = following
                    valid_until = term_end(valid_from)
                    if right_until and right_until < valid_until:
                        valid_until = right_until
                    in_force = valid_until >= self.as_of
                    status = "approved" if in_force else "expired"
                    classes, madrid, right_class, patent_type, work_type = "{}", "f", 0, "", ""
                    if kind == "trademark":
                        category = rng.choice(list(CATEGORIES))
                        nice = sorted({CATEGORIES[category][3], rng.randint(1, 45)})
                        if country != "CN" and rng.random() < 0.15:
                            nice, madrid, right_class = nice[:1], "t", nice[0]
                        classes = "{" + ",".join(map(str, nice)) + "}"
                        registration = str(next(registration_numbers))
                        right_name = f"{brand.upper()}{'' if n == 0 else f' {n + 1}'}"
                        right_until = valid_until + dt.timedelta(days=rng.randint(30, 3650))
                    elif kind == "patent":
                        patent_type, digit = rng.choice(PATENT_TYPES)
                        registration = f"ZL{right_from.year}{digit}{pk:07d}.{pk % 10}"
                        right_name = f"{brand} {rng.choice(('device', 'housing', 'charger'))}"
                    else:
                        work_type = rng.choice(WORK_TYPES)
                        registration = f"国作登字-{right_from.year}-F-{pk:08d}"
                        right_name = f"{brand} character series {n + 1}"
                    recordal_number = f"{kind[0].upper()}{day.year}-{number:06d}"
                    submitted = day - dt.timedelta(days=rng.randint(20, 60))
                    created = f"{submitted.isoformat()} 10:00:00+08"
                    lines.append(row(
                        pk, holder, agency, recordal_number, kind, status, right_name,
                        registration, classes, madrid, right_class, "", work_type, patent_type,
                        right_from, right_until, "", submitted, day, valid_from, valid_until, "",
                        created, created, "", "", None if in_force else valid_until,
                    ))  # fmt: skip
                    search.append(row(pk, escape(tokens(
                        f"{recordal_number} {right_name} {registration} {names[holder]}"
                    ))))  # fmt: skip
                    own.append((pk, approved, as_of if in_force else valid_until.toordinal()))
                    pk += 1
                    number += 1
                    n += 1
        columns = [
            "id", "holder_id", "filed_by_agency_id", "number", "kind", "status", "right_name",
            "registration_number", "nice_classes", "is_madrid", "right_class", "mark_image",
            "work_type", "patent_type", "right_valid_from", "right_valid_until", "description",
            "submitted_on", "approved_on", "valid_from", "valid_until", "decision_reason",
            "created_at", "updated_at",
            # R8: the holder as recorded, when a change of the holder renamed it; none here.
            "recorded_holder_name_en", "recorded_holder_name_zh",
            "ended_on",  # an ended recordal's last day in force
        ]  # fmt: skip
        copy_lines(cursor, "recordals_recordal", columns, lines)
        # Public search (R11) as the services write it: the tokenised text, as a tsvector.
        cursor.execute("CREATE TEMPORARY TABLE bench_recordal_search (id bigint, text text)")
        copy_lines(cursor, "bench_recordal_search", ["id", "text"], search)
        cursor.execute(
            "UPDATE recordals_recordal r SET search_vector = to_tsvector('simple', s.text) "
            "FROM bench_recordal_search s WHERE s.id = r.id"
        )
        cursor.execute("DROP TABLE bench_recordal_search")
        cursor.execute("SELECT setval('recordal_number_seq', %s)", [number - 1])
        self.summary.recordals = pk - first
        self._timed(f"{pk - first:,} recordals", started)
        # Who is detained on: holders by a steep rank curve, big foreign brands ahead.
        order = list(self.holders)
        rng.shuffle(order)
        weights = {
            holder: (1.6 if country != "CN" else 1.0) / (rank + 5) ** 1.1
            for rank, (holder, country, _) in enumerate(order)
        }
        self.holder_choice = {
            kind: Weighted((holder, weights[holder]) for holder in sorted(own))
            for kind, own in self.by_kind.items()
        }
        self.top_holders = sorted(weights, key=weights.get, reverse=True)

    def general_bonds(self, cursor) -> None:
        """R15: the 80 holders detained on most hold a general bond each year from 2008."""
        rng = self.rng
        started = time.perf_counter()
        pk = first = self._next_id("recordals_generalbond")
        self.bonds: dict[tuple[int, int], tuple[int, int, str]] = {}
        lines = []
        for holder in self.top_holders[:80]:
            if holder not in self.by_kind["trademark"]:
                continue
            for year in range(max(self.first_year, 2008), self.last_year + 1):
                issued = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(2, 40))
                approved = issued + dt.timedelta(days=rng.randint(3, 15))
                reference = f"GB{year}{pk:07d}"
                amount = rng.randint(200_000, 2_000_000) * 100
                status = "approved" if year == self.last_year else "expired"
                lines.append(row(
                    pk, holder, year, money(amount), money(rng.randint(0, 150_000) * 100),
                    rng.choice(("Bank of China", "ICBC", "HSBC", "Citibank", "BNP Paribas")),
                    reference, issued, dt.date(year + 1, 6, 30), approved, dt.date(year, 12, 31),
                    status, "", f"{issued.isoformat()} 10:00:00+08",
                ))  # fmt: skip
                self.bonds[(holder, year)] = (pk, approved.toordinal(), reference)
                pk += 1
        columns = [
            "id", "holder_id", "year", "amount", "previous_year_costs", "guarantor_bank",
            "guarantee_number", "issued_on", "expires_on", "approved_on", "covers_until",
            "status", "decision_reason", "created_at",
        ]  # fmt: skip
        copy_lines(cursor, "recordals_generalbond", columns, lines)
        self.summary.general_bonds = pk - first
        self._timed(f"{pk - first:,} general bonds", started)

    # recordal applications -----------------------------------------------------------------

    def _applications_per_year(self) -> dict[int, tuple[int, int]]:
        """(domestic, foreign) applications a year: the last year's volume, 55% domestic;
        domestic growing 24% a year over the last three years and 8% before, foreign 6%."""
        domestic_last = round(self.n_applications * APPLICATIONS_DOMESTIC)
        foreign_last = self.n_applications - domestic_last
        volumes = {}
        for year in range(self.first_year, self.last_year + 1):
            back = self.last_year - year
            domestic = domestic_last / (1.24 ** min(back, 3) * 1.08 ** max(back - 3, 0))
            volumes[year] = (round(domestic), round(foreign_last / 1.06**back))
        return volumes

    def applications(self, cursor) -> None:
        """The national flow of recordal applications (R5-R7), streamed into COPY: submitted
        through each year, ~72% approved 2 to 10 weeks later (10-year terms capped by the
        right, renewed or expired by the end of the data), the rest rejected; those not
        decided by the end of the data are still pending. Their own random stream."""
        from recordals.rules import NUMBER_PREFIX, term_end
        from recordals.search import tokens

        rng = random.Random(self.seed * 1_000_003 + 7)
        started = time.perf_counter()
        first = pk = self._next_id("recordals_recordal")
        number = self._next_value("recordal_number_seq")
        as_of = self.as_of
        domestic_holders = [(h, name) for h, country, name in self.holders if country == "CN"]
        foreign_holders = [(h, name) for h, country, name in self.holders if country != "CN"]
        kind_choice = Weighted({"trademark": 0.95, "copyright": 0.025, "patent": 0.025})
        categories = list(CATEGORIES)
        # Trademark registration numbers: 9 digits (the holders' recordals have 7 or 8), a
        # bijection of the row's index so that they never repeat.
        registration_offset = rng.randrange(900_000_000)
        by_year = self.summary.applications_by_year
        volumes = self._applications_per_year()

        def brand() -> str:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
            return word.capitalize()

        def generate_rows() -> Iterator[str]:
            nonlocal pk, number
            for year, (n_domestic, n_foreign) in volumes.items():
                start = dt.date(year, 1, 1).toordinal()
                end = dt.date(year + 1, 1, 1).toordinal()
                days = sorted(
                    (rng.randrange(start, end), index < n_domestic)
                    for index in range(n_domestic + n_foreign)
                )
                for day, domestic in days:
                    submitted = dt.date.fromordinal(day)
                    holder, holder_name = rng.choice(
                        domestic_holders if domestic else foreign_holders
                    )
                    agency = None
                    if not domestic or rng.random() < 0.4:  # R3: foreign holders file via one
                        agency = rng.choice(self.agencies)
                    kind = kind_choice.pick(rng)
                    approve = rng.random() < APPLICATIONS_APPROVED
                    decided = submitted + dt.timedelta(
                        days=rng.randint(14, 70) if approve else rng.randint(20, 90)
                    )
                    right_from = submitted - dt.timedelta(days=rng.randint(90, 2000))
                    right_until = None
                    classes, madrid, right_class, patent_type, work_type = "{}", "f", 0, "", ""
                    name = brand()
                    if kind == "trademark":
                        nice = sorted({CATEGORIES[rng.choice(categories)][3], rng.randint(1, 45)})
                        if not domestic and rng.random() < 0.15:
                            nice, madrid, right_class = nice[:1], "t", nice[0]
                        classes = "{" + ",".join(map(str, nice)) + "}"
                        index = pk - first
                        registration = str(
                            100_000_000 + (index * 7919 + registration_offset) % 900_000_000
                        )
                        right_name = name.upper()
                    elif kind == "patent":
                        patent_type, digit = rng.choice(PATENT_TYPES)
                        registration = f"ZL{right_from.year}{digit}{pk:07d}.{pk % 10}"
                        right_name = f"{name} {rng.choice(('device', 'housing', 'charger'))}"
                        right_until = add_years(right_from, 20 if digit == 1 else 10)
                        right_until -= dt.timedelta(days=1)
                        if right_until <= decided:  # R5: refused when the right has lapsed
                            approve = False
                    else:
                        work_type = rng.choice(WORK_TYPES)
                        registration = f"国作登字-{right_from.year}-F-{pk:08d}"
                        right_name = f"{name} character series {rng.randint(1, 9)}"
                    recordal_number = approved = valid_from = valid_until = None
                    reason = ""
                    if decided > as_of:  # R5: still under review at the end of the data
                        status = "needs_correction" if rng.random() < 0.2 else "submitted"
                        updated = submitted
                    elif approve:  # R6, R7: ten-year terms capped by the right, renewed
                        approved = valid_from = decided
                        valid_until = term_end(valid_from, right_until)
                        while valid_until < as_of and rng.random() < 0.6:
                            if right_until and right_until <= valid_until:
                                break
                            valid_from = valid_until + dt.timedelta(days=1)
                            valid_until = term_end(valid_from, right_until)
                        status = "approved" if valid_until >= as_of else "expired"
                        if status == "approved" and rng.random() < 0.02:  # R9
                            status, reason = "cancelled", "Cancelled at the holder's request."
                        recordal_number = f"{NUMBER_PREFIX[kind]}{decided.year}-{number:06d}"
                        number += 1
                        updated = valid_from
                        by_year.setdefault(decided.year, [0, 0])[1] += 1
                    else:
                        status, updated = "rejected", decided
                        reason = "The application is incomplete or the right is not proven (R5)."
                    if kind == "trademark":
                        right_until = (valid_until or submitted) + dt.timedelta(
                            days=rng.randint(30, 3650)
                        )
                    by_year.setdefault(year, [0, 0])[0] += 1
                    yield row(
                        pk, holder, agency, recordal_number, kind, status, right_name,
                        registration, classes, madrid, right_class, "", work_type, patent_type,
                        right_from, right_until, "", submitted, approved, valid_from,
                        valid_until, reason, f"{submitted.isoformat()} 10:00:00+08",
                        f"{updated.isoformat()} 15:00:00+08", "", "",
                        {"expired": valid_until, "cancelled": updated}.get(status),
                        escape(tokens(
                            f"{recordal_number or ''} {right_name} {registration} {holder_name}"
                        )),
                    )  # fmt: skip
                    pk += 1

        columns = [
            "id", "holder_id", "filed_by_agency_id", "number", "kind", "status", "right_name",
            "registration_number", "nice_classes", "is_madrid", "right_class", "mark_image",
            "work_type", "patent_type", "right_valid_from", "right_valid_until", "description",
            "submitted_on", "approved_on", "valid_from", "valid_until", "decision_reason",
            "created_at", "updated_at", "recorded_holder_name_en", "recorded_holder_name_zh",
            "ended_on",
        ]  # fmt: skip
        # Staged, then inserted with the search vector (R11) in one pass: no UPDATE after.
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_recordal_staging "
            "(LIKE recordals_recordal INCLUDING DEFAULTS, search_text text)"
        )
        copy_lines(cursor, "bench_recordal_staging", [*columns, "search_text"], generate_rows())
        listed = ", ".join(columns)
        cursor.execute(
            f"INSERT INTO recordals_recordal ({listed}, search_vector) "
            f"SELECT {listed}, to_tsvector('simple', search_text) FROM bench_recordal_staging"
        )
        cursor.execute("DROP TABLE bench_recordal_staging")
        cursor.execute("SELECT setval('recordal_number_seq', %s)", [number - 1])
        self.summary.applications_by_year = {
            year: tuple(counts) for year, counts in sorted(by_year.items())
        }
        self.summary.recordal_applications = pk - first
        self._timed(f"{pk - first:,} recordal applications", started)

    # detentions ------------------------------------------------------------------------------

    def _days(self) -> Iterator[tuple[int, int]]:
        """(year, opened_on ordinal) in date order, the detentions spread evenly over the
        years and through each year (fewer around the Spring Festival)."""
        rng = self.rng
        years = self.last_year - self.first_year + 1
        base, extra = divmod(self.n_detentions, years)
        month = Weighted(enumerate(MONTH_WEIGHT, start=1))
        for index, year in enumerate(range(self.first_year, self.last_year + 1)):
            count = base + (1 if index < extra else 0)
            self.summary.by_year[year] = count
            days = []
            for _ in range(count):
                m = month.pick(rng)
                start = dt.date(year, m, 1).toordinal()
                end = dt.date(year + m // 12, m % 12 + 1, 1).toordinal()
                days.append(rng.randrange(start, end))
            days.sort()
            for day in days:
                yield year, day

    def detentions(self, cursor) -> None:
        """Detentions stream into COPY; their goods lines, recordal links and referrals
        are spooled to temporary files meanwhile and copied after them."""
        with (
            tempfile.TemporaryFile("w+", encoding="utf-8") as spool_lines,
            tempfile.TemporaryFile("w+", encoding="utf-8") as spool_links,
            tempfile.TemporaryFile("w+", encoding="utf-8") as spool_referrals,
        ):
            self._detentions(cursor, spool_lines, spool_links, spool_referrals)

    def _detentions(self, cursor, spool_lines, spool_links, spool_referrals) -> None:
        rng = self.rng
        started = time.perf_counter()
        detention_id = self._next_id("detentions_detention")
        line_id = self._next_id("detentions_goodsline")
        link_id = self._next_id("detentions_detention_recordals")
        referral_id = self._next_id("detentions_referral")
        number = self._next_value("detention_number_seq")
        as_of = self.as_of.toordinal()

        ip_kind = Weighted({"trademark": 0.993, "copyright": 0.004, "patent": 0.003})
        direction = Weighted({"export": 0.985, "import": 0.012, "transit": 0.003})
        channel = Weighted(CHANNELS)
        transport = {name: Weighted(mix) for name, mix in TRANSPORT.items()}
        destinations = []
        for region in REGIONS.values():
            total = sum(region["countries"].values())
            destinations += [
                (c, region["share"] * w / total) for c, w in region["countries"].items()
            ]
        total = sum(OTHER_DESTINATIONS.values())
        destinations += [(c, OTHER_SHARE * w / total) for c, w in OTHER_DESTINATIONS.items()]
        destination = Weighted(destinations)
        foreign_origin = Weighted(
            {"VN": 3, "TH": 2, "MY": 2, "TR": 2, "IN": 2, "US": 1, "HK": 2, "KR": 1, "ID": 1}
        )
        category = Weighted((name, spec[0]) for name, spec in CATEGORIES.items())
        multiplier_mean = sum(spec[0] * spec[1] for spec in CATEGORIES.values())
        lines_per_case = Weighted({1: 0.45, 2: 0.30, 3: 0.15, 4: 0.10})
        tiers = Weighted(PENALTY_TIERS)
        disposals = Weighted(DISPOSALS)
        referral_status = Weighted(REFERRAL_STATUS)
        ex_officio_path = Weighted(EX_OFFICIO_PATHS)
        application_path = Weighted(ON_APPLICATION_PATHS)
        consignors = [
            f"{rng.choice(CN_CITIES)} {self.brand()} {rng.choice(TRADE_WORDS)} Co., Ltd."
            for _ in range(4000)
        ]
        consignees = [
            f"{self.brand()} {rng.choice(TRADE_WORDS)} {rng.choice(FOREIGN_SUFFIXES)}"
            for _ in range(4000)
        ]
        people = [f"{s} {g}" for s in SURNAMES for g in GIVEN]
        # Items per goods line: lognormal around the channel's mean per batch.
        mu = {
            name: _lognormal_mu(MEAN_ITEMS[name] / 1.9 / multiplier_mean, ITEMS_SIGMA[name])
            for name in CHANNELS
        }

        counts = {"lines": 0, "links": 0, "referrals": 0}
        iso = self.iso
        summary = self.summary

        def generate_rows() -> Iterator[str]:
            nonlocal detention_id, line_id, link_id, referral_id, number
            for year, opened in self._days():
                pk = detention_id
                detention_id += 1
                kind = ip_kind.pick(rng)
                mode = "ex_officio" if rng.random() < 0.975 else "on_application"
                holder = self.holder_choice[kind].pick(rng)
                office = self.office_choice.pick(rng)
                ports = self.ports[office]
                port = rng.choice(ports) if ports and rng.random() < 0.9 else None
                way = direction.pick(rng)
                chan = channel.pick(rng)
                if way == "import" and chan in ("market_procurement", "cross_border_ecommerce"):
                    chan = "express"
                mode_of_transport = transport[chan].pick(rng)
                if way == "export":
                    origin, dest = "CN", destination.pick(rng)
                elif way == "import":
                    origin, dest = foreign_origin.pick(rng), "CN"
                else:
                    origin, dest = foreign_origin.pick(rng), destination.pick(rng)
                personal = chan in ("postal", "passenger_luggage")
                if personal:
                    consignor = rng.choice(people)
                    consignee = rng.choice(people) if way == "import" else rng.choice(consignees)
                    id_number = (
                        f"E{rng.randrange(10**8):08d}" if chan == "passenger_luggage" else ""
                    )
                    declaration = ""
                else:
                    consignor, consignee, id_number = (
                        rng.choice(consignors),
                        rng.choice(consignees),
                        "",
                    )
                    if way == "import":
                        consignor, consignee = consignee, consignor
                    digit = DECLARED.get(chan, 9)
                    declaration = (
                        f"{self.office_code[office]}{year}{digit}{rng.randrange(10**9):09d}"
                    )
                # The right(s): one (sometimes two) of the holder's recordals of the kind,
                # approved before the case; on application only half name a recordal.
                own = self.by_kind[kind][holder]
                recordal, approved, until = rng.choice(own)
                if not approved <= opened <= until:
                    recordal = rng.choice([e[0] for e in own if e[1] <= opened <= e[2]])
                case_recordals = [recordal]
                if len(own) > 1 and rng.random() < 0.1:
                    other, approved, until = rng.choice(own)
                    if other != recordal and approved <= opened <= until:
                        case_recordals.append(other)
                if mode == "on_application" and rng.random() < 0.5:
                    case_recordals = []
                line_recordal = case_recordals[0] if case_recordals else None
                # Goods lines, totals derived from them.
                items = value = 0
                first_category = category.pick(rng)
                n_lines = 1 if personal and rng.random() < 0.7 else lines_per_case.pick(rng)
                for n in range(n_lines):
                    cat = first_category if n == 0 or rng.random() < 0.35 else category.pick(rng)
                    _, mult, price, _, hs_codes, descriptions = CATEGORIES[cat]
                    quantity = max(1, int(rng.lognormvariate(mu[chan], ITEMS_SIGMA[chan]) * mult))
                    unit_fen = max(1, int(price * 100 * rng.lognormvariate(0, 0.5)))
                    line_value = quantity * unit_fen
                    items += quantity
                    value += line_value
                    spool_lines.write(row(
                        line_id, pk, rng.choice(descriptions), rng.choice(hs_codes), cat, quantity,
                        "sticks" if cat == "tobacco" else "pieces", money(line_value),
                        line_recordal,
                    ))  # fmt: skip
                    line_id += 1
                    counts["lines"] += 1
                for recordal_pk in case_recordals:
                    spool_links.write(f"{link_id}\t{pk}\t{recordal_pk}\n")
                    link_id += 1
                    counts["links"] += 1
                # The lifecycle as far as it got by the end of the data.
                status = "notified" if mode == "ex_officio" else "applied"
                outcome, determination = "pending", ""
                detained = determined = confiscated = disposed = closed = None
                bond = bond_source = bond_form = bond_reference = general_bond = None
                tier = fine = undeclared = criterion = disposal = exceeds = None
                last = opened
                if mode == "ex_officio":
                    path = ex_officio_path.pick(rng)
                    if path == "no_reply":
                        day = opened + rng.randint(4, 8)
                        if day <= as_of:
                            status, outcome, last = "released", "released", day
                            day += rng.randint(0, 20)
                            if day <= as_of:
                                status, closed, last = "closed", day, day
                    else:
                        day = opened + rng.randint(1, 3)
                        if day <= as_of:  # R12: detention requested, bond provided
                            status, last = "detention_requested", day
                            bond = _bond_fen(value)
                            covering = self.bonds.get((holder, year))
                            if (
                                covering
                                and kind == "trademark"
                                and covering[1] <= day
                                and rng.random() < 0.8
                            ):  # R15: under the general bond, no per-case bond
                                bond_source, bond_form = "general_bond", "guarantee"
                                general_bond, _, bond_reference = covering
                                bond = None
                            else:
                                bond_source = "case_bond"
                                bond_form = "cash" if rng.random() < 0.4 else "guarantee"
                                bond_reference = f"BR{year}{pk:08d}"
                            day += rng.randint(0, 2)
                            if day <= as_of:
                                status, detained, last = "detained", day, day
                        if detained is not None:
                            last, status, outcome, determination, determined, closed = (
                                _after_detention(rng, path, detained, as_of, status)
                            )
                            if determination == "infringing":
                                exceeds = "t" if personal else None
                            if determination == "infringing":
                                day = determined + rng.randint(1, 15)
                                if day <= as_of:  # R23, R24
                                    status, outcome, confiscated, last = (
                                        "confiscated", "confiscated", day, day,
                                    )  # fmt: skip
                                    tier, fine = _penalty(rng, tiers.pick(rng), value)
                                    if tier == "none":
                                        criterion = rng.choice(self.criteria)
                                    if chan == "general_trade" and rng.random() < 0.02:
                                        undeclared = rng.randint(1_000, 50_000) * 100
                                    day += rng.randint(15, 120)
                                    if day <= as_of:
                                        status, disposal, disposed, last = (
                                            "disposed", disposals.pick(rng), day, day,
                                        )  # fmt: skip
                                        day += rng.randint(1, 30)
                                        if day <= as_of:
                                            status, closed, last = "closed", day, day
                else:
                    path = application_path.pick(rng)
                    day = opened + rng.randint(1, 5)
                    if day <= as_of:
                        if path == "rejected":
                            status, outcome, last = "rejected", "rejected", day
                        elif path == "withdrawn" and rng.random() < 0.5:
                            status, outcome, last = "released", "released", day
                        else:  # R18: the bond equals the goods value
                            status, detained, last = "detained", day, day
                            bond, bond_source = value, "case_bond"
                            bond_form = "cash" if rng.random() < 0.3 else "guarantee"
                            bond_reference = f"BR{year}{pk:08d}"
                            day += rng.randint(5, 20) if path == "court" else rng.randint(28, 35)
                            if day <= as_of:
                                last = day
                                status = outcome = (
                                    "court_ordered" if path == "court" else "released"
                                )
                        if status in ("rejected", "released", "court_ordered"):
                            day += rng.randint(5, 120)
                            if day <= as_of:
                                status, closed, last = "closed", day, day
                # R25: about 0.7% of the batches are referred to public security.
                if (
                    determined is not None
                    and path in ("confiscated", "court")
                    and rng.random() < 0.0082
                ):
                    referred = determined + rng.randint(0, 20)
                    if referred <= as_of:
                        state = referral_status.pick(rng)
                        decided = referred + rng.randint(10, 90)
                        if decided > as_of:
                            state = "referred"
                        police = ""
                        if state == "accepted":
                            police = f"PS{year}{rng.randrange(10**7):07d}"
                        city = self.office_city[office]
                        spool_referrals.write(row(
                            referral_id, pk, f"{city} Municipal Public Security Bureau",
                            iso(referred), "Suspected crime of counterfeiting a registered "
                            "trademark: value and quantity above the prosecution threshold.",
                            state, None if state == "referred" else iso(decided), police, "",
                            f"{iso(referred)} 11:00:00+08",
                        ))  # fmt: skip
                        referral_id += 1
                        counts["referrals"] += 1
                minute = rng.randrange(480, 1080)
                clock = f" {minute // 60:02d}:{minute % 60:02d}:00+08"
                case_number = f"{self.office_code[office]}-{year}-D{number:07d}"
                number += 1
                holder_right = ""
                if mode == "on_application":
                    holder_right = f"Registered {kind} of the applicant"
                yield row(
                    pk, case_number, mode, status, office, port, holder, way, chan,
                    mode_of_transport, declaration, origin, dest, consignor,
                    "CN" if way == "export" else origin,
                    f"No. {rng.randint(1, 999)} Industrial Road, {rng.choice(CN_CITIES)}"
                    if way == "export" else "",
                    "", id_number, consignee, dest if way != "import" else "CN", "", kind,
                    holder_right, "", "Photos and sample inspection" if holder_right else "",
                    f"{self.office_city[office]}, by {mode_of_transport}" if holder_right else "",
                    items, money(value), iso(opened), _date(iso, detained), _date(iso, determined),
                    _date(iso, confiscated), _date(iso, closed), outcome, determination, exceeds,
                    None if bond is None else money(bond), bond_source or "", bond_form or "",
                    bond_reference or "", general_bond, tier or "",
                    None if fine is None else money(fine),
                    None if undeclared is None else money(undeclared), criterion, disposal or "",
                    _date(iso, disposed), "", iso(opened) + clock, iso(last) + clock, "", "",
                )  # fmt: skip
                summary.detentions += 1
                if summary.detentions % 100_000 == 0:
                    self.progress(
                        f"    {summary.detentions:,} detentions "
                        f"({time.perf_counter() - started:.0f} s)"
                    )

        columns = [
            "id", "number", "mode", "status", "office_id", "port_id", "holder_id", "direction",
            "channel", "transport_mode", "declaration_number", "origin_country",
            "destination_country", "consignor_name", "consignor_country", "consignor_address",
            "consignor_contact", "consignor_id_number", "consignee_name", "consignee_country",
            "consignee_address", "ip_kind", "right_description", "right_registration_number",
            "evidence", "expected_arrival", "total_items", "total_value", "opened_on",
            "detained_on", "determined_on", "confiscated_on", "closed_on", "outcome",
            "determination", "exceeds_personal_quantity", "bond_amount", "bond_source",
            "bond_form", "bond_reference", "general_bond_id", "penalty_tier", "penalty_fine",
            "undeclared_ip_fine", "no_penalty_criterion_id", "disposal_method", "disposed_on",
            "internal_notes", "created_at", "updated_at",
            # R12: the detention receipt's number and to whom it was served; none recorded.
            "receipt_number", "receipt_served_to",
        ]  # fmt: skip
        copy_lines(cursor, "detentions_detention", columns, generate_rows())
        self._timed(f"COPY {summary.detentions:,} detentions", started)
        started = time.perf_counter()
        copy_file(cursor, "detentions_goodsline",
                  ["id", "detention_id", "description", "hs_code", "category", "quantity",
                   "unit", "value", "recordal_id"], spool_lines)  # fmt: skip
        self._timed(f"COPY {counts['lines']:,} goods lines", started)
        started = time.perf_counter()
        copy_file(cursor, "detentions_detention_recordals",
                  ["id", "detention_id", "recordal_id"], spool_links)  # fmt: skip
        copy_file(cursor, "detentions_referral",
                  ["id", "detention_id", "organ", "referred_on", "grounds", "status",
                   "decided_on", "police_case_number", "outcome", "created_at"],
                  spool_referrals)  # fmt: skip
        self._timed(
            f"COPY {counts['links']:,} recordal links and {counts['referrals']:,} referrals",
            started,
        )
        cursor.execute("SELECT setval('detention_number_seq', %s)", [number - 1])
        summary.goods_lines = counts["lines"]
        summary.recordal_links = counts["links"]
        summary.referrals = counts["referrals"]

    # finishing ---------------------------------------------------------------------------------

    TABLES = (
        "accounts_organisation",
        "recordals_recordal",
        "recordals_generalbond",
        "detentions_detention",
        "detentions_goodsline",
        "detentions_detention_recordals",
        "detentions_referral",
    )

    def finish(self, cursor) -> None:
        started = time.perf_counter()
        for table in self.TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        for table in self.TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
        self._timed("sequences, VACUUM ANALYZE", started)

    def run(self) -> Summary:
        started = time.perf_counter()
        self.load_offices()
        self.connection.ensure_connection()
        with self.connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # psycopg's, for COPY
            self.organisations(cursor)
            self.recordals(cursor)
            self.general_bonds(cursor)
            self.detentions(cursor)
            if self.n_applications:
                self.applications(cursor)
            self.finish(cursor)
        self.summary.seconds = time.perf_counter() - started
        return self.summary


def _lognormal_mu(mean: float, sigma: float) -> float:
    """The mu of a lognormal with this mean: mean = exp(mu + sigma^2 / 2)."""
    import math

    return math.log(max(mean, 1.0)) - sigma * sigma / 2


def _bond_fen(value: int) -> int:
    """R14 in fen: the value below 20,000; half of it (at least 20,000) up to 200,000;
    100,000 above (detentions/rules.py `bond_amount`, rounded half up)."""
    if value < 2_000_000:
        return value
    if value <= 20_000_000:
        return max((value + 1) // 2, 2_000_000)
    return 10_000_000


def _penalty(rng: random.Random, tier: str, value: int) -> tuple[str, int]:
    """R24: a fine inside the tier's band, rounded down to the fen, so never above 30%."""
    if tier in ("none", "mitigated"):
        return tier, 0
    low, high = TIER_PERMILLE[tier]
    fine = value * rng.randint(low, high) // 1000
    if fine == 0:
        return "mitigated", 0
    return tier, fine


def _after_detention(rng, path: str, detained: int, as_of: int, status: str):
    """Determination and, for releases and court orders, the outcome and closing."""
    last, outcome, determination, determined, closed = detained, "pending", "", None, None
    if path == "withdrawn":  # R22
        day = detained + rng.randint(1, 10)
        if day <= as_of:
            status, outcome, last = "released", "released", day
    else:
        day = detained + rng.randint(5, 40)  # R16: 30 working days
        if day <= as_of:
            determined, last = day, day
            if path == "confiscated":
                status, determination = "infringing", "infringing"
            elif path == "not_infringing":
                status, outcome, determination = "released", "released", "not_infringing"
            else:
                status, determination = "undetermined", "undetermined"
                day += rng.randint(10, 40) if path == "court" else rng.randint(60, 75)  # R17
                if day <= as_of:
                    last = day
                    status = outcome = "court_ordered" if path == "court" else "released"
    if outcome != "pending":
        day = last + rng.randint(5, 120)
        if day <= as_of:
            status, closed, last = "closed", day, day
    return last, status, outcome, determination, determined, closed


def _date(iso: Callable[[int], str], ordinal: int | None) -> str | None:
    return None if ordinal is None else iso(ordinal)


def generate(
    connection,
    *,
    detentions: int = 1_000_000,
    seed: int = 2024,
    first_year: int = FIRST_YEAR,
    years: int = YEARS,
    holders: int = HOLDERS,
    applications: int | None = None,
    progress: Callable[[str], None] | None = print,
) -> Summary:
    """Fill a migrated database (a Django connection) with the national data set.

    `applications`: recordal applications submitted in the last year (fewer in earlier
    years); None for the national volume scaled with the detentions a year (30,000 at
    1,000,000 detentions over 24 years), 0 for none."""
    return _Generator(
        connection,
        detentions=detentions,
        seed=seed,
        first_year=first_year,
        years=years,
        holders=holders,
        applications=applications,
        progress=progress,
    ).run()
