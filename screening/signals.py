"""What screening matches against changed: move the snapshot's version, so every process
rebuilds its snapshot on its next screening (a lapsed recordal stops matching at once)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from campaigns.models import Campaign, PriorityHolder
from detentions.models import Detention
from recordals.models import GenuineGoods, KnownInfringer, Licensee, Recordal
from screening.models import MarkVariant, ScreeningRule, SnapshotVersion

WATCHED = (
    Recordal,
    Licensee,
    GenuineGoods,
    KnownInfringer,
    MarkVariant,
    ScreeningRule,
    Detention,
    Campaign,
    PriorityHolder,
)


# This process sees a change at once (even inside its own transaction), without holding
# a lock on the version row for the rest of the transaction.
local_generation = [0]


def bump_snapshot_version(**_kwargs) -> None:
    if not SnapshotVersion.objects.filter(pk=1).update(version=F("version") + 1):
        SnapshotVersion.objects.get_or_create(pk=1, defaults={"version": 1})


# The outermost transaction a bump is already queued for, per database alias: one bump
# per transaction however many rows it saves (kept by reference, so never mistaken for a
# later transaction).
_queued_for: dict[str, object] = {}


def _changed(sender, using=None, **kwargs):
    if kwargs.get("raw"):
        return
    local_generation[0] += 1
    # Other processes see the new version once the change is committed.
    connection = transaction.get_connection(using)
    outermost = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if outermost is not None and _queued_for.get(connection.alias) is outermost:
        return
    _queued_for[connection.alias] = outermost
    transaction.on_commit(bump_snapshot_version, using=using)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"screening-{model.__name__}-s")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"screening-{model.__name__}-d")
    m2m_changed.connect(
        _changed, sender=Detention.recordals.through, dispatch_uid="screening-detention-m2m"
    )
    m2m_changed.connect(
        _changed, sender=Campaign.regions.through, dispatch_uid="screening-campaign-regions"
    )
