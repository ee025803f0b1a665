"""Declarations as the screening API takes them (CONTRACT.md "Screening")."""

from __future__ import annotations

import copy

DECLARATION = {
    "number": "310420240001234567",
    "declared_on": "2024-11-05",
    "direction": "export",
    "channel": "market_procurement",
    "port": "Meishan",
    "consignor": {"name": "Yiwu Bright Trading Co.", "country": "CN"},
    "consignee": {"name": "Lagos Toys Ltd", "country": "NG"},
    "origin_country": "CN",
    "destination_country": "NG",
    "lines": [
        {
            "description": "Plastic buckets",
            "brand": "",
            "hs_code": "392490",
            "quantity": 100,
            "unit": "pieces",
            "value": "500.00",
        }
    ],
}


def declaration(*lines, number=None, **fields) -> dict:
    """The demo declaration with these goods lines (dicts over the default line)."""
    d = copy.deepcopy(DECLARATION)
    base = d["lines"][0]
    if lines:
        d["lines"] = [{**base, **line} for line in lines]
    if number:
        d["number"] = number
    d.update(fields)
    return d
