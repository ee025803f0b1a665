"""The API router: every resource of /api/v1/ is registered here, one line each."""

from django.urls import include, path
from django.utils.translation import gettext as _
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from accounts import api as accounts_api
from campaigns import api as campaigns_api
from core.api.parsers import JSONParser
from deadlines import api as deadlines_api
from detentions import api as detentions_api
from recordals import api as recordals_api
from reports import api as reports_api
from screening import api as screening_api


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}; send it as `Authorization: Token <token>`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request, *args, **kwargs):
        # django-axes counts the failures (the request reaches authenticate) and, past the
        # limit, refuses even the right password: say so rather than "wrong password".
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {
                        "detail": _("Too many failed sign-ins: try again later."),
                        "code": "locked_out",
                    },
                    status=429,
                )
            raise

    parser_classes = [JSONParser, FormParser, MultiPartParser]  # JSON depth-bounded


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
    path("auth/token/", TokenView.as_view(), name="auth-token"),
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
