"""The API router: every resource of /api/v1/ is registered here, one line each."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from campaigns import api as campaigns_api
from deadlines import api as deadlines_api
from detentions import api as detentions_api
from recordals import api as recordals_api
from reports import api as reports_api
from screening import api as screening_api
from tokens import api as tokens_api

router = DefaultRouter()
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("ports", accounts_api.PortViewSet, basename="port")
router.register("authorisations", accounts_api.AuthorisationViewSet, basename="authorisation")
router.register("recordals", recordals_api.RecordalViewSet, basename="recordal")
router.register("general-bonds", recordals_api.GeneralBondViewSet, basename="general-bond")
# Detentions' case API with the campaigns' parts (priority, campaign filter, tagging).
router.register("detentions", campaigns_api.CampaignCaseViewSet, basename="detention")
router.register("referrals", detentions_api.ReferralViewSet, basename="referral")
router.register("campaigns", campaigns_api.CampaignViewSet, basename="campaign")
router.register("regions", campaigns_api.RegionViewSet, basename="region")
router.register("deadlines", deadlines_api.DeadlineViewSet, basename="deadline")
router.register("notifications", deadlines_api.NotificationViewSet, basename="notification")
router.register("escalations", deadlines_api.EscalationViewSet, basename="escalation")

urlpatterns = [
    path("auth/token/", tokens_api.TokenView.as_view(), name="auth-token"),
    # One token per device: list them, revoke one, sign out of this device or of all.
    path(
        "auth/tokens/", tokens_api.DeviceTokenViewSet.as_view({"get": "list"}), name="auth-tokens"
    ),
    path(
        "auth/tokens/<int:pk>/",
        tokens_api.DeviceTokenViewSet.as_view({"delete": "destroy"}),
        name="auth-token-revoke",
    ),
    path("auth/logout/", tokens_api.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", tokens_api.LogoutAllView.as_view(), name="auth-logout-all"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("workdays/add/", deadlines_api.WorkdaysAddView.as_view(), name="workdays-add"),
    path(
        "public/recordals/", recordals_api.PublicRecordalSearch.as_view(), name="public-recordals"
    ),
    path("bonds/quote/", detentions_api.BondQuoteView.as_view(), name="bond-quote"),
    path("statistics/", reports_api.StatisticsView.as_view(), name="statistics"),
    path("screening/", screening_api.ScreeningView.as_view(), name="screening"),
    path("deadlines.ics", deadlines_api.DeadlineCalendarFeed.as_view(), name="deadlines-ical"),
    path("", include(router.urls)),
]
