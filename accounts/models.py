"""Who is who: organisations (rights holders, IP agencies, customs offices), their users,
and the powers of attorney (authorisations) under which an agency acts for a holder.

Who may see what is decided in one place: accounts/scoping.py.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.parties import Parties
from accounts.scoping import EVERYTHING, Visibility
from core.i18n import in_reader_language
from core.timezone import local_today


def _agencies_authorised_by_own_holder(user) -> Q:
    if user.role != "holder":
        return Q(pk__in=[])
    return Q(
        pk__in=Authorisation.objects.filter(holder_id=user.organisation_id).values("agency_id")
    )


def identity_document_path(instance, filename):
    return f"organisations/identity/{secrets.token_hex(8)}-{filename}"


class Verification(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Organisation(models.Model):
    """A rights holder, an IP agency, or a customs office (GACC or a district customs)."""

    Verification = Verification

    class Kind(models.TextChoices):
        RIGHTS_HOLDER = "rights_holder", _("Rights holder")
        IP_AGENCY = "ip_agency", _("IP agency")
        CUSTOMS = "customs", _("Customs office")

    class CustomsLevel(models.TextChoices):
        GACC = "gacc", _("GACC headquarters")
        DISTRICT = "district", _("District customs")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_zh = models.CharField(_("name (Chinese)"), max_length=255, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="CN",
        help_text=_("ISO 3166-1 alpha-2 code of the place of registration or nationality."),
    )
    # Mainland China only: holders from Hong Kong, Macao and Taiwan file like foreign
    # holders, through a domestic agent or China office (R3).
    is_domestic = models.GeneratedField(
        expression=models.Case(
            models.When(country="CN", then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("domestic"),
    )
    registration_id = models.CharField(
        _("registration identifier"),
        max_length=64,
        blank=True,
        help_text=_("Unified social credit code in China; the company number abroad."),
    )
    address = models.TextField(_("address"), blank=True)
    customs_code = models.CharField(
        _("customs code"), max_length=4, null=True, blank=True, unique=True
    )
    customs_level = models.CharField(
        _("customs level"), max_length=10, choices=CustomsLevel.choices, null=True, blank=True
    )
    # R13: a filing handed in at this office's counter must arrive within its hours.
    counter_closes_at = models.TimeField(
        _("counter closes at"), default=dt.time(17, 30), null=True, blank=True,
        help_text=_("Customs offices: filings at the counter are in time until this hour (R13)."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)
    # An organisation that registers itself in the portal waits for GACC to check it
    # before its users may file or act (accounts.scoping.require_verified); those GACC
    # or the demo create are verified from the start.
    verification = models.CharField(
        _("verification"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.VERIFIED,
        db_default=Verification.VERIFIED,  # rows written outside Django (benchmarks) too
        db_index=True,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("verified by"),
    )
    verification_note = models.TextField(_("verification note"), blank=True, db_default="")
    identity_document = models.FileField(
        _("identity document"),
        upload_to=identity_document_path,
        max_length=300,
        blank=True,
        db_default="",
        help_text=_("Business licence or other proof of identity, uploaded on registering."),
    )
    identity_document_content_type = models.CharField(
        _("content type"), max_length=100, blank=True, db_default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    visibility = Visibility(
        holder="pk",
        agency="pk",
        public=Q(kind="customs"),
        extra=_agencies_authorised_by_own_holder,
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name_en"]
        constraints = [
            models.CheckConstraint(
                name="organisation_country_iso",
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                violation_error_message=_("Country must be an ISO 3166-1 alpha-2 code."),
            ),
            # Customs offices, and only they, have a level and a four-digit code.
            models.CheckConstraint(
                name="organisation_customs_fields",
                condition=(
                    Q(
                        kind="customs",
                        customs_level__isnull=False,
                        customs_code__regex=r"^[0-9]{4}$",
                    )
                    | Q(~Q(kind="customs"), customs_level__isnull=True, customs_code__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["customs_level"],
                condition=Q(customs_level="gacc"),
                name="organisation_single_gacc",
            ),
        ]

    def __str__(self):
        return in_reader_language(self.name_en, self.name_zh)

    @property
    def is_gacc(self) -> bool:
        return self.customs_level == self.CustomsLevel.GACC

    def deadline_parties(self):
        """A holder carries its own obligations, e.g. R8: apply to change its recordals
        within 30 working days of a change in its registered particulars."""
        holder_id = self.pk if self.kind == self.Kind.RIGHTS_HOLDER else None
        return Parties(holder_id=holder_id, office_id=None, label=self.name_en)


class RightsHolderManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Organisation.Kind.RIGHTS_HOLDER)


class IPAgencyManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Organisation.Kind.IP_AGENCY)


class CustomsOfficeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Organisation.Kind.CUSTOMS)


class RightsHolder(Organisation):
    objects = RightsHolderManager()

    class Meta:
        proxy = True
        verbose_name = _("rights holder")
        verbose_name_plural = _("rights holders")


class IPAgency(Organisation):
    objects = IPAgencyManager()

    class Meta:
        proxy = True
        verbose_name = _("IP agency")
        verbose_name_plural = _("IP agencies")


class CustomsOffice(Organisation):
    objects = CustomsOfficeManager()

    class Meta:
        proxy = True
        verbose_name = _("customs office")
        verbose_name_plural = _("customs offices")


class Contact(models.Model):
    """A legal or technical contact of an organisation; each may have one backup."""

    class Role(models.TextChoices):
        LEGAL = "legal", _("Legal")
        TECHNICAL = "technical", _("Technical")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    is_backup = models.BooleanField(_("backup"), default=False)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["role", "is_backup"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role", "is_backup"], name="contact_one_per_role_and_backup"
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Port(models.Model):
    """A port (subordinate customs) under a district customs, e.g. Meishan under Ningbo."""

    office = models.ForeignKey(
        CustomsOffice, on_delete=models.PROTECT, related_name="ports", verbose_name=_("office")
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    customs_code = models.CharField(
        _("customs code"), max_length=4, null=True, blank=True, unique=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    visibility = Visibility(public=EVERYTHING)

    class Meta:
        verbose_name = _("port")
        verbose_name_plural = _("ports")
        ordering = ["office__customs_code", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name_en"], name="port_unique_name_per_office"
            )
        ]

    def __str__(self):
        # "Meishan (Ningbo Customs)"; "梅山海关（宁波海关）" for a Chinese reader.
        name = in_reader_language(self.name_en, self.name_zh)
        office = in_reader_language(self.office.name_en, self.office.name_zh)
        return gettext("%(port)s (%(office)s)") % {"port": name, "office": office}


class User(AbstractUser):
    """A person using the service. Belongs to exactly one organisation, which sets the role."""

    class Role(models.TextChoices):
        HOLDER = "holder", _("Rights holder user")
        AGENT = "agent", _("IP agent user")
        GACC_OFFICER = "gacc_officer", _("GACC officer")
        DISTRICT_OFFICER = "district_officer", _("District customs officer")
        PLATFORM_ADMIN = "platform_admin", _("Platform administrator")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        # Blank until the person chooses (the switcher saves it): pages follow the browser,
        # emails and reminders go in English. Once chosen, both follow it (accounts/language.py).
        choices=[("", _("Not chosen")), ("en", "English"), ("zh-hans", "简体中文")],
        default="",
        blank=True,
    )
    # The person's own choice: deadline reminders also by email, or in the service only.
    reminder_emails = models.BooleanField(
        _("reminders by email"),
        default=True,
        db_default=True,
        help_text=_("Send deadline reminders to my email address as well."),
    )
    # Secret for the personal iCalendar feed; rotating it invalidates old subscriptions.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=secrets.token_urlsafe
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Only platform superusers may stand outside every organisation.
            models.CheckConstraint(
                name="user_has_organisation",
                condition=Q(organisation__isnull=False) | Q(is_superuser=True),
            )
        ]

    @property
    def role(self) -> str | None:
        org = self.organisation
        if org is None:
            return self.Role.PLATFORM_ADMIN if self.is_superuser else None
        if org.kind == Organisation.Kind.RIGHTS_HOLDER:
            return self.Role.HOLDER
        if org.kind == Organisation.Kind.IP_AGENCY:
            return self.Role.AGENT
        if org.customs_level == Organisation.CustomsLevel.GACC:
            return self.Role.GACC_OFFICER
        return self.Role.DISTRICT_OFFICER

    @property
    def is_officer(self) -> bool:
        return self.role in (self.Role.GACC_OFFICER, self.Role.DISTRICT_OFFICER)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == self.Role.GACC_OFFICER


class AuthorisationQuerySet(models.QuerySet):
    def active(self, on=None):
        """Running on `on` (today in Asia/Shanghai by default) and not revoked."""
        on = on or local_today()
        return self.filter(starts_on__lte=on, ends_on__gte=on, revoked_at__isnull=True)


def authorisation_document_path(instance, filename):
    return f"authorisations/{instance.holder_id}/{secrets.token_hex(8)}-{filename}"


class Authorisation(models.Model):
    """A power of attorney: an IP agency acts for a rights holder from start to end (R3).

    Access follows it day by day: the day after `ends_on`, or the moment it is revoked,
    the agency no longer sees the holder's data (accounts/scoping.py).
    """

    agency = models.ForeignKey(
        IPAgency,
        on_delete=models.PROTECT,
        related_name="authorisations_held",
        verbose_name=_("IP agency"),
    )
    holder = models.ForeignKey(
        RightsHolder,
        on_delete=models.PROTECT,
        related_name="authorisations_given",
        verbose_name=_("rights holder"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    document = models.FileField(
        _("signed power of attorney"), upload_to=authorisation_document_path, max_length=300
    )
    document_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("revocation reason"), blank=True)

    objects = AuthorisationQuerySet.as_manager()
    visibility = Visibility(holder="holder_id", agency="agency_id", agents_via_holder=False)

    class Meta:
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["agency", "holder", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                name="authorisation_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("An authorisation cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="authorisation_revocation_complete",
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
            ),
        ]

    def __str__(self):
        return gettext("%(agency)s for %(holder)s (%(starts)s to %(ends)s)") % {
            "agency": self.agency,
            "holder": self.holder,
            "starts": self.starts_on,
            "ends": self.ends_on,
        }

    def is_active(self, on=None) -> bool:
        on = on or local_today()
        return self.revoked_at is None and self.starts_on <= on <= self.ends_on

    def deadline_parties(self):
        return Parties(
            holder_id=self.holder_id,
            office_id=None,
            label=f"Power of attorney: {self.agency.name_en} for {self.holder.name_en}",
            agency_id=self.agency_id,
        )


def authorisation_request_document_path(instance, filename):
    return f"authorisations/requests/{instance.holder_id}/{secrets.token_hex(8)}-{filename}"


class AuthorisationRequest(models.Model):
    """An agency asks a rights holder for a power of attorney (R3), with the signed document.
    The holder accepts (the authorisation is then granted) or declines, in the portal; or
    GACC records the authorisation in the admin. accounts/services.py."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the holder")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined by the holder")

    agency = models.ForeignKey(
        IPAgency,
        on_delete=models.PROTECT,
        related_name="authorisation_requests_made",
        verbose_name=_("IP agency"),
    )
    holder = models.ForeignKey(
        RightsHolder,
        on_delete=models.PROTECT,
        related_name="authorisation_requests_received",
        verbose_name=_("rights holder"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    document = models.FileField(
        _("signed power of attorney"),
        upload_to=authorisation_request_document_path,
        max_length=300,
    )
    document_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    authorisation = models.OneToOneField(
        Authorisation,
        on_delete=models.PROTECT,
        related_name="request",
        null=True,
        blank=True,
        verbose_name=_("authorisation"),
    )

    visibility = Visibility(holder="holder_id", agency="agency_id", agents_via_holder=False)

    class Meta:
        verbose_name = _("authorisation request")
        verbose_name_plural = _("authorisation requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="authorisation_request_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("An authorisation cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="authorisation_request_accepted_has_authorisation",
                condition=~Q(status="accepted") | Q(authorisation__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["agency", "holder"],
                condition=Q(status="pending"),
                name="authorisation_request_one_pending",
            ),
        ]

    def __str__(self):
        return gettext("%(agency)s asks %(holder)s (%(starts)s to %(ends)s)") % {
            "agency": self.agency,
            "holder": self.holder,
            "starts": self.starts_on,
            "ends": self.ends_on,
        }
