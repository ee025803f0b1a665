"""Demo screening (issue 19): the marks' other forms, and a handful of declarations
screened as one batch, among them the LABUBU shipment of DOMAIN.md as declared at Meishan
in November 2024, before it was detained. Idempotent: the variants and the batch are
keyed on their text and name; a batch once screened is not screened again."""

from __future__ import annotations

from recordals.models import Recordal
from screening import services
from screening.models import MarkVariant, ScreeningBatch

BATCH = "Demo declarations, Meishan and Shenzhen"

# (registration number, forms of the mark)
VARIANTS = [
    ("国作登字-2019-F-00812345", ["LABUBU", "拉布布", "THE MONSTERS"]),
    ("16543210", ["泡泡玛特", "POPMART"]),
    ("1612345", ["诺德卡普"]),
]


def _party(name, country):
    return {"name": name, "country": country}


def _line(description, hs_code, quantity, value, brand="", unit="pieces"):
    return {"description": description, "brand": brand, "hs_code": hs_code,
            "quantity": quantity, "unit": unit, "value": value}  # fmt: skip


DECLARATIONS = [
    # DOMAIN.md's real case, as declared before the goods were found (R12).
    {
        "number": "310720240004718253",
        "declared_on": "2024-11-08",
        "direction": "export",
        "channel": "market_procurement",
        "port": "Meishan",
        "consignor": _party("Yiwu Xinrui Import & Export Co., Ltd.", "CN"),
        "consignee": _party("Al Noor General Trading LLC", "AE"),
        "origin_country": "CN",
        "destination_country": "AE",
        "lines": [
            _line("Rubber floor mats with the LABUBU character", "401691", 39500, "95490.00"),
            _line("Keychain pendants, L A B U B U figure", "392640", 35900, "64620.00"),
            _line("Plastic stamps with the LABUBU character", "961100", 47900, "57480.00"),
            _line("Zip bags printed with the LABUBU character", "392321", 35900, "28720.00"),
            _line("Building blocks with Labubu figures", "950300", 39900, "123690.00"),
        ],
    },
    # Misspelled mark, mixed scripts, far below the genuine price.
    {
        "number": "530420250008812001",
        "declared_on": "2025-06-10",
        "direction": "export",
        "channel": "cross_border_ecommerce",
        "port": "Shenzhen Bay",
        "consignor": _party("Shenzhen Quick Sell E-commerce Co., Ltd.", "CN"),
        "consignee": _party("Lagos Gadget Hub", "NG"),
        "origin_country": "CN",
        "destination_country": "NG",
        "lines": [
            _line(
                "Blind box figures", "950300", 2000, "9000.00", brand="POP M\u0410RT"
            ),  # a Cyrillic A (U+0410)
            _line("Plush pendant LABUBUU", "950300", 5000, "15000.00"),
        ],
    },
    # The genuine goods from the recorded licensee: authorised supply chain.
    {
        "number": "310420250002200345",
        "declared_on": "2025-08-20",
        "direction": "export",
        "channel": "general_trade",
        "port": "Beilun",
        "consignor": _party("Dongguan Licensed Manufacturing Co.", "CN"),
        "consignee": _party("POP MART Singapore Pte. Ltd.", "SG"),
        "origin_country": "CN",
        "destination_country": "SG",
        "lines": [_line("POP MART designer vinyl toys", "950300", 1200, "180000.00")],
    },
    # A known infringer named in a recordal, goods described plainly.
    {
        "number": "310420250003300456",
        "declared_on": "2025-09-01",
        "direction": "export",
        "channel": "express",
        "port": "Meishan",
        "consignor": _party("Yiwu Lucky Star Trading Co., Ltd.", "CN"),
        "consignee": _party("Casablanca Toys SARL", "MA"),
        "origin_country": "CN",
        "destination_country": "MA",
        "lines": [_line("Vinyl figures", "950300", 3000, "12000.00")],
    },
    # Nothing to see.
    {
        "number": "310420250004400567",
        "declared_on": "2025-09-03",
        "direction": "export",
        "channel": "general_trade",
        "port": "Meishan",
        "consignor": _party("Ningbo Home Textiles Co., Ltd.", "CN"),
        "consignee": _party("Hamburg Bath GmbH", "DE"),
        "origin_country": "CN",
        "destination_country": "DE",
        "lines": [_line("Cotton bath towels", "630260", 10000, "85000.00")],
    },
]


def seed(parties: dict | None = None) -> ScreeningBatch:
    for registration_number, forms in VARIANTS:
        recordal = (
            Recordal.objects.filter(registration_number=registration_number)
            .exclude(number=None)
            .order_by("pk")
            .first()
        )
        for text in forms if recordal else ():
            MarkVariant.objects.get_or_create(recordal=recordal, text=text)
    batch = ScreeningBatch.objects.filter(name=BATCH).first()
    if batch is None:
        batch = services.batch_create(name=BATCH, declarations=DECLARATIONS)
    if batch.status != ScreeningBatch.Status.DONE:
        batch = services.batch_run(batch_id=batch.pk)
    return batch


def check() -> list[str]:
    batch = ScreeningBatch.objects.filter(name=BATCH).first()
    if batch is None or batch.status != ScreeningBatch.Status.DONE:
        return ["the demo screening batch is not screened"]
    labubu = batch.results.filter(number=DECLARATIONS[0]["number"]).first()
    if labubu is None or labubu.level != "high":
        return ["the LABUBU shipment is not screened high"]
    return []
