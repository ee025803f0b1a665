"""A holder's and an agent's work: the desk, detentions and their steps, notifications,
statistics."""

from django.urls import path

from portal.views import cases, desk, notifications, statistics

urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/steps/<slug:action>/", cases.case_step, name="case_step"),
    path("cases/<int:pk>/documents/", cases.case_document_add, name="case_document_add"),
    path(
        "cases/<int:pk>/documents/<int:document_id>/",
        cases.case_document,
        name="case_document",
    ),
    path("cases/<int:pk>/inspection/", cases.case_inspection, name="case_inspection"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications_read"),
    path("statistics/", statistics.statistics, name="statistics"),
]
