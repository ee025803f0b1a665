# ruff: noqa: RUF001  (Django's own msgids, curly apostrophes and all)
"""Django's own strings that its Simplified Chinese catalogue lacks (Django 5.2): listed
here so that `make messages` puts them in ours and they are translated with the rest
(locale/zh_Hans). Django reads the project's catalogue first. Remove a line once Django
translates it itself. Nothing imports this module: it exists to be read by makemessages."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_ADMIN = [
    # The app list's headers, for screen readers (admin/app_list.html).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
]
DJANGO_AUTH = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    ),
]
DJANGO = [
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
]
