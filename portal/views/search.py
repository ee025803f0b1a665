"""The public search as a page (R11): in-force recordals only, no login, redacted as the
API's public search is (the same selector; only the public fields are shown)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from core.timezone import local_today
from portal.forms.account import SearchForm
from recordals.selectors import public_recordals

PAGE_SIZE = 20


def search(request):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if text.strip():
        paginator = Paginator(public_recordals(text, today=local_today()), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "portal/search.html", {"form": form, "q": text, "page": page}, status=status
    )
