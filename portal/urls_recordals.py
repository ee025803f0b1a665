"""Filing one recordal in a browser: the wizard per kind of right (R1), its draft saved
at every step, the review (R4, R5), renewal (R7), changes (R8), cancellation (R9)."""

from django.urls import path

from portal.views import recordals

urlpatterns = [
    path("recordals/new/", recordals.recordal_new, name="recordal_new"),
    path("recordals/<int:pk>/", recordals.recordal_detail, name="recordal"),
    path("recordals/<int:pk>/edit/<slug:step>/", recordals.recordal_wizard, name="recordal_wizard"),
    path("recordals/<int:pk>/steps/<slug:action>/", recordals.recordal_step, name="recordal_step"),
    path(
        "recordals/<int:pk>/documents/<int:attachment_id>/",
        recordals.recordal_document,
        name="recordal_document",
    ),
    path("recordals/<int:pk>/licensees/", recordals.recordal_licensees, name="recordal_licensees"),
    path(
        "recordals/<int:pk>/changes/<slug:kind>/", recordals.recordal_change, name="recordal_change"
    ),
]
