import datetime as dt

import factory

from accounts.models import Authorisation, Organisation, User
from core.demo_files import pdf_file

PASSWORD = "test-password-123"


class RightsHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.RIGHTS_HOLDER
    name_en = factory.Sequence(lambda n: f"Holder {n} Ltd.")
    name_zh = factory.Sequence(lambda n: f"权利人{n}有限公司")
    country = "CN"
    registration_id = factory.Sequence(lambda n: f"9111000000000{n:05d}")


class IPAgencyFactory(RightsHolderFactory):
    kind = Organisation.Kind.IP_AGENCY
    name_en = factory.Sequence(lambda n: f"Agency {n} Co.")


def customs_office(code: str) -> Organisation:
    """Offices are reference data loaded by migration: fetch, never create."""
    return Organisation.objects.get(customs_code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    organisation = factory.SubFactory(RightsHolderFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class AuthorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorisation

    agency = factory.SubFactory(IPAgencyFactory)
    holder = factory.SubFactory(RightsHolderFactory)
    starts_on = dt.date(2024, 1, 1)
    ends_on = dt.date(2030, 12, 31)
    document = factory.LazyFunction(lambda: pdf_file("poa.pdf", "Power of attorney"))
    document_content_type = "application/pdf"
