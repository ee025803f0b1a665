"""The unified social credit code (统一社会信用代码, GB 32100-2015) of a Chinese organisation:
18 characters from a 31-character alphabet (no I, O, S, V, Z), the last a check character
computed from the first 17 with weights 3^i mod 31."""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SHAPE = re.compile(rf"[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}")


def normalise(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "")


def check_character(first17: str) -> str:
    pairs = zip(first17, WEIGHTS, strict=True)
    total = sum(ALPHABET.index(char) * weight for char, weight in pairs)
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """18 characters of the alphabet, an administrative-division code of six digits at
    positions 3-8, and the right check character."""
    code = normalise(code)
    return bool(SHAPE.fullmatch(code)) and check_character(code[:17]) == code[17]
