"""The one rule of who sees what (STYLE.md, convention 6).

Every API endpoint and every admin page gets its queryset through `visible_to(user, qs)`.
A model says how it hangs off the parties with a `Visibility` on the class:

    class Detention(models.Model):
        visibility = Visibility(holder="holder", office="office")

and the rule is then, per role:

| role             | sees                                                                 |
|------------------|----------------------------------------------------------------------|
| GACC officer     | everything                                                           |
| district officer | objects of its own office; objects with no office path: all (read)   |
| holder user      | objects whose holder is its organisation                             |
| agent user       | objects whose holder it holds a running authorisation for (today,    |
|                  | Asia/Shanghai), and objects its agency owns (`agency` path)          |
| anyone else      | nothing                                                              |

`public=Q(...)` widens the rule to any signed-in user (e.g. the list of customs offices);
`extra(user) -> Q` adds a model's own case (a holder sees the agencies it authorised);
`agents_via_holder=False` keeps agents to their own rows (another agency's power of
attorney for the same holder is none of their business); `owner` makes rows strictly
personal (a user's notifications, even GACC sees only its own); `officers_only` hides
internal work (escalations) from holders and agents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from core.errors import NotPermitted
from core.timezone import local_today

# An empty Q() is dropped when OR-ed, so "every row" must be spelled out.
EVERYTHING = Q(pk__isnull=False)


@dataclass(frozen=True)
class Visibility:
    holder: str | None = None  # path to the rights holder's organisation
    office: str | None = None  # path to the handling (district) customs office
    agency: str | None = None  # path to an IP agency that owns the object itself
    public: Q | None = None  # objects every signed-in user may see
    extra: Callable | None = None  # user -> Q, a model's own additional case
    agents_via_holder: bool = True
    owner: str | None = None  # path to the user a row belongs to personally
    agency_limit: str | None = None  # rows naming one agency are for that agency only
    officers_only: bool = False


def authorised_holder_ids(agency_id, on=None) -> QuerySet:
    """Holders an agency may act for on `on` (today by default), as a subquery."""
    from accounts.models import Authorisation

    return (
        Authorisation.objects.active(on or local_today())
        .filter(agency_id=agency_id)
        .values("holder_id")
    )


def authorised_agency_ids(holder_id, on=None) -> QuerySet:
    """Agencies holding a running authorisation from this holder, as a subquery."""
    from accounts.models import Authorisation

    return (
        Authorisation.objects.active(on or local_today())
        .filter(holder_id=holder_id)
        .values("agency_id")
    )


def visible_to(user, queryset: QuerySet) -> QuerySet:
    """Narrow `queryset` to the rows `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    rule: Visibility = queryset.model.visibility
    if rule.owner:
        return queryset.filter(**{rule.owner: user.pk})
    if user.sees_everything:
        return queryset
    if rule.officers_only and not user.is_officer:
        return queryset.none()
    allowed = Q(pk__in=[])
    if rule.public is not None:
        allowed |= rule.public
    if rule.extra is not None:
        allowed |= rule.extra(user)
    role = user.role
    org_id = user.organisation_id
    if role == user.Role.DISTRICT_OFFICER:
        allowed |= Q(**{rule.office: org_id}) if rule.office else EVERYTHING
    elif role == user.Role.HOLDER:
        if rule.holder:
            allowed |= Q(**{rule.holder: org_id})
    elif role == user.Role.AGENT:
        if rule.holder and rule.agents_via_holder:
            mine = Q(**{f"{rule.holder}__in": authorised_holder_ids(org_id)})
            if rule.agency_limit:
                mine &= Q(**{f"{rule.agency_limit}__isnull": True}) | Q(
                    **{rule.agency_limit: org_id}
                )
            allowed |= mine
        if rule.agency:
            allowed |= Q(**{rule.agency: org_id})
    else:
        return queryset.none()
    return queryset.filter(allowed)


def can_see(user, obj) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def acting_role(user) -> str | None:
    """The role a user acts in: platform superusers act as GACC officers (the workflow
    tables, the admin, the API and the services all ask this one function)."""
    if user is None:
        return None
    return "gacc_officer" if user.is_superuser else user.role


def _follow(obj, path: str):
    """The value at a Visibility path (`detention__office_id`) read from an instance."""
    for name in path.split("__"):
        obj = getattr(obj, name, None)
    return obj


def may_act(user, obj) -> None:
    """The one rule of who may act on what, beside `visible_to`: GACC on everything, a
    district officer on its own office's objects (all, where an object has no office),
    the holder's users and its running agents on the holder's objects; nobody else.
    Which steps a role may take is the workflow table's; this says on which objects.
    Raises NotPermitted (403)."""
    role = acting_role(user)
    rule: Visibility = type(obj).visibility
    if role == "gacc_officer":
        return
    require_verified(user)
    if role == "district_officer":
        if rule.office and _follow(obj, rule.office) != user.organisation_id:
            raise NotPermitted(gettext("District officers act on their own office's cases only."))
        return
    if role in ("holder", "agent") and rule.holder:
        if not acts_for_holder(user, _follow(obj, rule.holder)):
            raise NotPermitted(
                gettext("Only the holder or its authorised agents act on this %(subject)s.")
                % {"subject": type(obj)._meta.verbose_name}
            )
        return
    raise NotPermitted(gettext("You may not act on this."))


def acts_for_holder(user, holder_id) -> bool:
    """May `user` act in the name of this rights holder (its own user, or a running agent)?"""
    if not user.is_authenticated or not is_verified(user):
        return False
    if user.role == user.Role.HOLDER:
        return user.organisation_id == holder_id
    if user.role == user.Role.AGENT:
        return authorised_holder_ids(user.organisation_id).filter(holder_id=holder_id).exists()
    return False


def is_verified(user) -> bool:
    """Has GACC verified the user's organisation? (Self-registered ones wait; R3.)"""
    org = getattr(user, "organisation", None)
    return org is None or org.verification == "verified"


def require_verified(user) -> None:
    """The one check that an organisation registered in the portal is verified before its
    users file or act: `may_act` asks it for every step, `acts_for_holder` for filings."""
    if not is_verified(user):
        raise NotPermitted(
            gettext(
                "Your organisation is awaiting verification by GACC: you can file and act "
                "once it is verified."
            )
        )
