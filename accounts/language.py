"""The reader's language: chosen with one click on any page, remembered on the user.

Order of precedence: the language a person chose (the cookie the switcher sets), then the
language on their user (`User.preferred_language`, also used for their emails and
reminders), then what their browser asks for (Accept-Language: zh-CN, zh-Hans ... give
Chinese), then English.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _safe_next(request: HttpRequest) -> str:
    for candidate in (
        request.POST.get("next"),
        request.GET.get("next"),
        request.META.get("HTTP_REFERER"),
    ):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the reader's language and go back where they were. GET works too, so the
    switcher is a plain link (one click, no form); it changes nothing but the language."""
    code = (request.POST.get("language") or request.GET.get("language") or "").lower()
    if code not in LANGUAGE_CODES:
        with translation.override(translation.get_language()):
            message = _("Unknown language %(code)r: choose one of %(codes)s.") % {
                "code": code,
                "codes": ", ".join(LANGUAGE_CODES),
            }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language != code:
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class UserLanguageMiddleware:
    """After authentication: a signed-in user who has not chosen on this browser reads
    the language on their user, not what the browser asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
            and user.preferred_language in LANGUAGE_CODES  # blank: not chosen yet
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
