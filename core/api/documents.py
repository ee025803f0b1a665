"""Serve a stored private document to a caller who has already passed the scoping rule."""

import mimetypes
import os

from django.http import FileResponse, Http404
from django.utils.translation import gettext


def document_response(field_file, content_type: str = ""):
    if not field_file:
        raise Http404(gettext("No document."))
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(gettext("The document is missing from storage.")) from exc
    name = os.path.basename(field_file.name)
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
