"""Reminders go out in the recipient's language, not the sender's (issue 16): a user who
chose Chinese gets the email and the in-app notice in Chinese, with the due date as a
Chinese reader writes it; an English user the same reminder in English; one who never
chose, in English."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import translation

from deadlines import services
from deadlines.models import DeadlineKind, Notification

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def reply(subject, ningbo_parties, parties):
    # Served Mon 2030-11-18 in the sender's (Chinese) session: due Thu 2030-11-21.
    with translation.override("zh-hans"):
        deadline = services.deadline_open(
            subject=subject,
            kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
            trigger_date=D("2030-11-18"),
            count=3,
            parties=ningbo_parties,
        )
    return services.deadline_confirm(actor=parties["users"]["ningbo"], deadline=deadline)


@pytest.fixture
def sent(reply, parties, at, django_capture_on_commit_callbacks, monkeypatch):
    users = parties["users"]
    for key, language in (("holder_a", "zh-hans"), ("agent_a", "en"), ("ningbo", "")):
        users[key].preferred_language = language
        users[key].save(update_fields=["preferred_language"])
    now = at("2030-11-18T10:00")
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.sweep(now=now)
    return {message.to[0]: message for message in mail.outbox}


def test_a_user_who_chose_chinese_gets_the_reminder_in_chinese(sent, parties):
    holder = parties["users"]["holder_a"]
    email = sent[holder.email]
    assert CJK.search(email.subject) and CJK.search(email.body)
    assert " due " not in email.subject and "Due:" not in email.body
    assert "2030年11月21日 24:00" in email.body
    notice = Notification.objects.get(user=holder)
    assert CJK.search(notice.title) and "2030年11月21日" in notice.body


@pytest.mark.parametrize("key", ["agent_a", "ningbo"])  # chose English / never chose
def test_other_users_get_it_in_english_whatever_the_senders_language(sent, parties, key):
    email = sent[parties["users"][key].email]
    assert not CJK.search(email.subject.replace(email.subject.split("— ")[-1], ""))
    assert " due 2030-11-21" in email.subject
    assert "Due: 2030-11-21 24:00" in email.body
