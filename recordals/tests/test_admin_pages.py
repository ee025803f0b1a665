"""The recordal pages say what the recordal is: the list links the mark (a draft has no
number yet), the title follows the state, the classes recorded are the mark's classes, and
the timeline reads in the domain's words."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD
from recordals import services
from recordals.tests.factories import approved, complete_draft
from recordals.workflow import RECORDAL_WORKFLOW

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
RECORDALS = "/admin/recordals/recordal/"


def login(parties, role="gacc"):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def text_of(page) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode())))


@pytest.fixture
def molly(parties):
    """MOLLY, a trademark in classes 16 and 28, submitted to GACC."""
    user = parties["users"]["holder_a"]
    recordal = complete_draft(
        user, parties["holder_a"], right_name="MOLLY", registration_number="41234568",
        nice_classes=[16, 28],
    )  # fmt: skip
    return services.recordal_transition(
        actor=user, recordal=recordal, action="submit", on=D("2025-09-01")
    )


def test_the_list_links_the_mark_not_the_missing_number(parties, molly):
    page = login(parties).get(RECORDALS)
    assert page.status_code == 200
    content = page.content.decode()
    link = f'<th class="field-right_name"><a href="{RECORDALS}{molly.pk}/change/'
    assert link in content
    assert '<td class="field-number">-</td>' in content


def test_a_submitted_recordal_is_not_titled_a_draft(parties, molly):
    assert str(molly) == "MOLLY (Submitted)"
    page = login(parties).get(f"{RECORDALS}{molly.pk}/change/")
    assert page.status_code == 200
    text = text_of(page)
    assert "MOLLY (Submitted)" in text
    assert "Draft MOLLY" not in text


def test_an_approved_recordal_is_titled_by_its_number(parties):
    recordal = approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])
    assert str(recordal) == f"{recordal.number} LABUBU"


def test_the_classes_recorded_are_the_mark_s_classes(parties, molly):
    text = text_of(login(parties).get(f"{RECORDALS}{molly.pk}/change/"))
    assert "Classes recorded: 16, 28" in text
    assert "Recorded class: 0" not in text


def test_a_madrid_mark_is_recorded_per_class(parties):
    recordal = complete_draft(
        parties["users"]["holder_a"], parties["holder_a"], registration_number="1234567",
        is_madrid=True, nice_classes=[28],
    )  # fmt: skip
    assert recordal.right_class == 28
    text = text_of(login(parties).get(f"{RECORDALS}{recordal.pk}/change/"))
    assert "Classes recorded: 28 (Madrid mark: one recordal per class)" in text


def test_the_timeline_reads_in_the_domain_s_words(parties, molly):
    text = text_of(login(parties).get(f"{RECORDALS}{molly.pk}/change/"))
    start = text.index("Recordal events")
    timeline = text[start:]
    assert "Application drafted" in timeline
    assert str(RECORDAL_WORKFLOW.submit.label) in timeline
    assert "Draft" in timeline and "Submitted" in timeline  # states by their labels
    for raw in (" submit ", " create ", "needs_correction"):
        assert raw not in timeline, raw


def test_the_review_queue_lists_soonest_review_deadline_first(parties, molly):
    user = parties["users"]["holder_a"]
    later = complete_draft(user, parties["holder_a"], right_name="ZIMOMO",
                           registration_number="41234569")  # fmt: skip
    services.recordal_transition(actor=user, recordal=later, action="submit", on=D("2025-10-01"))
    content = login(parties).get(f"{RECORDALS}?queue=review").content.decode()
    assert content.index("MOLLY") < content.index("ZIMOMO")
