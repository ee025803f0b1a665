"""Notifications: my own only, read and unread, marking read; each links to the page it
is about, and so do reminder emails."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from deadlines.messages import compose
from deadlines.models import Deadline, Notification
from detentions.models import Detention
from portal.tests import casework
from portal.tests.casework import signed_in

pytestmark = pytest.mark.django_db
case, mark, users = casework.case, casework.mark, casework.users  # the fixtures


def reply_deadline(case):
    return Deadline.objects.get(
        subject_type=ContentType.objects.get_for_model(Detention),
        subject_id=case.pk,
        kind="reply_to_detention_notice",
    )


def test_my_notifications_only_with_a_link_to_the_case(client, users, case):
    mine = Notification.objects.create(
        user=users["holder_a"], title="Reply due", deadline=reply_deadline(case)
    )
    Notification.objects.create(user=users["agent_a"], title="The agent's own")
    signed_in(client, users["holder_a"])
    text = client.get(reverse("portal:notifications")).content.decode()
    assert mine.title in text and "The agent's own" not in text
    assert reverse("portal:case", args=[case.pk]) in text
    assert "Unread" in text


def test_mark_one_then_all_read(client, users):
    first = Notification.objects.create(user=users["holder_a"], title="First")
    second = Notification.objects.create(user=users["holder_a"], title="Second")
    other = Notification.objects.create(user=users["holder_b"], title="Other")
    signed_in(client, users["holder_a"])
    url = reverse("portal:notifications_read")
    assert client.post(url, {"id": other.pk}).status_code == 302
    other.refresh_from_db()
    assert other.read_at is None  # not mine: nothing happens
    client.post(url, {"id": first.pk})
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    text = client.get(reverse("portal:notifications"), {"show": "unread"}).content.decode()
    assert "Second" in text and "First" not in text
    client.post(url, {"all": "1"})
    second.refresh_from_db()
    assert second.read_at is not None
    assert client.post(url, {"id": "nonsense"}).status_code == 302  # bad input: nothing
    assert client.get(url).status_code == 405


def test_anonymous_visitors_sign_in_first(client):
    response = client.get(reverse("portal:notifications"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(reverse("portal:notifications_read"), {"all": "1"}).status_code == 302


def test_reminder_emails_link_to_the_case_page(case, settings):
    settings.SITE_URL = "https://ipr.example.cn"
    _subject, body = compose(reply_deadline(case), "due", "en")
    assert f"https://ipr.example.cn{reverse('portal:case', args=[case.pk])}" in body
