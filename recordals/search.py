"""Public search (R11) with PostgreSQL full-text search, no extension needed.

The 'simple' configuration splits on spaces and punctuation, which leaves Chinese as one
long word. So text is tokenised here: Latin words and numbers stay whole (lower-cased),
each CJK character becomes its own token. A query then matches Latin words by prefix
and Chinese runs as phrases: "泡泡玛特" → 泡 <-> 泡 <-> 玛 <-> 特.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]+|[0-9A-Za-z]+")
MAX_TERMS = 12


def tokens(text: str) -> str:
    out = []
    for match in TOKEN.finditer(text or ""):
        word = match.group()
        out.append(" ".join(word) if re.match(rf"[{CJK}]", word) else word.lower())
    return " ".join(out)


def vector(*parts: str) -> SearchVector:
    return SearchVector(Value(tokens(" ".join(p for p in parts if p))), config="simple")


def query(text: str) -> SearchQuery | None:
    """A tsquery from user input, built from sanitised tokens only (never raw input)."""
    terms = []
    for match in TOKEN.finditer(text or ""):
        word = match.group()
        if re.match(rf"[{CJK}]", word):
            terms.append("(" + " <-> ".join(word) + ")")
        else:
            terms.append(f"{word.lower()}:*")
    if not terms:
        return None
    return SearchQuery(" & ".join(terms[:MAX_TERMS]), search_type="raw", config="simple")
