"""The snapshot screening reads: built from the recordals in force today (R6, R7: a
recordal that lapses stops matching), cached per process and rebuilt when the version row
moves (screening/signals.py) or the day changes (a term that ends needs no save)."""

from __future__ import annotations

import threading

from django.db.models import Q

from campaigns.models import Campaign, PriorityHolder
from core.timezone import local_today
from detentions.models import Detention, Determination, Outcome
from recordals.models import Recordal
from screening import matching
from screening.models import ScreeningRule, SnapshotVersion

_lock = threading.Lock()
_cache: dict = {"key": None, "snapshot": None, "rules": None}


def snapshot_version() -> int:
    row = SnapshotVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def current_snapshot() -> tuple[matching.Snapshot, matching.Rules]:
    """The snapshot and the rules for this process, rebuilt only when stale."""
    from screening.signals import local_generation

    key = (snapshot_version(), local_generation[0], local_today())
    if _cache["key"] == key:
        return _cache["snapshot"], _cache["rules"]
    with _lock:
        if _cache["key"] != key:
            _cache["snapshot"] = build_snapshot(day=key[2])
            _cache["rules"] = current_rules()
            _cache["key"] = key
    return _cache["snapshot"], _cache["rules"]


def current_rules() -> matching.Rules:
    rows = ScreeningRule.objects.filter(is_active=True).values_list("code", "weight", "threshold")
    return matching.Rules(
        weights={code: weight for code, weight, _t in rows},
        thresholds={code: threshold for code, _w, threshold in rows},
    )


def build_snapshot(*, day) -> matching.Snapshot:
    """The recordals in force on `day` as plain data (a handful of queries)."""
    recordals = list(
        Recordal.objects.in_force_on(day)
        .select_related("holder")
        .prefetch_related("licensees", "genuine_goods", "known_infringers", "screening_variants")
        .order_by("number")
    )
    priority = {}
    running = Campaign.objects.filter(starts_on__lte=day, ends_on__gte=day)
    for row in PriorityHolder.objects.filter(campaign__in=running).select_related("campaign"):
        priority.setdefault(row.holder_id, row.campaign.code)
    rights = []
    for r in recordals:
        # A trademark's name is its mark; a work's or a patent's title is not: their
        # recognisable forms (a character's name) are entered as variants.
        own = [r.right_name] if r.kind == "trademark" else []
        marks = [*own, *(v.text for v in r.screening_variants.all())]
        rights.append(
            matching.Right(
                number=r.number,
                marks=[m for m in marks if m],
                hs_codes=[g.hs_code for g in r.genuine_goods.all() if g.hs_code],
                prices=[
                    (g.hs_code, g.price_min, g.price_max)
                    for g in r.genuine_goods.all()
                    if g.hs_code
                ],
                authorised=[
                    n
                    for n in (
                        r.holder_name_en,
                        r.holder_name_zh,
                        *(lic.name for lic in r.licensees.all()),
                    )
                    if n
                ],
                known_infringers=[k.name for k in r.known_infringers.all()],
                priority=priority.get(r.holder_id, ""),
            )
        )
    past = []
    cases = (
        Detention.objects.filter(
            Q(determination=Determination.INFRINGING) | Q(outcome=Outcome.CONFISCATED)
        )
        .prefetch_related("recordals")
        .only("number", "consignor_name", "consignee_name")
    )
    for case in cases:
        numbers = [r.number for r in case.recordals.all() if r.number]
        for name in (case.consignor_name, case.consignee_name):
            if name and numbers:
                past.append(matching.PastParty(name=name, numbers=numbers, case=case.number))
    focus = []
    for c in running.prefetch_related("regions"):
        countries = set(c.countries or [])
        for region in c.regions.all():
            countries.update(region.countries or [])
        focus.append(
            matching.Focus(
                code=c.code,
                name=c.code,
                channels=frozenset(c.channels or []),
                directions=frozenset(c.directions or []),
                countries=frozenset(x.upper() for x in countries),
            )
        )
    return matching.Snapshot(rights, past, focus)
