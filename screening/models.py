"""Risk screening (issue 19): the rules officers tune, the snapshot's version, the marks'
other forms, and the batches screened with their results (customs only)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import Visibility
from recordals.models import Recordal

# The rules' names in the reader's language (the rows keep the English name).
RULE_NAMES = {
    "mark": _("Recorded mark or a variant of it"),
    "mark_fuzzy": _("Misspelled recorded mark"),
    "hs_code": _("HS code of the genuine goods"),
    "low_price": _("Unit price far below the genuine price"),
    "known_infringer": _("Known infringer"),
    "past_infringer": _("Party of a past infringing case"),
    "campaign_focus": _("Inside a running campaign's focus"),
    "priority_holder": _("Right of a priority enterprise"),
    "authorised": _("Authorised supply chain (holder or licensee)"),
}


class ScreeningRule(models.Model):
    """A named rule with its weight: data officers tune in the admin (seeded by a data
    migration from `screening.matching.DEFAULT_RULES`)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    weight = models.SmallIntegerField(
        _("weight"),
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_("Points added to the risk (0-100) when the rule hits; negative lowers it."),
    )
    threshold = models.FloatField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Low price: the share of the genuine goods' lowest price below which a price is "
            "far below (0.5 = half). Party rules: the name similarity needed (0-100)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    visibility = Visibility(officers_only=True)

    class Meta:
        verbose_name = _("screening rule")
        verbose_name_plural = _("screening rules")
        ordering = ["-weight", "code"]

    def __str__(self):
        return f"{self.display_name} ({self.weight:+d})"

    @property
    def display_name(self) -> str:
        return str(RULE_NAMES.get(self.code, self.name))


class SnapshotVersion(models.Model):
    """One row; its counter moves whenever what screening matches against changes
    (recordals, licensees, genuine goods, known infringers, cases, campaigns, rules), so
    each process rebuilds its cached snapshot on the next request."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    visibility = Visibility(officers_only=True)

    class Meta:
        verbose_name = _("screening snapshot version")
        verbose_name_plural = _("screening snapshot versions")

    def __str__(self):
        return str(self.version)


class MarkVariant(models.Model):
    """Another form of a recorded mark: its Chinese name, a transliteration, a usual
    abbreviation (case, spacing and look-alike letters are folded without one)."""

    recordal = models.ForeignKey(
        Recordal,
        on_delete=models.CASCADE,
        related_name="screening_variants",
        verbose_name=_("recordal"),
    )
    text = models.CharField(_("form of the mark"), max_length=120)

    visibility = Visibility(officers_only=True)

    class Meta:
        verbose_name = _("mark variant")
        verbose_name_plural = _("mark variants")
        constraints = [
            models.UniqueConstraint(fields=["recordal", "text"], name="mark_variant_once")
        ]

    def __str__(self):
        return self.text


class ScreeningBatch(models.Model):
    """Declarations screened together (a file or a large batch through Celery)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    declarations = models.JSONField(_("declarations"), default=list, blank=True)
    total = models.PositiveIntegerField(_("declarations"), default=0)
    done = models.PositiveIntegerField(_("screened"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    visibility = Visibility(officers_only=True)

    class Meta:
        verbose_name = _("screening batch")
        verbose_name_plural = _("screening batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ScreeningResult(models.Model):
    """One declaration's result in a batch: its risk, level and hits."""

    batch = models.ForeignKey(
        ScreeningBatch, on_delete=models.CASCADE, related_name="results", verbose_name=_("batch")
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.CharField(_("declaration number"), max_length=40)
    risk = models.PositiveSmallIntegerField(_("risk"))
    level = models.CharField(_("level"), max_length=6, choices=Level.choices)
    authorised = models.BooleanField(_("authorised supply chain"), default=False)
    declaration = models.JSONField(_("declaration"), default=dict)
    hits = models.JSONField(_("hits"), default=list)

    visibility = Visibility(officers_only=True)

    class Meta:
        verbose_name = _("screening result")
        verbose_name_plural = _("screening results")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="screening_result_once"),
            models.CheckConstraint(
                condition=models.Q(risk__lte=100), name="screening_result_risk_0_100"
            ),
        ]
        indexes = [models.Index(fields=["level", "risk"], name="screening_level_idx")]

    def __str__(self):
        return f"{self.number} ({self.risk})"
