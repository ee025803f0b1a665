"""The detention rules that are pure computation: bonds (R14, R18), penalty tiers (R24),
disposal order (R23), storage after confiscation (R27). No database access here; the
services, the API (`/api/v1/bonds/quote/`) and the admin all call these."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from detentions.models import DisposalMethod, Mode, PenaltyTier

FEN = Decimal("0.01")

# Periods in working days, each counted from the day after its trigger (R13, R29).
REPLY_DAYS = 3  # R12: the holder's reply to the notice, with the bond in place
INVESTIGATION_DAYS = 30  # R16: from detention
COURT_ORDER_DAYS = {Mode.EX_OFFICIO: 50, Mode.ON_APPLICATION: 20}  # R17, R19: from detention
COST_PAYMENT_DAYS = 10  # R15, R27: the holder pays costs charged to it

# R14: tiers of the ex officio bond on the customs-determined goods value (CNY).
BOND_LOWER_BOUND = Decimal("20000")
BOND_UPPER_BOUND = Decimal("200000")
BOND_MIDDLE_SHARE = Decimal("0.5")
BOND_MIDDLE_FLOOR = Decimal("20000")
BOND_CAP = Decimal("100000")

# R24: the fine is at most 30% of the goods value; not declaring IP status at most 50,000.
FINE_CAP_SHARE = Decimal("0.30")
UNDECLARED_IP_FINE_CAP = Decimal("50000")
# Share of the goods value each tier allows: lighter (0, 10%), general [10%, 20%),
# heavier [20%, 30%]; no penalty and mitigated: no fine.
TIER_BANDS: dict[str, tuple[Decimal, Decimal]] = {
    PenaltyTier.NONE: (Decimal(0), Decimal(0)),
    PenaltyTier.MITIGATED: (Decimal(0), Decimal(0)),
    PenaltyTier.LIGHTER: (Decimal(0), Decimal("0.10")),
    PenaltyTier.GENERAL: (Decimal("0.10"), Decimal("0.20")),
    PenaltyTier.HEAVIER: (Decimal("0.20"), FINE_CAP_SHARE),
}
TIER_ORDER = [
    PenaltyTier.NONE,
    PenaltyTier.MITIGATED,
    PenaltyTier.LIGHTER,
    PenaltyTier.GENERAL,
    PenaltyTier.HEAVIER,
]

# R23: the order of preference of disposal methods.
DISPOSAL_PREFERENCE = [
    DisposalMethod.DONATION,
    DisposalMethod.TRANSFER_TO_HOLDER,
    DisposalMethod.AUCTION,
    DisposalMethod.DESTRUCTION,
]

# R27 (unconfirmed detail): storage after confiscation is charged for the actual period,
# at most this many months after the decision is served.
STORAGE_AFTER_CONFISCATION_MONTHS = 3


def fen(amount: Decimal) -> Decimal:
    """CNY to the fen, rounded half up (R14)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def bond_amount(mode: str, goods_value: Decimal) -> Decimal:
    """The bond a detention needs (R14 ex officio, R18 on application).

    >>> bond_amount("ex_officio", Decimal("100000"))
    Decimal('50000.00')
    """
    if goods_value < 0:
        raise ValueError("goods value must not be negative")
    if mode == Mode.ON_APPLICATION:
        return fen(goods_value)  # R18: equal to the goods value
    if mode != Mode.EX_OFFICIO:
        raise ValueError(f"unknown mode {mode!r}")
    if goods_value < BOND_LOWER_BOUND:
        return fen(goods_value)
    if goods_value <= BOND_UPPER_BOUND:
        return fen(max(goods_value * BOND_MIDDLE_SHARE, BOND_MIDDLE_FLOOR))
    return fen(BOND_CAP)


def fine_fits_tier(tier: str, fine: Decimal, goods_value: Decimal) -> bool:
    """Does the fine lie in the tier's band of the goods value (R24)? Compared exactly,
    before any rounding: 10% of 1,000.05 is 100.005, and 100.00 is below it."""
    if tier in (PenaltyTier.NONE, PenaltyTier.MITIGATED):
        return fine == 0
    low, high = (goods_value * share for share in TIER_BANDS[tier])
    if tier == PenaltyTier.LIGHTER:
        return 0 < fine < high
    if tier == PenaltyTier.GENERAL:
        return low <= fine < high
    return low <= fine <= high


def disposal_needs_reason(method: str) -> bool:
    """Any method but the first preference must say why the preferred ones were not
    possible (R23)."""
    return DISPOSAL_PREFERENCE.index(method) > 0


def storage_limit(decision_served_on: dt.date) -> dt.date:
    """The last day storage may be charged for after confiscation (R27)."""
    month = decision_served_on.month - 1 + STORAGE_AFTER_CONFISCATION_MONTHS
    year = decision_served_on.year + month // 12
    month = month % 12 + 1
    for day in (decision_served_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
