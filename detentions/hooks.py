"""What detentions announces to the apps above it, and what it asks them (core/hooks.py).

Campaigns connects its handlers in `CampaignsConfig.ready()`: it tags cases by its rules
when they are opened or their goods change, tells the liaison officers of priority
enterprises of new cases, and sets the penalty floor for priority enterprises (R24)."""

from __future__ import annotations

from core.hooks import Hooks
from detentions.rules import TIER_ORDER

hooks = Hooks(
    "detentions",
    {
        "case_opened": "A case was opened (R12, R18): handler(detention=).",
        "goods_changed": "Officers corrected a case's goods: handler(detention=).",
        "confiscated": "The goods were confiscated (R23, R24): handler(detention=).",
        "penalty_floor": "The lowest penalty tier allowed (R24): handler(detention=) -> tier "
        "or None.",
    },
)
connect = hooks.connect


def case_opened(detention) -> None:
    hooks.call("case_opened", detention=detention)


def goods_changed(detention) -> None:
    hooks.call("goods_changed", detention=detention)


def confiscated(detention) -> None:
    hooks.call("confiscated", detention=detention)


def penalty_floor(detention) -> str | None:
    """The highest of the floors the connected apps set on the case's penalty tier, None
    if none sets one."""
    floors = [tier for tier in hooks.call("penalty_floor", detention=detention) if tier]
    return max(floors, key=TIER_ORDER.index, default=None)
