"""Who an object concerns, as the apps above accounts need to know it (e.g. deadlines:
whom to remind of a deadline on it, see deadlines/subjects.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parties:
    holder_id: int | None
    office_id: int | None  # None: the GACC handles it (recordal review, renewal decisions)
    label: str
    agency_id: int | None = None  # a deadline of one agency only (its power of attorney)
