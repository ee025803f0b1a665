"""The scoping rule as core's admin and API bases apply it, without core importing accounts
(STYLE.md: `core` imports no app). The rule itself is `accounts.scoping.visible_to`;
accounts installs it here in `AccountsConfig.ready()`."""

from django.core.exceptions import ImproperlyConfigured

_rule = None


def install_rule(rule) -> None:
    """Install the one rule of who sees what (STYLE.md, convention 6): `rule(user, qs)`."""
    global _rule
    _rule = rule


def visible_to(user, queryset):
    """The rows of `queryset` that `user` may see, by the installed rule."""
    if _rule is None:
        # Never fall back to "everything": an unscoped admin or API would leak every row.
        raise ImproperlyConfigured("No scoping rule installed: is 'accounts' an installed app?")
    return _rule(user, queryset)
