"""Recordals of IP rights with customs (R1-R11) and general bonds (R15).

The lifecycle is the table in recordals/workflow.py; writes go through recordals/services.py.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.parties import Parties
from accounts.scoping import Visibility
from core.files import short_name
from core.timezone import day_text, local_today


class RecordalKind(models.TextChoices):
    TRADEMARK = "trademark", _("Trademark")
    COPYRIGHT = "copyright", _("Copyright")
    PATENT = "patent", _("Patent")
    SPECIAL_SYMBOL = "special_symbol", _("Olympic or World Expo symbol")


class PatentType(models.TextChoices):
    INVENTION = "invention", _("Invention")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design")


class RecordalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_CORRECTION = "needs_correction", _("Needs correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RENEWAL_REQUESTED = "renewal_requested", _("Renewal requested")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")


# A right may have one live recordal at a time: pending or in force.
LIVE_STATUSES = ("submitted", "needs_correction", "approved", "renewal_requested")
IN_FORCE_STATUSES = ("approved", "renewal_requested")
# Once in force, now ended: `ended_on` keeps the last day it was in force.
ENDED_STATUSES = ("expired", "cancelled", "revoked")


class RecordalQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Recordals in force on `day`, by their validity, not by today's status: a case
        of 2024 finds the rights in force in 2024. The one place this rule lives.

        In force from approval (renewed terms follow each other without a gap, R7) to the
        end of the current term, capped by the right's own validity (R6); a renewal
        requested in time keeps the recordal in force until GACC decides, however late
        (R7); an ended recordal was in force to its `ended_on`."""
        return self.filter(
            Q(approved_on__lte=day)
            & (Q(right_valid_until__isnull=True) | Q(right_valid_until__gte=day))
            & (
                Q(status=RecordalStatus.APPROVED, valid_until__gte=day)
                | Q(status=RecordalStatus.RENEWAL_REQUESTED)
                | Q(status__in=ENDED_STATUSES, ended_on__gte=day)
            )
        )


class Recordal(models.Model):
    holder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="recordals", verbose_name=_("holder")
    )
    filed_by_agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recordals_filed",
        null=True,
        blank=True,
        verbose_name=_("filed by agency"),
    )
    number = models.CharField(
        _("recordal number"), max_length=20, null=True, blank=True, unique=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RecordalKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=RecordalStatus.choices, default=RecordalStatus.DRAFT
    )
    # The right (R1, R4).
    right_name = models.CharField(
        _("name of the right"),
        max_length=255,
        help_text=_("Mark text, work title or patent title."),
    )
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    nice_classes = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(45)]),
        default=list,
        blank=True,
        verbose_name=_("Nice classes"),
    )
    is_madrid = models.BooleanField(_("Madrid mark extended to China"), default=False)
    # One recordal per right, per class for Madrid marks; 0 when the class does not split.
    right_class = models.PositiveSmallIntegerField(_("recorded class"), default=0)
    mark_image = models.FileField(_("mark image"), upload_to="recordals/marks/", blank=True)
    work_type = models.CharField(_("type of work"), max_length=100, blank=True)
    patent_type = models.CharField(
        _("patent type"), max_length=20, choices=PatentType.choices, blank=True
    )
    right_valid_from = models.DateField(_("right valid from"), null=True, blank=True)
    right_valid_until = models.DateField(
        _("right valid until"),
        null=True,
        blank=True,
        help_text=_("Empty for copyright for life+50."),
    )
    description = models.TextField(_("content of the right"), blank=True)
    # The holder's name as this recordal records it, once an approved change of holder name
    # (R8) renamed it; empty: the holder organisation's own name (see holder_name_en).
    recorded_holder_name_en = models.CharField(
        _("recorded holder name"),
        max_length=255,
        blank=True,
        help_text=_("Set by an approved change of holder name (R8); empty: the holder's name."),
    )
    recorded_holder_name_zh = models.CharField(
        _("recorded holder name (Chinese)"),
        max_length=255,
        blank=True,
        help_text=_("Set by an approved change of holder name (R8); empty: the holder's name."),
    )
    # Decisions (R5-R7).
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    valid_from = models.DateField(_("recordal valid from"), null=True, blank=True)
    valid_until = models.DateField(_("recordal valid until"), null=True, blank=True)
    ended_on = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("The last day an expired, cancelled or revoked recordal was in force."),
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    # Public search (R11): holder names, mark text, registration number, approved goods,
    # tokenised so that Chinese matches character by character (recordals/search.py).
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = RecordalQuerySet.as_manager()
    visibility = Visibility(holder="holder_id")

    class Meta:
        verbose_name = _("recordal")
        verbose_name_plural = _("recordals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="recordal_status_expiry_idx"),
            models.Index(fields=["holder", "status"], name="recordal_holder_idx"),
            models.Index(fields=["registration_number"], name="recordal_regno_idx"),
            # Statistics count applications and approvals by date (reports/selectors.py).
            models.Index(fields=["submitted_on"], name="recordal_submitted_idx"),
            models.Index(fields=["approved_on"], name="recordal_approved_idx"),
            GinIndex(fields=["search_vector"], name="recordal_search_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "registration_number", "right_class"],
                condition=Q(status__in=LIVE_STATUSES) & ~Q(registration_number=""),
                name="recordal_one_live_per_right",
                violation_error_message=_("This right already has a recordal pending or in force."),
            ),
            models.CheckConstraint(
                name="recordal_validity_order",
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
            ),
            models.CheckConstraint(
                name="recordal_in_force_has_term",
                condition=~Q(status__in=IN_FORCE_STATUSES)
                | Q(valid_from__isnull=False, valid_until__isnull=False, number__isnull=False),
            ),
            models.CheckConstraint(
                name="recordal_ended_has_date",
                condition=Q(status__in=ENDED_STATUSES, ended_on__isnull=False)
                | (~Q(status__in=ENDED_STATUSES) & Q(ended_on__isnull=True)),
            ),
            models.CheckConstraint(
                name="recordal_madrid_single_class",
                condition=Q(is_madrid=False, right_class=0)
                | Q(is_madrid=True, kind="trademark", right_class__gte=1, right_class__lte=45),
            ),
        ]

    def __str__(self):
        # Numbered once approved; until then the state tells which application it is.
        if self.number:
            return f"{self.number} {self.right_name}"
        return gettext("%(right)s (%(status)s)") % {
            "right": self.right_name,
            "status": self.get_status_display(),
        }

    @property
    def holder_name_en(self) -> str:
        """The holder's name as recorded (R4, R8): what the recordal and the public search
        (R11) show."""
        return self.recorded_holder_name_en or self.holder.name_en

    @property
    def holder_name_zh(self) -> str:
        return self.recorded_holder_name_zh or self.holder.name_zh

    def deadline_parties(self) -> Parties:
        # GACC headquarters reviews recordals: no district office handles them.
        number = self.number or f"application {self.registration_number}".strip()
        return Parties(
            holder_id=self.holder_id, office_id=None, label=f"{number} {self.right_name}"
        )


class Licensee(models.Model):
    """An authorised licensee or user of the right (R4), edited freely (R8)."""

    class Role(models.TextChoices):
        MANUFACTURER = "manufacturer", _("Manufacturer")
        IMPORTER = "importer", _("Importer")
        EXPORTER = "exporter", _("Exporter")
        USER = "user", _("Other authorised user")

    recordal = models.ForeignKey(
        Recordal, on_delete=models.CASCADE, related_name="licensees", verbose_name=_("recordal")
    )
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    country = models.CharField(_("country"), max_length=2, default="CN")
    valid_until = models.DateField(_("licence valid until"), null=True, blank=True)

    visibility = Visibility(holder="recordal__holder_id")

    class Meta:
        verbose_name = _("licensee")
        verbose_name_plural = _("licensees")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class GenuineGoods(models.Model):
    """Genuine goods the recordal protects (R4): what customs compares suspects against."""

    recordal = models.ForeignKey(
        Recordal,
        on_delete=models.CASCADE,
        related_name="genuine_goods",
        verbose_name=_("recordal"),
    )
    name = models.CharField(_("goods"), max_length=255)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    origin_country = models.CharField(_("origin"), max_length=2, blank=True)
    usual_ports = models.CharField(_("usual ports"), max_length=255, blank=True)
    main_traders = models.CharField(_("main importers/exporters"), max_length=255, blank=True)
    features = models.TextField(_("main features"), blank=True)
    price_min = models.DecimalField(
        _("lowest price"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    price_max = models.DecimalField(
        _("highest price"), max_digits=18, decimal_places=2, null=True, blank=True
    )

    visibility = Visibility(holder="recordal__holder_id")

    class Meta:
        verbose_name = _("genuine goods")
        verbose_name_plural = _("genuine goods")
        constraints = [
            models.CheckConstraint(
                name="genuine_goods_hs_code_digits",
                condition=Q(hs_code__regex=r"^([0-9]{4,10})?$"),
                violation_error_message=_("An HS code has 4 to 10 digits."),
            ),
            models.CheckConstraint(
                name="genuine_goods_price_range",
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_max__gte=F("price_min")),
                violation_error_message=_("The highest price must not be below the lowest."),
            ),
        ]

    def __str__(self):
        return self.name


class KnownInfringer(models.Model):
    """A known infringer (R4): visible only to the holder, its agents and customs (R11)."""

    recordal = models.ForeignKey(
        Recordal,
        on_delete=models.CASCADE,
        related_name="known_infringers",
        verbose_name=_("recordal"),
    )
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    ports = models.CharField(_("ports"), max_length=255, blank=True)
    features = models.TextField(_("features of infringing goods"), blank=True)
    price = models.CharField(_("price"), max_length=100, blank=True)

    visibility = Visibility(holder="recordal__holder_id")

    class Meta:
        verbose_name = _("known infringer")
        verbose_name_plural = _("known infringers")

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    return f"recordals/{instance.recordal_id}/{secrets.token_hex(8)}-{short_name(filename)}"


class Attachment(models.Model):
    """A document of the application (R4), checked by content and size, stored privately."""

    class Kind(models.TextChoices):
        REGISTRATION_CERTIFICATE = "registration_certificate", _("Registration certificate")
        POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")
        GOODS_PHOTO = "goods_photo", _("Colour photo of the goods")
        PACKAGING_PHOTO = "packaging_photo", _("Colour photo of the packaging")
        EVALUATION_REPORT = "evaluation_report", _("Patent evaluation report")
        OTHER = "other", _("Other")

    recordal = models.ForeignKey(
        Recordal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("recordal")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    visibility = Visibility(holder="recordal__holder_id")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.content_type})"


class RecordalEvent(models.Model):
    """The recordal's timeline: who did what, from which state to which, and why."""

    recordal = models.ForeignKey(
        Recordal, on_delete=models.CASCADE, related_name="events", verbose_name=_("recordal")
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    on = models.DateField(_("legal date"), default=local_today)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    visibility = Visibility(holder="recordal__holder_id")

    class Meta:
        verbose_name = _("recordal event")
        verbose_name_plural = _("recordal events")
        ordering = ["at", "id"]

    def __str__(self):
        from recordals.timeline import recordal_event_label  # the tables import this module

        return f"{day_text(self.on)}: {recordal_event_label(self)}"


class ChangeApplication(models.Model):
    """A formal change of an approved recordal (R8): holder name, approved goods, licensing,
    or the right itself. `details` carries the new particulars, applied to the recordal
    when GACC approves (recordals/services.py, CHANGE_DETAILS)."""

    class Kind(models.TextChoices):
        HOLDER_NAME = "holder_name", _("Holder name")
        GOODS = "goods", _("Approved goods")
        LICENSING = "licensing", _("Licensing")
        RIGHT = "right", _("The right itself (its validity)")
        OTHER = "other", _("Other particulars")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("change application", "Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    recordal = models.ForeignKey(
        Recordal, on_delete=models.CASCADE, related_name="changes", verbose_name=_("recordal")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    changed_on = models.DateField(_("date of the change"))
    details = models.JSONField(_("details"), default=dict)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)

    visibility = Visibility(holder="recordal__holder_id")

    class Meta:
        verbose_name = _("change application")
        verbose_name_plural = _("change applications")
        ordering = ["-filed_at"]

    def __str__(self):
        return gettext("%(kind)s change (%(status)s)") % {
            "kind": self.get_kind_display(),
            "status": self.get_status_display(),
        }


class GeneralBond(models.Model):
    """A general bond (总担保, R15): a bank guarantee of a trademark holder. From approval to
    31 December the holder requests ex officio detentions on its recorded trademarks with
    no per-case bond, however many cases; the guarantee (valid to 30 June next year)
    answers for the costs of all those cases (R27): what remains of it is its amount less
    what the guarantor has been called for (GeneralBondEntry)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="general_bonds",
        verbose_name=_("holder"),
    )
    year = models.PositiveSmallIntegerField(_("year covered"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=18, decimal_places=2)
    previous_year_costs = models.DecimalField(
        _("previous year's storage, custody and disposal costs (CNY)"),
        max_digits=18,
        decimal_places=2,
        default=0,
    )
    guarantor_bank = models.CharField(_("guarantor bank"), max_length=255)
    guarantee_number = models.CharField(_("guarantee number"), max_length=64)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("guarantee valid until"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    covers_until = models.DateField(_("covers detention requests until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    low_balance_warned_at = models.DateTimeField(_("low balance warned at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    visibility = Visibility(holder="holder_id")

    class Meta:
        verbose_name = _("general bond")
        verbose_name_plural = _("general bonds")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "year"],
                condition=Q(status__in=["submitted", "approved"]),
                name="general_bond_one_per_holder_year",
            ),
            models.CheckConstraint(name="general_bond_minimum", condition=Q(amount__gte=200000)),
            models.CheckConstraint(
                name="general_bond_dates", condition=Q(expires_on__gte=F("issued_on"))
            ),
        ]

    def __str__(self):
        return gettext("General bond %(year)s — %(holder)s") % {
            "year": self.year,
            "holder": self.holder,
        }

    def deadline_parties(self) -> Parties:
        # The label is stored with the deadline: one language, whoever reads it then.
        label = f"General bond {self.year} — {self.holder.name_en}"
        return Parties(holder_id=self.holder_id, office_id=None, label=label)


class GeneralBondEntry(models.Model):
    """A call on the guarantor (R15, R27): a case's costs the holder did not pay within 10
    working days of notice, claimed from the guarantor up to what remains of the guarantee.
    Nothing is drawn from the bond when a detention is requested."""

    class Kind(models.TextChoices):
        GUARANTOR_CALL = "guarantor_call", _("Guarantor called for unpaid costs (R15, R27)")

    bond = models.ForeignKey(
        GeneralBond, on_delete=models.PROTECT, related_name="entries", verbose_name=_("bond")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.GUARANTOR_CALL
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=18, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    on = models.DateField(_("legal date"), default=local_today)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )

    visibility = Visibility(holder="bond__holder_id")

    class Meta:
        verbose_name = _("general bond entry")
        verbose_name_plural = _("general bond entries")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(name="general_bond_entry_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
