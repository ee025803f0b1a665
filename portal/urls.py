"""The portal's pages, mounted at the site's root (config/urls.py). CONTRACT.md names
`/`, `/search/?q=` and `/accounts/login/`."""

from django.urls import include, path

from portal.views.home import home

app_name = "portal"

urlpatterns = [
    path("", home, name="home"),
    # Signing up, in and out, the public search, authorisations, preferences.
    path("", include("portal.urls_account")),
    # The desk, cases and their steps, notifications, statistics.
    path("", include("portal.urls_cases")),
    # The portfolio of recordals, its exports and the bulk import.
    path("", include("portal.urls_portfolio")),
    # One recordal: the filing wizard, corrections, renewal, changes, cancellation.
    path("", include("portal.urls_recordals")),
]
