"""Uploaded documents: checked by their content (not their name or declared type) and size.

Files are stored outside any public URL and served only through permission-checked
endpoints (`core.api.views.document_response`).
"""

from django.utils.translation import gettext

from core.errors import InvalidInput

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Leading bytes of each accepted format.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
DOCUMENT_TYPES = ("application/pdf", "image/png", "image/jpeg")
IMAGE_TYPES = ("image/png", "image/jpeg")


def sniff_content_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def check_upload(upload, *, field: str, allowed=DOCUMENT_TYPES, max_bytes=MAX_UPLOAD_BYTES) -> str:
    """Return the file's real content type, or raise InvalidInput naming `field`."""
    if upload is None:
        raise InvalidInput({field: gettext("A file is required.")})
    if upload.size > max_bytes:
        raise InvalidInput(
            {
                field: gettext("The file is larger than %(megabytes)s MB.")
                % {"megabytes": max_bytes // (1024 * 1024)}
            }
        )
    if upload.size == 0:
        raise InvalidInput({field: gettext("The file is empty.")})
    content_type = sniff_content_type(upload)
    if content_type not in allowed:
        names = ", ".join(t.split("/")[1].upper() for t in allowed)
        raise InvalidInput(
            {field: gettext("Only %(types)s files are accepted.") % {"types": names}}
        )
    # Stored under the extension of what it is, never the client's (an HTML body behind
    # `%PDF-` named `x.html` is saved as `x.pdf`).
    upload.name = named_for(upload.name or "document", content_type)
    return content_type


EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def named_for(filename: str, content_type: str) -> str:
    """`filename` with the extension of its detected `content_type`."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, _ = base.rpartition(".")
    if not dot or not stem:
        stem = base
    return f"{stem or 'document'}.{EXTENSIONS[content_type]}"


def short_name(filename: str, limit: int = 120) -> str:
    """The uploaded name, cut to `limit` bytes (file systems allow 255 per name) on a
    character boundary, keeping its extension."""
    stem, dot, extension = filename.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = filename, ""
    suffix = f".{extension}" if extension else ""
    room = limit - len(suffix.encode())
    return stem.encode()[:room].decode(errors="ignore") + suffix
