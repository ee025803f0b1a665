"""One exception handler: domain errors and DRF errors to one stable JSON shape.

- 400: field errors at the top level, as DRF writes them: `{"field": ["message"]}`;
  errors not tied to a field sit under `non_field_errors`.
- 409: `{"detail", "code", "state", "action", "allowed_actions"}` for a transition not
  allowed now; `{"detail", "code"}` for other conflicts.
- 403/404 and the rest: DRF's `{"detail"}` plus a `code`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, InvalidInput, NotPermitted


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        body = {"detail": exc.message, "code": exc.code, **exc.context}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotPermitted):
        return Response({"detail": exc.message, "code": exc.code}, status=403)
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # A database constraint caught what a service check missed (e.g. a race):
        # the transaction was rolled back, so nothing changed.
        return Response(
            {
                "detail": gettext("The change conflicts with existing data."),
                "code": "integrity_conflict",
            },
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.APIException)
        and isinstance(response.data, dict)
        and "detail" in response.data
    ):
        response.data.setdefault("code", getattr(exc.detail, "code", exc.default_code))
    return response
