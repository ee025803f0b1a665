"""JSON bodies with bounded nesting: a hostile `[[[[...]]]]` is a 400, never a 500.

Python's json module recurses once per level, so 100,000 nested arrays raise
RecursionError inside the parser; anything deeper than MAX_DEPTH is refused as well, so
no serializer or service ever walks an absurd structure. The default parser of the API
(REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]) and of every view that lists its own parsers.
"""

import io

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No input of this API nests deeper than a handful of levels.
MAX_DEPTH = 32


def depth_exceeds(data, limit: int) -> bool:
    """True when `data` nests lists/dicts more than `limit` levels (iterative, no recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # DRF reads JSON from the raw stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
        # check: read at most that much, and refuse a longer body.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(-1 if limit is None else limit + 1) if stream is not None else b""
        if limit is not None and len(body) > limit:
            raise ParseError(gettext("The request body is too large."))
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext("The JSON body is nested too deeply.")) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(gettext("The JSON body is nested too deeply."))
        return data
