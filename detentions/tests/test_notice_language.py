"""R16: the other side is told of each step in its own language (issue 16): the in-app
notice is written once per recipient language, whatever the language of the officer who
took the step."""

import pytest
from django.utils import translation

from deadlines.models import Notification
from detentions.tests.factories import detained, step

pytestmark = pytest.mark.django_db


def test_r16_each_recipient_is_told_in_their_language(parties, officer, holder_user, mark):
    agent = parties["users"]["agent_a"]
    holder_user.preferred_language = "zh-hans"
    holder_user.save(update_fields=["preferred_language"])
    agent.preferred_language = "en"
    agent.save(update_fields=["preferred_language"])
    case = detained(officer, holder_user, mark)
    Notification.objects.all().delete()
    with translation.override("zh-hans"):  # the officer works in Chinese
        step(case, officer, "determine_infringing", "2025-10-20", reason="Fake logo")
    told = dict(Notification.objects.values_list("user__username", "title"))
    assert told[agent.username] == f"{case.number}: Determine: infringing"
    assert told[holder_user.username].startswith(f"{case.number}: 认定")
