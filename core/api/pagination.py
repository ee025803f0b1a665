"""Page-number pagination whose count stops at a cap (issue 21).

A GACC officer's case list holds every case in the country: counting it on every page
costs a scan of the whole table. The count counts at most COUNT_CAP + 1 rows (a LIMIT
inside the COUNT); past the cap `count` is COUNT_CAP and the response says so in the
`X-Count-Capped: true` header. Paging goes on past the cap: `next` is given while a page
has a row after it (one row more is read to know), so no page needs the total.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination

COUNT_CAP = 10_000
CAPPED_HEADER = "X-Count-Capped"


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class CappedPaginator(Paginator):
    """Counts up to `cap` + 1 rows; past the cap, pages are read without a total."""

    cap = COUNT_CAP

    @cached_property
    def counted(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.combinator:
            # The ids alone, unordered: the annotations, joins and ORDER BY of the page's
            # query change no count of the first cap + 1 rows, and cost compiling.
            rows = rows.values("pk").order_by()
        rows = rows[: self.cap + 1]
        return rows.count() if hasattr(rows, "count") and callable(rows.count) else len(rows)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with a caller-chosen page size up to 500;
    the count exact up to COUNT_CAP (past it, COUNT_CAP and `X-Count-Capped: true`)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.capped:
            response[CAPPED_HEADER] = "true"
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            f"The number of objects, exact up to {COUNT_CAP:,}. Past that it is {COUNT_CAP:,}, "
            f"the response carries the header `{CAPPED_HEADER}: true`, and `next` goes on "
            "while there are more (the list is not counted to its end)."
        )
        return answer
