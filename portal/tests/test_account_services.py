"""Registering, verifying and authorisation requests, through accounts/services.py (R3)."""

import datetime as dt

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services, uscc
from accounts.models import Authorisation, AuthorisationRequest, Organisation, User
from accounts.scoping import may_act
from accounts.tests.factories import PASSWORD, UserFactory
from core.demo_files import pdf_bytes
from core.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db

USCC = "91350100M000100Y43"  # a real code's shape and check character
D = dt.date.fromisoformat


def pdf(name="licence.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def registration(**overrides):
    data = {
        "kind": "ip_agency",
        "name_zh": "新代理知识产权代理有限公司",
        "name_en": "New Agency IP",
        "registration_id": USCC,
        "address": "福州市鼓楼区1号",
        "contact_name": "Li Wei",
        "contact_email": "legal@new-agency.example",
        "identity_document": pdf(),
        "username": "new.agent",
        "email": "new.agent@new-agency.example",
        "password": "a-long-Passphrase-2026",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91350100M000100Y43", True),
        ("91110000802100433B", True),
        ("91350100m000100y43", True),  # lower case is read as upper case
        ("91350100M000100Y44", False),  # wrong check character
        ("91350100M000100Y4", False),  # 17 characters
        ("91350100M000100I43", False),  # I is not in the alphabet
        ("9135A100M000100Y43", False),  # the division code is six digits
        ("", False),
    ],
)
def test_uscc_check_character(code, valid):
    assert uscc.is_valid(code) is valid


def test_r3_register_an_agency_pending_with_an_inactive_user():
    organisation, user = services.organisation_register(**registration())
    assert organisation.verification == "pending" and organisation.kind == "ip_agency"
    assert organisation.country == "CN" and organisation.registration_id == USCC
    assert organisation.identity_document_content_type == "application/pdf"
    assert list(organisation.contacts.values_list("role", "email")) == [
        ("legal", "legal@new-agency.example")
    ]
    assert user.is_active is False and user.organisation == organisation


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_id": "91350100M000100Y44"}, "registration_id"),
        ({"kind": "customs"}, "kind"),
        ({"name_zh": " "}, "name_zh"),
        ({"address": ""}, "address"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"password": "123"}, "password"),
        ({"username": ""}, "username"),
        ({"identity_document": SimpleUploadedFile("x.pdf", b"plain text")}, "identity_document"),
    ],
)
def test_register_refuses_bad_input_and_creates_nothing(overrides, field):
    before = (Organisation.objects.count(), User.objects.count())
    with pytest.raises(InvalidInput) as error:
        services.organisation_register(**registration(**overrides))
    assert field in error.value.errors
    assert (Organisation.objects.count(), User.objects.count()) == before


def test_register_refuses_a_code_or_user_name_already_registered():
    services.organisation_register(**registration())
    with pytest.raises(InvalidInput) as error:
        services.organisation_register(**registration(username="NEW.AGENT"))
    assert set(error.value.errors) == {"registration_id", "username"}


def test_email_link_activates_once_and_a_forged_or_stale_link_is_refused(time_machine):
    _org, user = services.organisation_register(**registration())
    services.send_email_verification(user=user, link_for=lambda token: f"https://x/{token}/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    token = mail.outbox[0].body.split("https://x/")[1].split("/")[0]
    with pytest.raises(InvalidInput):
        services.user_confirm_email(token=token + "x")
    forged = signing.dumps({"u": user.pk, "e": user.email}, salt="another")
    with pytest.raises(InvalidInput):
        services.user_confirm_email(token=forged)
    assert services.user_confirm_email(token=token).is_active is True
    assert services.user_confirm_email(token=token).is_active is True  # twice is harmless
    time_machine.move_to(timezone.now() + dt.timedelta(days=services.EMAIL_LINK_DAYS + 1))
    with pytest.raises(InvalidInput):
        services.user_confirm_email(token=token)


def test_r3_an_unverified_organisation_may_not_act_until_gacc_verifies_it(parties):
    organisation, user = services.organisation_register(**registration(kind="rights_holder"))
    with pytest.raises(NotPermitted, match="awaiting verification by GACC"):
        may_act(user, AuthorisationRequest(holder=organisation))
    with pytest.raises(NotPermitted):
        services.organisation_verify(actor=parties["users"]["ningbo"], organisation=organisation)
    services.organisation_verify(actor=parties["users"]["gacc"], organisation=organisation)
    user.organisation.refresh_from_db()
    may_act(user, AuthorisationRequest(holder=organisation))  # no error now
    with pytest.raises(Conflict):
        services.organisation_verify(actor=parties["users"]["gacc"], organisation=organisation)


def test_r3_an_unverified_agency_cannot_ask_for_an_authorisation(parties):
    _org, user = services.organisation_register(**registration())
    with pytest.raises(NotPermitted, match="awaiting verification"):
        services.authorisation_request_create(
            actor=user,
            holder=parties["holder_a"],
            starts_on=D("2026-01-01"),
            ends_on=D("2040-01-01"),
            document=pdf(),
        )
    assert AuthorisationRequest.objects.count() == 0


def _verified_agent(parties):
    organisation, user = services.organisation_register(**registration())
    services.organisation_verify(actor=parties["users"]["gacc"], organisation=organisation)
    user.refresh_from_db()
    return user


def test_r3_agency_asks_and_the_holder_accepts_granting_the_authorisation(parties):
    agent = _verified_agent(parties)
    request = services.authorisation_request_create(
        actor=agent,
        holder=parties["holder_a"],
        starts_on=D("2026-01-01"),
        ends_on=D("2040-01-01"),
        document=pdf(),
        notes="All recordals",
    )
    with pytest.raises(Conflict):  # one request waiting per holder
        services.authorisation_request_create(
            actor=agent,
            holder=parties["holder_a"],
            starts_on=D("2026-01-01"),
            ends_on=D("2040-01-01"),
            document=pdf(),
        )
    with pytest.raises(NotPermitted):  # another holder may not answer
        services.authorisation_request_accept(actor=parties["users"]["holder_b"], request=request)
    request = services.authorisation_request_accept(
        actor=parties["users"]["holder_a"], request=request
    )
    assert request.status == "accepted"
    authorisation = Authorisation.objects.get(pk=request.authorisation_id)
    assert (authorisation.agency_id, authorisation.holder_id) == (
        agent.organisation_id,
        parties["holder_a"].pk,
    )
    assert authorisation.document.read().startswith(b"%PDF-")
    with pytest.raises(Conflict):
        services.authorisation_request_decline(
            actor=parties["users"]["holder_a"], request=request, reason="late"
        )


def test_authorisation_request_bad_input_changes_nothing(parties):
    agent = _verified_agent(parties)
    cases = [
        ({"holder": parties["agency_a"]}, "holder"),
        ({"ends_on": D("2025-12-31")}, "ends_on"),
        ({"ends_on": D("2090-01-01"), "starts_on": D("2026-01-01")}, "ends_on"),  # > 20 years
        ({"document": SimpleUploadedFile("x.pdf", b"nope")}, "document"),
    ]
    for overrides, field in cases:
        data = {
            "holder": parties["holder_a"],
            "starts_on": D("2026-01-01"),
            "ends_on": D("2040-01-01") if field != "ends_on" else None,
            "document": pdf(),
            **overrides,
        }
        if data["ends_on"] is None:
            data["ends_on"] = D("2030-01-01")
        with pytest.raises(InvalidInput) as error:
            services.authorisation_request_create(actor=agent, **data)
        assert field in error.value.errors, (overrides, error.value.errors)
    assert AuthorisationRequest.objects.count() == 0


def test_declining_needs_a_reason(parties):
    agent = _verified_agent(parties)
    request = services.authorisation_request_create(
        actor=agent,
        holder=parties["holder_a"],
        starts_on=D("2026-01-01"),
        ends_on=D("2040-01-01"),
        document=pdf(),
    )
    with pytest.raises(InvalidInput):
        services.authorisation_request_decline(
            actor=parties["users"]["holder_a"], request=request, reason=" "
        )
    request.refresh_from_db()
    assert request.status == "pending"
    services.authorisation_request_decline(
        actor=parties["users"]["holder_a"], request=request, reason="We use another agency."
    )
    request.refresh_from_db()
    assert (
        request.status == "declined"
        and not Authorisation.objects.filter(agency_id=agent.organisation_id).exists()
    )


def test_demo_style_users_are_verified_from_the_start(parties):
    user = UserFactory(organisation=parties["holder_a"])
    assert user.organisation.verification == "verified"
    assert PASSWORD
