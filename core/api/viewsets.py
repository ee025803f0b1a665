"""Base classes for API viewsets: every queryset passes the one scoping rule
(accounts/scoping.py, installed in core/visibility.py)."""

from rest_framework import mixins, viewsets

from core.visibility import visible_to


class ScopedQuerysetMixin:
    """Objects the caller may not see are simply absent: lists omit them, details 404."""

    def get_queryset(self):
        return visible_to(self.request.user, super().get_queryset())


class ScopedReadOnlyViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Read endpoints plus explicit action endpoints (writes go through services)."""
