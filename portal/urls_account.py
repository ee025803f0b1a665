"""Accounts: register, verify, sign in/out, password reset, preferences, authorisations;
and the public search (R11)."""

from django.urls import path

from portal.views import account, search

urlpatterns = [
    path("accounts/login/", account.SignInView.as_view(), name="login"),
    path("accounts/logout/", account.SignOutView.as_view(), name="logout"),
    path("accounts/register/", account.register, name="register"),
    path("accounts/register/done/", account.register_done, name="register_done"),
    path("accounts/verify/<str:token>/", account.verify_email, name="verify_email"),
    path("accounts/password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        account.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/preferences/", account.preferences, name="preferences"),
    path("accounts/preferences/calendar/", account.rotate_calendar, name="rotate_calendar"),
    path(
        "accounts/preferences/tokens/<int:token_id>/revoke/",
        account.revoke_token,
        name="revoke_token",
    ),
    path(
        "accounts/preferences/tokens/revoke-all/",
        account.revoke_all_tokens,
        name="revoke_all_tokens",
    ),
    path("accounts/authorisations/", account.authorisations, name="authorisations"),
    path(
        "accounts/authorisations/<int:pk>/accept/",
        account.authorisation_accept,
        name="authorisation_accept",
    ),
    path(
        "accounts/authorisations/<int:pk>/decline/",
        account.authorisation_decline,
        name="authorisation_decline",
    ),
    path("search/", search.search, name="search"),
]
