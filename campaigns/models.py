"""Enforcement campaigns (专项行动): Longteng/Dragon, Blue Net, Clean Net, Africa Action ...

A campaign's focus (period, channels, directions, destination regions and countries,
product categories, offices, priority rights holders) is also a rule: detentions that
match it are tagged automatically (campaigns/services.py). A tag remembers whether a
rule or a person made it; a person's removal is kept, so the rule does not put it back.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.scoping import EVERYTHING, Visibility
from core.i18n import in_reader_language
from detentions.models import (
    Channel,
    Detention,
    Direction,
    PenaltyTier,
    ProductCategory,
)

CODE = r"^[A-Z0-9][A-Z0-9-]{2,39}$"  # LONGTENG-2024


class Region(models.Model):
    """A focus region as a set of ISO countries (Africa, Middle East, Latin America, Belt
    and Road, Hong Kong and Macao transit ...), edited by GACC in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    countries = ArrayField(
        models.CharField(max_length=2), default=list, verbose_name=_("countries")
    )

    visibility = Visibility(public=EVERYTHING)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The region's name in the reader's language."""
        return in_reader_language(self.name_en, self.name_zh)


class Campaign(models.Model):
    class Kind(models.TextChoices):
        LONGTENG = "longteng", _("Longteng / Dragon")
        DRAGON_PROTECTION = "dragon_protection", _("Dragon Protection")
        BLUE_NET = "blue_net", _("Blue Net")
        CLEAN_NET = "clean_net", _("Clean Net")
        AFRICA_ACTION = "africa_action", _("Africa Action")
        OTHER = "other", _("Other")

    class RetagStatus(models.TextChoices):
        IDLE = "idle", _("Up to date")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    # The focus, and the tagging rule. An empty dimension does not restrict.
    auto_tag = models.BooleanField(_("tag matching detentions automatically"), default=True)
    channels = ArrayField(
        models.CharField(max_length=24, choices=Channel.choices), default=list, blank=True,
        verbose_name=_("channels"),
    )  # fmt: skip
    directions = ArrayField(
        models.CharField(max_length=10, choices=Direction.choices), default=list, blank=True,
        verbose_name=_("directions"),
    )  # fmt: skip
    regions = models.ManyToManyField(
        Region, blank=True, related_name="campaigns", verbose_name=_("focus regions")
    )
    countries = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        verbose_name=_("countries"),
        help_text=_("Destination countries, in addition to the regions'."),
    )
    categories = ArrayField(
        models.CharField(max_length=24, choices=ProductCategory.choices), default=list, blank=True,
        verbose_name=_("product categories"),
    )  # fmt: skip
    offices = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="campaigns",
        limit_choices_to={"kind": Organisation.Kind.CUSTOMS},
        verbose_name=_("customs offices"),
    )
    priority_holders_only = models.BooleanField(
        _("only detentions on the priority rights holders' rights"), default=False
    )
    # Priority enterprises: the penalty proposal starts at least at this tier (R24).
    priority_minimum_tier = models.CharField(
        _("minimum penalty tier for priority enterprises"),
        max_length=10,
        choices=PenaltyTier.choices,
        default=PenaltyTier.GENERAL,
    )
    # Re-tagging progress (a Celery task after a rule change).
    retag_status = models.CharField(
        _("re-tagging"), max_length=10, choices=RetagStatus.choices, default=RetagStatus.IDLE
    )
    retag_total = models.PositiveIntegerField(_("detentions to re-tag"), default=0)
    retag_done = models.PositiveIntegerField(_("detentions re-tagged"), default=0)
    retag_queued_at = models.DateTimeField(_("re-tagging queued at"), null=True, blank=True)
    retag_started_at = models.DateTimeField(_("re-tagging started at"), null=True, blank=True)
    retag_finished_at = models.DateTimeField(_("re-tagging finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    visibility = Visibility(public=EVERYTHING)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                name="campaign_period_order", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(name="campaign_code_format", condition=Q(code__regex=CODE)),
        ]

    def __str__(self):
        return self.code

    @property
    def name(self) -> str:
        """The campaign's name in the reader's language."""
        return in_reader_language(self.name_en, self.name_zh)


class PriorityHolder(models.Model):
    """A priority enterprise of a campaign (e.g. "Dragon Protection") and its liaison."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="priority", verbose_name=_("campaign")
    )
    holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.RIGHTS_HOLDER},
        verbose_name=_("rights holder"),
    )
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("liaison officer"),
    )

    visibility = Visibility(holder="holder_id")

    class Meta:
        verbose_name = _("priority rights holder")
        verbose_name_plural = _("priority rights holders")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "holder"], name="priority_holder_once")
        ]

    def __str__(self):
        return f"{self.campaign} — {self.holder}"


class CampaignTag(models.Model):
    """A detention counted in a campaign. `removed_at` keeps a person's removal so that
    the rule does not tag the detention again."""

    class Source(models.TextChoices):
        RULE = "rule", _("Rule")
        MANUAL = "manual", _("Officer")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tags", verbose_name=_("campaign")
    )
    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="campaign_tags",
        verbose_name=_("detention"),
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("tagged by"),
    )  # fmt: skip
    tagged_at = models.DateTimeField(_("tagged at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("removed by"),
    )  # fmt: skip
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    visibility = Visibility(holder="detention__holder_id", office="detention__office_id")

    class Meta:
        verbose_name = _("campaign tag")
        verbose_name_plural = _("campaign tags")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "detention"], name="campaign_tag_once"),
            models.CheckConstraint(
                name="campaign_tag_manual_has_person",
                condition=Q(source="rule") | Q(tagged_by__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "detention"],
                condition=Q(removed_at__isnull=True),
                name="campaign_tag_live_idx",
            ),
            models.Index(fields=["detention"], name="campaign_tag_detention_idx"),
        ]

    def __str__(self):
        return f"{self.campaign} ← {self.detention}"
