"""Who may take which statistics: the one rule, for the API, the command's callers and
the admin page. GACC officers every scope; a district officer the national figures
(published ones) and its own district's; a rights holder's users and its authorised
agents that holder's own cases."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation
from accounts.scoping import acting_role, acts_for_holder


def districts_for(user) -> QuerySet:
    """The districts `user` may take the statistics of."""
    districts = Organisation.objects.filter(
        kind=Organisation.Kind.CUSTOMS, customs_level=Organisation.CustomsLevel.DISTRICT
    ).order_by("customs_code")
    if user.sees_everything:
        return districts
    if acting_role(user) == "district_officer":
        return districts.filter(pk=user.organisation_id)
    return districts.none()


def may_see_statistics(user, *, kind: str, holder_id: int | None, office=None) -> bool:
    """`office` is the district once known (None while only the kind is checked)."""
    role = acting_role(user)
    if role == "gacc_officer":
        return True
    if role == "district_officer":
        if kind == "district" and office is not None:
            return districts_for(user).filter(pk=office.pk).exists()
        return kind in ("national", "district")
    return kind == "holder" and holder_id is not None and acts_for_holder(user, holder_id)
