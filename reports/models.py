"""Programme targets as data (DESIGN.md "rules as data"): each province sets its own per period, from
a decision of its People's Committee; the nation's have no province."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    class Kind(models.TextChoices):
        # The seed's "215 products certified in 2021–2025 = 358% of the period target": products
        # whose first certificate was decided in the period (docs/reports.md).
        FIRST_CERTIFIED = "first_certified", _("Products first certified in the period")
        CERTIFICATIONS = "certifications", _("Certification decisions in the period")
        CURRENT = "current", _("Current OCOP products at the end of the period")

    province = models.ForeignKey(
        "places.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ocop_targets",
        verbose_name=_("province"),
        help_text=_("Empty for a national target."),
    )
    kind = models.CharField(_("what is counted"), max_length=20, choices=Kind.choices)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    value = models.PositiveIntegerField(_("target value"))
    source = models.CharField(_("source decision"), max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["province_id", "kind", "end_year", "start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "start_year", "end_year"],
                condition=models.Q(province__isnull=False),
                name="uniq_province_target",
            ),
            models.UniqueConstraint(
                fields=["kind", "start_year", "end_year"],
                condition=models.Q(province__isnull=True),
                name="uniq_national_target",
            ),
        ]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")

    def __str__(self) -> str:
        return f"{self.province_id or 'VN'} {self.kind} {self.start_year}–{self.end_year}: {self.value}"


class MonthlyReport(models.Model):
    """A province's monthly report, once sent (reports.monthly): the record that keeps a second run of
    the task from sending it again. Only who received it (a count) and when; the figures are in the
    mail and can be produced again for any date."""

    province = models.ForeignKey(
        "places.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    reference_date = models.DateField(_("reference date"))
    recipients = models.PositiveSmallIntegerField(_("recipients"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "province_id"]
        constraints = [models.UniqueConstraint(fields=["province", "month"], name="monthly_report_once")]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}"
