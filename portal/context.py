"""What every portal page shows around its content: the navigation and the sign-out."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SIGNED_IN = [
    ("portal:desk", _("My desk")),
    ("portal:cases", _("Detentions")),
    ("portal:recordals", _("My recordals")),
    ("portal:notifications", _("Notifications")),
    ("portal:statistics", _("My statistics")),
    ("portal:search", _("Public search")),
    ("portal:preferences", _("My account")),
]
ANONYMOUS = [
    ("portal:search", _("Public search")),
    ("portal:login", _("Sign in")),
    ("portal:register", _("Register")),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def portal(request) -> dict:
    """`portal_nav` (label, url, current) and `portal_logout_url`, for portal pages only."""
    if request.resolver_match is None or request.resolver_match.app_name != "portal":
        return {}
    user = getattr(request, "user", None)
    items = SIGNED_IN if user is not None and user.is_authenticated else ANONYMOUS
    nav = []
    for name, label in items:
        url = _url(name)
        if url:
            current = request.path == url or (url != "/" and request.path.startswith(url))
            nav.append({"url": url, "label": label, "current": current})
    # A self-registered organisation not yet verified by GACC: a notice on every page.
    unverified = bool(
        user is not None
        and user.is_authenticated
        and user.organisation_id
        and user.organisation.verification != "verified"
    )
    return {
        "portal_nav": nav,
        "portal_logout_url": _url("portal:logout"),
        "portal_unverified": unverified,
    }
