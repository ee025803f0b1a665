"""Sign in to the API and manage one's tokens: one per device, each expiring (REST_KNOX's
TOKEN_TTL), each revocable; `Authorization: Token <token>` as before (CONTRACT.md)."""

from django.contrib.auth import authenticate, logout, user_logged_in
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api.parsers import JSONParser
from tokens import services
from tokens.models import DEVICE_MAX_LENGTH, DeviceToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"), max_length=150)
    password = serializers.CharField(
        label=_("password"), max_length=128, trim_whitespace=False, write_only=True,
        style={"input_type": "password"},
    )  # fmt: skip
    device = serializers.CharField(
        label=_("device"),
        max_length=DEVICE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("A name for this device, e.g. 'laptop'; by default the User-Agent."),
    )

    def validate(self, attrs):
        request = self.context["request"]
        # The request goes along: django-axes counts failures per username and address.
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                gettext("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    id = serializers.IntegerField(help_text=_("The token's id, to revoke it."))
    device = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class DeviceTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(
        help_text=_("True for the token this request was sent with.")
    )

    class Meta:
        model = DeviceToken
        fields = ["id", "device", "created", "expiry", "current"]

    def get_current(self, obj) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return isinstance(auth, DeviceToken) and auth.pk == obj.pk


class TokenView(APIView):
    """POST {"username", "password"} (and optionally "device") → {"token", "expiry", ...};
    send it as `Authorization: Token <token>`. Each sign-in issues a token for one device;
    it expires after REST_KNOX's TOKEN_TTL (API_TOKEN_TTL_HOURS, 10 by default)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # JSON depth-bounded

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description=_("Wrong username or password, or a field error.")),
            429: OpenApiResponse(description=_("Too many attempts: try again later.")),
        },
    )
    def post(self, request, *args, **kwargs):
        data = TokenRequestSerializer(data=request.data, context={"request": request})
        if not data.is_valid():
            # django-axes counts the failures and, past the limit, refuses even the right
            # password: say so rather than "wrong password".
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {
                        "detail": gettext("Too many failed sign-ins: try again later."),
                        "code": "locked_out",
                    },
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        user = data.validated_data["user"]
        device = services.device_name(
            given=data.validated_data.get("device"),
            user_agent=request.META.get("HTTP_USER_AGENT"),
        )
        token, secret = services.token_issue(user=user, device=device)
        # last_login, and django-axes forgets the earlier failures (AXES_RESET_ON_SUCCESS).
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        body = {"token": secret, "id": token.pk, "device": token.device, "expiry": token.expiry}
        return Response(TokenResponseSerializer(body).data)


class DeviceTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens, one per device signed in; revoke one by its id (another
    user's token is a 404)."""

    serializer_class = DeviceTokenSerializer
    filter_backends = []

    def get_queryset(self):
        return services.tokens_live(user=self.request.user).order_by("-created", "-id")

    def perform_destroy(self, instance):
        services.token_revoke(token=instance)


class LogoutView(APIView):
    """Sign out this device: the token the request was sent with stops working (a session
    sign-in ends its session)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, DeviceToken):
            services.token_revoke(token=request.auth)
        else:
            logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Sign out of every device: all the caller's API tokens stop working (and a session
    sign-in ends its session)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.tokens_revoke_all(user=request.user)
        if not isinstance(request.auth, DeviceToken):
            logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)
