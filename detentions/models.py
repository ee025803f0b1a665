"""Detention cases (R12-R28): the case an officer works and a holder follows.

One case is one batch of goods, one rights holder and one kind of right. Its lifecycle is
one of the two tables in detentions/workflow.py (ex officio, on application); every write
goes through detentions/services.py. Totals of items and value are derived from the goods
lines by the services, never typed.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Port
from accounts.parties import Parties
from accounts.scoping import Visibility
from core.encryption import EncryptedCharField
from core.files import short_name
from core.timezone import day_text, instant_text
from recordals.models import GeneralBond, GeneralBondEntry, Recordal, RecordalKind

MONEY = {"max_digits": 18, "decimal_places": 2}
ISO_COUNTRY = r"^[A-Z]{2}$"


class Mode(models.TextChoices):
    EX_OFFICIO = "ex_officio", _("Ex officio")
    ON_APPLICATION = "on_application", _("On application")


class Direction(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    TRANSIT = "transit", _("Transit")


class Channel(models.TextChoices):
    GENERAL_TRADE = "general_trade", _("General trade")
    CROSS_BORDER_ECOMMERCE = "cross_border_ecommerce", _("Cross-border e-commerce")
    MARKET_PROCUREMENT = "market_procurement", _("Market procurement")
    POSTAL = "postal", _("Postal")
    EXPRESS = "express", _("Express")
    PASSENGER_LUGGAGE = "passenger_luggage", _("Passenger luggage")


# R26: items of these channels are a traveller's or an addressee's own goods.
PERSONAL_CHANNELS = (Channel.POSTAL, Channel.PASSENGER_LUGGAGE)


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    POST = "post", _("Post")
    ON_FOOT = "on_foot", _("Carried by a traveller")


class ProductCategory(models.TextChoices):
    APPAREL = "apparel", _("Apparel and accessories")
    FOOTWEAR = "footwear", _("Footwear")
    LEATHER_GOODS = "leather_goods", _("Bags and leather goods")
    ELECTRONICS = "electronics", _("Electronics")
    MOBILE_ELECTRONICS = "mobile_electronics", _("Mobile phones and accessories")
    SMALL_APPLIANCES = "small_appliances", _("Small household appliances")
    SPORTING_GOODS = "sporting_goods", _("Sporting goods")
    TOYS = "toys", _("Toys and games")
    TOBACCO = "tobacco", _("Tobacco products")
    COSMETICS = "cosmetics", _("Cosmetics and personal care")
    MEDICINES = "medicines", _("Medicines and medical devices")
    AUTO_PARTS = "auto_parts", _("Vehicle parts")
    CONSTRUCTION_MACHINERY = "construction_machinery", _("Construction machinery")
    DAILY_NECESSITIES = "daily_necessities", _("Daily necessities")
    STATIONERY = "stationery", _("Stationery")
    WATCHES_JEWELLERY = "watches_jewellery", _("Watches and jewellery")
    FOOD = "food", _("Food and drink")
    OTHER = "other", _("Other")


class DetentionStatus(models.TextChoices):
    NOTIFIED = "notified", _("Release suspended, holder notified")
    APPLIED = "applied", _("Application filed")
    DETENTION_REQUESTED = "detention_requested", _("Detention requested")
    DETAINED = "detained", _("Detained")
    INFRINGING = "infringing", _("Determined infringing")
    UNDETERMINED = "undetermined", _("Infringement undetermined")
    COURT_ORDERED = "court_ordered", _("Court assistance notice received")
    CONFISCATED = "confiscated", _("Confiscated")
    DISPOSED = "disposed", _("Disposed of")
    RELEASED = "released", _("Released")
    COUNTER_BOND_HELD = "counter_bond_held", _("Released on a counter-bond, deposit held")
    SUIT_FILED = "suit_filed", _("Released on a counter-bond, lawsuit filed")
    REJECTED = "rejected", _("Application rejected")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """Where the goods ended up, kept when the case is closed (results and statistics)."""

    PENDING = "pending", _("Pending")
    CONFISCATED = "confiscated", _("Confiscated")
    RELEASED = "released", _("Released")
    COURT_ORDERED = "court_ordered", _("Held under a court order")
    REJECTED = "rejected", _("Application rejected")


class ReleaseGround(models.TextChoices):
    """The grounds a release step records on its event (detentions/steps.py): stored in
    English, shown in the reader's language by their labels."""

    NO_TIMELY_REPLY = (
        "no timely reply or no bond in time (R12)",
        _("no timely reply or no bond in time (R12)"),
    )
    NO_COURT_NOTICE = (
        "no court assistance notice in time (R17, R19)",
        _("no court assistance notice in time (R17, R19)"),
    )
    EVIDENCE = (
        "sufficient evidence of non-infringement (R22)",
        _("sufficient evidence of non-infringement (R22)"),
    )
    WITHDRAWN = "withdrawn by the holder (R22)", _("withdrawn by the holder (R22)")


class Determination(models.TextChoices):
    INFRINGING = "infringing", _("Infringing")
    NOT_INFRINGING = "not_infringing", _("Not infringing")
    UNDETERMINED = "undetermined", _("Undetermined")


class BondSource(models.TextChoices):
    CASE_BOND = "case_bond", _("Bond for this case")
    GENERAL_BOND = "general_bond", _("Covered by the general bond (no per-case bond)")


class FilingChannel(models.TextChoices):
    """How a filing reached customs (R13): by post or bank transfer it is in time when sent
    by 24:00 of the last day; at the counter it must arrive within the office's hours."""

    ONLINE = "online", _("Through this service")
    POST = "post", _("By post")
    BANK = "bank", _("By bank transfer")
    COUNTER = "counter", _("At the customs counter")


class InspectionParty(models.TextChoices):
    """R20: with customs' consent, either side may inspect the goods."""

    HOLDER = "holder", _("Rights holder")
    CONSIGNOR = "consignor", _("Consignor or consignee")


class ReceiptParty(models.TextChoices):
    CONSIGNOR = "consignor", _("Consignor")
    CONSIGNEE = "consignee", _("Consignee")


class BondForm(models.TextChoices):
    CASH = "cash", _("Cash")
    GUARANTEE = "guarantee", _("Bank or financial-institution guarantee")


class PenaltyTier(models.TextChoices):
    """Discretion tiers of GACC 2023 No. 198 (R24), with their share of the goods value."""

    NONE = "none", _("No penalty")
    MITIGATED = "mitigated", _("Mitigated (confiscation only)")
    LIGHTER = "lighter", _("Lighter (under 10%)")
    GENERAL = "general", _("General (10% to under 20%)")
    HEAVIER = "heavier", _("Heavier (20% to 30%)")


class DisposalMethod(models.TextChoices):
    """R23, in order of preference."""

    DONATION = "donation", _("Donation to public welfare")
    TRANSFER_TO_HOLDER = "transfer_to_holder", _("Paid transfer to the rights holder")
    AUCTION = "auction", _("Auction after removing the infringing features")
    DESTRUCTION = "destruction", _("Destruction")


class NoPenaltyCriterion(models.Model):
    """A ground on which a minor first violation goes unpunished (R24). The criteria are
    not confirmed in public law, so they are data that GACC keeps in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"))
    is_active = models.BooleanField(_("active"), default=True)

    visibility = Visibility(public=Q(is_active=True))

    class Meta:
        verbose_name = _("no-penalty criterion")
        verbose_name_plural = _("no-penalty criteria")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Detention(models.Model):
    number = models.CharField(_("case number"), max_length=24, unique=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=24, choices=DetentionStatus.choices)
    office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="detentions",
        verbose_name=_("customs office"),
    )
    port = models.ForeignKey(
        Port,
        on_delete=models.PROTECT,
        related_name="detentions",
        null=True,
        blank=True,
        verbose_name=_("port"),
    )
    holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="detentions_as_holder",
        verbose_name=_("rights holder"),
    )
    # The shipment.
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    transport_mode = models.CharField(
        _("transport mode"), max_length=10, choices=TransportMode.choices
    )
    declaration_number = models.CharField(_("declaration number"), max_length=40, blank=True)
    origin_country = models.CharField(_("origin country"), max_length=2)
    destination_country = models.CharField(_("destination country"), max_length=2)
    # The consignor and consignee. Name and country are what a detention notice discloses
    # to the holder; address, contact and identity document stay with customs.
    consignor_name = models.CharField(_("consignor"), max_length=255)
    consignor_country = models.CharField(_("consignor country"), max_length=2)
    consignor_address = models.CharField(_("consignor address"), max_length=255, blank=True)
    consignor_contact = models.CharField(_("consignor contact"), max_length=100, blank=True)
    # Encrypted at rest (PIPL, core/encryption.py); at most 40 characters of text (inputs).
    consignor_id_number = EncryptedCharField(
        _("consignor identity document"), max_length=320, blank=True
    )
    consignee_name = models.CharField(_("consignee"), max_length=255)
    consignee_country = models.CharField(_("consignee country"), max_length=2)
    consignee_address = models.CharField(_("consignee address"), max_length=255, blank=True)
    # The right: recorded rights (ex officio always, R12) or, on application, the right
    # described (R18). One kind of right per case.
    ip_kind = models.CharField(_("kind of right"), max_length=20, choices=RecordalKind.choices)
    recordals = models.ManyToManyField(
        Recordal, related_name="detentions", blank=True, verbose_name=_("recordals concerned")
    )
    right_description = models.CharField(_("right described"), max_length=255, blank=True)
    right_registration_number = models.CharField(
        _("registration number of the right"), max_length=40, blank=True
    )
    evidence = models.TextField(_("evidence of infringement"), blank=True)
    expected_arrival = models.CharField(
        _("likely port, time and means"), max_length=255, blank=True
    )
    # Derived from the goods lines by the services.
    total_items = models.PositiveBigIntegerField(_("items"), default=0, editable=False)
    total_value = models.DecimalField(_("goods value (CNY)"), default=0, editable=False, **MONEY)
    # Legal dates.
    opened_on = models.DateField(_("opened on"), help_text=_("Notice served or application filed."))
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    determined_on = models.DateField(_("determined on"), null=True, blank=True)
    confiscated_on = models.DateField(_("confiscation decision served on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    determination = models.CharField(
        _("determination"), max_length=20, choices=Determination.choices, blank=True
    )
    exceeds_personal_quantity = models.BooleanField(
        _("beyond a reasonable personal quantity (R26)"), null=True, blank=True
    )
    # The bond (R14, R15, R18).
    bond_amount = models.DecimalField(_("bond (CNY)"), null=True, blank=True, **MONEY)
    bond_source = models.CharField(
        _("bond source"), max_length=20, choices=BondSource.choices, blank=True
    )
    bond_form = models.CharField(
        _("bond form"), max_length=10, choices=BondForm.choices, blank=True
    )
    bond_reference = models.CharField(_("bond reference"), max_length=100, blank=True)
    general_bond = models.ForeignKey(
        GeneralBond,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
        verbose_name=_("general bond"),
    )
    # Outcome (R23, R24).
    penalty_tier = models.CharField(
        _("penalty tier"), max_length=10, choices=PenaltyTier.choices, blank=True
    )
    penalty_fine = models.DecimalField(_("fine (CNY)"), null=True, blank=True, **MONEY)
    undeclared_ip_fine = models.DecimalField(
        _("fine for not declaring IP status (CNY)"), null=True, blank=True, **MONEY
    )
    no_penalty_criterion = models.ForeignKey(
        NoPenaltyCriterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("no-penalty criterion"),
    )
    disposal_method = models.CharField(
        _("disposal"), max_length=20, choices=DisposalMethod.choices, blank=True
    )
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    # R12, R18: the detention receipt (扣留凭单) served on the consignor or consignee.
    receipt_number = models.CharField(_("detention receipt number"), max_length=60, blank=True)
    receipt_served_on = models.DateField(_("detention receipt served on"), null=True, blank=True)
    receipt_served_to = models.CharField(
        _("detention receipt served to"), max_length=10, choices=ReceiptParty.choices, blank=True
    )
    # R27: after confiscation, storage runs at most 3 months from the decision's service.
    decision_served_on = models.DateField(_("penalty decision served on"), null=True, blank=True)
    internal_notes = models.TextField(_("internal notes (customs only)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    visibility = Visibility(holder="holder_id", office="office_id")

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["office", "status"], name="detention_office_status_idx"),
            models.Index(fields=["holder", "status"], name="detention_holder_status_idx"),
            models.Index(fields=["status", "opened_on"], name="detention_status_idx"),
            models.Index(fields=["opened_on", "id"], name="detention_opened_idx"),
            # A district's or a holder's report reads only its own cases of the period.
            models.Index(fields=["office", "opened_on"], name="detention_office_opened_idx"),
            models.Index(fields=["holder", "opened_on"], name="detention_holder_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="detention_countries_iso",
                condition=Q(origin_country__regex=ISO_COUNTRY)
                & Q(destination_country__regex=ISO_COUNTRY)
                & Q(consignor_country__regex=ISO_COUNTRY)
                & Q(consignee_country__regex=ISO_COUNTRY),
            ),
            models.CheckConstraint(
                name="detention_bond_non_negative",
                condition=Q(bond_amount__isnull=True) | Q(bond_amount__gte=0),
            ),
            # R15: a general bond covers ex officio trademark detentions only.
            models.CheckConstraint(
                name="detention_general_bond_scope",
                condition=~Q(bond_source="general_bond")
                | Q(mode="ex_officio", ip_kind="trademark", general_bond__isnull=False),
            ),
            # R24: the fine never exceeds 30% of the goods value; R24: at most 50,000 for
            # failing to declare IP status.
            models.CheckConstraint(
                name="detention_fine_at_most_30_percent",
                condition=Q(penalty_fine__isnull=True)
                | Q(penalty_fine__gte=0, penalty_fine__lte=F("total_value") * Decimal("0.3")),
            ),
            models.CheckConstraint(
                name="detention_undeclared_fine_cap",
                condition=Q(undeclared_ip_fine__isnull=True)
                | Q(undeclared_ip_fine__gte=0, undeclared_ip_fine__lte=50000),
            ),
            models.CheckConstraint(
                name="detention_detained_after_opened",
                condition=Q(detained_on__isnull=True) | Q(detained_on__gte=F("opened_on")),
            ),
        ]

    def __str__(self):
        return self.number

    def deadline_parties(self) -> Parties:
        return Parties(holder_id=self.holder_id, office_id=self.office_id, label=self.number)


class GoodsLine(models.Model):
    detention = models.ForeignKey(
        Detention,
        on_delete=models.CASCADE,
        related_name="goods_lines",
        verbose_name=_("detention"),
    )
    description = models.CharField(_("description"), max_length=255)
    hs_code = models.CharField(_("HS code"), max_length=10)
    category = models.CharField(
        _("product category"), max_length=24, choices=ProductCategory.choices
    )
    quantity = models.PositiveBigIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20, default="pieces")
    value = models.DecimalField(_("value (CNY)"), **MONEY)
    recordal = models.ForeignKey(
        Recordal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recordal"),
    )

    visibility = Visibility(holder="detention__holder_id", office="detention__office_id")

    class Meta:
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        ordering = ["detention", "id"]
        constraints = [
            models.CheckConstraint(
                name="goods_line_hs_code", condition=Q(hs_code__regex=r"^[0-9]{4,10}$")
            ),
            models.CheckConstraint(
                name="goods_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            models.CheckConstraint(name="goods_line_value_non_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self):
        return f"{self.quantity} {self.unit} {self.description}"


def document_path(instance, filename):
    return f"detentions/{instance.detention_id}/{secrets.token_hex(8)}-{short_name(filename)}"


class DetentionDocument(models.Model):
    """A document of the case: served notices, the holder's reply, bond certificates,
    statements (R20), court notices. `internal` documents stay with customs."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice served")
        REPLY = "reply", _("Holder's reply or application")
        BOND = "bond", _("Bond or guarantee")
        CONSIGNOR_STATEMENT = "consignor_statement", _("Consignor's statement (R20)")
        COURT_NOTICE = "court_notice", _("Court assistance notice")
        PENALTY_DECISION = "penalty_decision", _("Penalty decision")
        DISPOSAL_RECORD = "disposal_record", _("Disposal record")
        EVIDENCE = "evidence", _("Evidence")
        OTHER = "other", _("Other")

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="documents", verbose_name=_("detention")
    )
    event = models.ForeignKey(
        "DetentionEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("event"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    internal = models.BooleanField(_("customs only"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    visibility = Visibility(holder="detention__holder_id", office="detention__office_id")

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title or self.get_kind_display()


class DetentionEvent(models.Model):
    """The case's timeline: who did what, when, from which state to which, why, and the
    documents served. Internal events (customs notes) are not shown to the holder side."""

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="events", verbose_name=_("detention")
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    internal = models.BooleanField(_("customs only"), default=False)
    on = models.DateField(_("legal date"))
    # R13: how a filing arrived, and when it was sent (post, bank) or handed in (counter).
    filed_via = models.CharField(
        _("filed via"), max_length=8, choices=FilingChannel.choices, blank=True
    )
    filed_at = models.DateTimeField(_("sent or handed in at"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    visibility = Visibility(holder="detention__holder_id", office="detention__office_id")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["detention", "at"], name="detention_event_idx")]

    def __str__(self):
        from detentions.timeline import case_event_label  # the tables import this module

        return f"{day_text(self.on)}: {case_event_label(self)}"


class MoneyEntry(models.Model):
    """The money trail of a case, one signed movement per row (R14, R15, R21, R27, R28).

    bond held     = bond received - costs deducted from it - compensation - refunded
    costs owed    = costs charged - costs paid - costs deducted (from the bond, or called
                    from the general bond's guarantor: general_bond_entry, R15)
    counter-bond  = counter-bond received - returned - paid out under a court's decision
    A case closes only when all three are zero."""

    class Kind(models.TextChoices):
        BOND_RECEIVED = "bond_received", _("Bond received")
        COST_CHARGED = "cost_charged", _("Costs charged (R27)")
        COST_PAID = "cost_paid", _("Costs paid by the holder")
        COST_DEDUCTED = "cost_deducted", _("Costs deducted from the bond (R27)")
        CONSIGNOR_COMPENSATED = "consignor_compensated", _("Consignor compensated (R28)")
        BOND_REFUNDED = "bond_refunded", _("Bond refunded (R28)")
        COUNTER_BOND_RECEIVED = "counter_bond_received", _("Counter-bond received (R21)")
        COUNTER_BOND_RETURNED = "counter_bond_returned", _("Counter-bond returned")
        COUNTER_BOND_PAID_OUT = (
            "counter_bond_paid_out",
            _("Counter-bond paid out under the court's decision (R21)"),
        )

    class CostKind(models.TextChoices):
        STORAGE = "storage", _("Storage")
        CUSTODY = "custody", _("Custody")
        DISPOSAL = "disposal", _("Disposal")

    detention = models.ForeignKey(
        Detention, on_delete=models.PROTECT, related_name="money", verbose_name=_("detention")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    cost_kind = models.CharField(_("cost"), max_length=10, choices=CostKind.choices, blank=True)
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    general_bond_entry = models.OneToOneField(
        GeneralBondEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("general bond entry"),
    )
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )

    visibility = Visibility(holder="detention__holder_id", office="detention__office_id")

    class Meta:
        verbose_name = _("money entry")
        verbose_name_plural = _("money trail")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(name="money_entry_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="money_entry_cost_kind",
                condition=~Q(kind="cost_charged") | ~Q(cost_kind=""),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Referral(models.Model):
    """A referral of a suspected crime to public security (R25), tracked until the organ
    accepts (files a case), declines or returns it. Lifecycle: detentions/workflow.py."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ACCEPTED = "accepted", _("Accepted (case filed)")
        DECLINED = "declined", _("Declined")
        RETURNED = "returned", _("Returned")

    detention = models.ForeignKey(
        Detention, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("detention")
    )
    organ = models.CharField(_("public security organ"), max_length=255)
    referred_on = models.DateField(_("referred on"))
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REFERRED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    police_case_number = models.CharField(_("police case number"), max_length=60, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    visibility = Visibility(holder="detention__holder_id", office="detention__office_id")

    class Meta:
        verbose_name = _("referral to public security")
        verbose_name_plural = _("referrals to public security")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["detention"],
                condition=Q(status__in=["referred", "accepted"]),
                name="referral_one_live_per_detention",
                violation_error_message=_("This case already has a live referral."),
            ),
            models.CheckConstraint(
                name="referral_decided_after_referred",
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("referred_on")),
            ),
        ]
        indexes = [models.Index(fields=["status", "referred_on"], name="referral_status_idx")]

    def __str__(self):
        return f"{self.detention.number} → {self.organ}"


class ReferralEvent(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("referral")
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    visibility = Visibility(
        holder="referral__detention__holder_id", office="referral__detention__office_id"
    )

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self):
        from detentions.timeline import referral_event_label  # the tables import this module

        return referral_event_label(self)


class PersonalDataRead(models.Model):
    """PIPL: each time a person is shown a case's consignor/consignee personal particulars
    unmasked (address, contact, identity document): who, when, which case, where. Written
    by detentions.personal_data, never edited."""

    class Channel(models.TextChoices):
        API = "api", _("API")
        ADMIN = "admin", _("Admin")

    detention = models.ForeignKey(
        Detention,
        on_delete=models.PROTECT,
        related_name="personal_data_reads",
        verbose_name=_("case"),
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reader"),
    )
    channel = models.CharField(_("access channel"), max_length=8, choices=Channel.choices)
    fields = models.JSONField(_("fields shown"), default=list)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    visibility = Visibility(office="detention__office_id", officers_only=True)

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.detention} · {self.reader} · {instant_text(self.at)}"
