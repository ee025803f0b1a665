"""Every model an officer or API caller can list declares how it is scoped."""

from django.contrib import admin

from config.api import router
from core.admin import ScopedAdmin


def test_every_scoped_admin_model_declares_visibility():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdmin)
        and type(model_admin).get_queryset is ScopedAdmin.get_queryset
        and not hasattr(model, "visibility")
    ]
    assert missing == []


def test_every_api_resource_model_declares_visibility():
    missing = [
        prefix
        for prefix, viewset, _ in router.registry
        if not hasattr(viewset.queryset.model, "visibility")
    ]
    assert missing == []
