"""The national report's monthly rollup (issue 21): the case and recordal figures summed
per calendar month and dimension, so a national year reads a few thousand rows instead of
every case.

Kept exact without trusting any write path: triggers on the tables the report reads
(reports/migrations/0001_monthly_rollup.py) mark the months a statement touched in
StaleMonth, in the statement's own transaction; `reports.services.rollup_refresh`
recomputes the marked months from the cases and removes their marks. The report reads
the rollup only for months without a mark and counts the others live, in one snapshot,
so its figures are the live query's whatever the refresh's lag.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthFigure(models.Model):
    """One month's figures for one key of one dimension (national: every office summed
    under its own "district" key)."""

    class Dimension(models.TextChoices):
        MONTH = "month", _("Month")
        IP_KIND = "ip_kind", _("Kind of right")
        DIRECTION = "direction", _("Direction")
        MODE = "mode", _("Mode")
        CHANNEL = "channel", _("Channel")
        DISTRICT = "district", _("Customs district")
        HOLDER_COUNTRY = "holder_country", _("Rights holder's country")
        OUTCOME = "outcome", _("Outcome")
        CATEGORY = "category", _("Product category")
        COUNTRY = "country", _("Destination country")
        RECORDAL_SUBMITTED = "recordal_submitted", _("Recordal applications")
        RECORDAL_APPROVED = "recordal_approved", _("Recordals approved")

    month = models.DateField(_("month"), help_text=_("The month's first day."))
    dimension = models.CharField(_("dimension"), max_length=24, choices=Dimension.choices)
    # The dimension's value as text ("" for the month's total); offices by id, the
    # holder's country as "true" (domestic) or "false" (also for recordals, counted in
    # `actions`).
    key = models.CharField(_("key"), max_length=32, blank=True)
    actions = models.BigIntegerField(_("protection actions"))
    batches = models.BigIntegerField(_("batches detained"))
    items = models.BigIntegerField(_("items"))
    value = models.DecimalField(_("value (CNY)"), max_digits=20, decimal_places=2)
    exempted = models.BigIntegerField(_("batches exempted from penalty"))
    exempted_items = models.BigIntegerField(_("items exempted from penalty"))

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "key"], name="month_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension} {self.key}"


class StaleMonth(models.Model):
    """A month whose cases changed since its figures were summed (written by the
    triggers; one row a statement and month, duplicates allowed so writers never wait
    on each other)."""

    month = models.DateField(_("month"), db_index=True)

    class Meta:
        verbose_name = _("month to recount")
        verbose_name_plural = _("months to recount")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
