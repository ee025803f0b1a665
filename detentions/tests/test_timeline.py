"""The case's and the referral's timelines read in the domain's words: each event by its
step's label in the case's own table (or the app's label for events that are not steps),
states by their labels, data as readable fields; never codes or JSON."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD
from detentions import services
from detentions.models import Referral
from detentions.tests.factories import detained
from detentions.timeline import CASE_DATA
from detentions.workflow import EX_OFFICIO_WORKFLOW
from engine.timeline import describe

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def login(parties, role="ningbo"):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def timeline(content: bytes) -> str:
    """The case events' inline, as text."""
    text = content.decode()
    start = text.index(">", text.index('id="events-group"')) + 1
    block = text[start : text.index("</fieldset>", start)]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)))


def test_the_case_timeline_reads_in_the_domain_s_words(parties, officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    services.detention_charge_costs(
        actor=officer, detention=case, cost_kind="custody", amount=Decimal("20000.00"),
        on=D("2025-10-10"),
    )  # fmt: skip
    page = login(parties).get(f"/admin/detentions/detention/{case.pk}/change/")
    assert page.status_code == 200
    text = timeline(page.content)
    for step in ("serve_notice", "request_detention", "detain"):
        assert str(EX_OFFICIO_WORKFLOW[step].label) in text
    assert "Costs charged (R27)" in text  # not a step of the table: the app's own label
    assert "Release suspended, holder notified" in text  # states by their labels
    assert "Detention requested" in text
    assert "Bond source: Bond for this case" in text
    assert "Costs for: Custody" in text
    assert "Amount: CNY 20,000.00" in text
    assert "Items: 100" in text
    assert "Filed: Through this service" in text
    for raw in ("request_detention", "detention_requested", "case_bond", '"bond"', "{"):
        assert raw not in text, raw


def test_event_data_reads_as_money_dates_yes_no_and_labels():
    data = {
        "bond": "20000.00",
        "detained_on": "2025-09-29",
        "features_removed": True,
        "disposal_method": "auction",
        "referral": 7,
        "undeclared_ip_fine": None,
        "bond_refunded": "100000.00",
        "unknown_key": ["a", "b"],
    }
    text = html.unescape(re.sub(r"<[^>]+>", "", str(describe(data, CASE_DATA))))
    assert "Bond: CNY 20,000.00" in text
    assert "Detained on: Sept. 29, 2025" in text
    assert "Infringing features removed: yes" in text
    assert "Disposal: Auction after removing the infringing features" in text
    assert "Bond refunded (R28): CNY 100,000.00" in text
    assert "Unknown key: a, b" in text
    assert "Referral" not in text  # an id shown in its own list
    assert "None" not in text
    assert describe({}, CASE_DATA) == "-"


def test_the_referral_timeline_reads_in_the_domain_s_words(parties, officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    services.detention_transition(
        actor=officer, detention=case, action="determine_infringing", on=D("2025-10-10")
    )
    referral = services.referral_create(
        actor=officer, detention=case, organ="Ningbo PSB", grounds="Large quantity",
        referred_on=D("2025-10-11"),
    )  # fmt: skip
    services.referral_transition(
        actor=officer, referral=referral, action="accept", police_case_number="NB-2025-1",
        on=D("2025-10-20"),
    )  # fmt: skip
    page = login(parties).get(f"/admin/detentions/referral/{referral.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Public security filed a case" in text
    assert "Referred to public security (R25)" in text
    assert str(Referral.Status.ACCEPTED.label) in text
