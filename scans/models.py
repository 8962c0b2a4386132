"""What consumers' scans leave behind: raw scan rows (kept OCOP_SCAN_RETENTION_DAYS), a summary per
issued serial (first check, count), daily rollups per product (what reports read), the places a
visitor chose to share, and the cases officials and producers review: automatic "potential suspect"
alerts and consumers' fake reports.

No raw IP address is stored anywhere: a visitor is a keyed hash (HMAC-SHA256) of IP and browser
under a salt that changes every UTC day and is deleted two days later (scans.privacy)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitorSalt(models.Model):
    """The secret of one UTC day's visitor keys. Deleted after two days, so a key of that day can no
    longer be recomputed from an IP address (nor checked against one)."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visitor salt")
        verbose_name_plural = _("visitor salts")

    def __str__(self) -> str:
        return self.day.isoformat()


class ScanEvent(models.Model):
    """One scan of a registered product's code, appended in batches (scans.buffer). Narrow on
    purpose: millions of rows, read only by the daily rollup and deleted after the retention period."""

    at = models.DateTimeField(_("time"), db_index=True)
    product = models.ForeignKey(
        "registry.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    lot_code = models.CharField(_("lot"), max_length=20, blank=True)
    serial_value = models.CharField(_("serial"), max_length=20, blank=True)
    visitor_key = models.CharField(_("visitor key"), max_length=64)
    suspect = models.BooleanField(_("potential suspect"), default=False)
    rules = models.JSONField(_("rules raised"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["product", "at"])]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.product_id} {self.serial_value or self.lot_code} {self.at:%Y-%m-%d %H:%M}"


class SerialSummary(models.Model):
    """When an issued serial was first checked and how often: what a buyer of a "new" package needs
    to see. Updated in batches with the scan rows; the page adds the scans still waiting in memory."""

    serial = models.OneToOneField(
        "traceability.Serial", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    first_seen_at = models.DateTimeField(_("first checked"))
    last_seen_at = models.DateTimeField(_("last checked"))
    scan_count = models.PositiveIntegerField(_("checks"), default=0)

    class Meta:
        verbose_name = _("serial summary")
        verbose_name_plural = _("serial summaries")

    def __str__(self) -> str:
        return f"{self.serial_id}: {self.scan_count}"


class ScanLocation(models.Model):
    """A place a visitor chose to share from the browser ("Share my location to check this code"),
    rounded to 0.01° (about 1 km): enough for the far-apart rule, not enough to find a house."""

    serial = models.ForeignKey("traceability.Serial", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=5, decimal_places=2)
    longitude = models.DecimalField(_("longitude"), max_digits=5, decimal_places=2)
    visitor_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["serial", "at"])]
        verbose_name = _("shared location")
        verbose_name_plural = _("shared locations")

    def __str__(self) -> str:
        return f"{self.latitude}, {self.longitude}"


class DailyScanRollup(models.Model):
    """Scans of one product on one day (Vietnam time): what reports read, never the raw rows."""

    product = models.ForeignKey(
        "registry.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    day = models.DateField(_("day"))
    scans = models.PositiveIntegerField(_("scans"), default=0)
    visitors = models.PositiveIntegerField(_("distinct visitors"), default=0)
    suspect_scans = models.PositiveIntegerField(_("potential suspect scans"), default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "product_id"]
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="uniq_scan_rollup_day")]
        # reports: a few months of an area's rollups by day range, the sums read from the index
        indexes = [models.Index(fields=["day", "product", "scans", "visitors"], name="scans_rollup_day_sums")]
        verbose_name = _("daily scan rollup")
        verbose_name_plural = _("daily scan rollups")

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}: {self.scans}"


class MonthlyScanRollup(models.Model):
    """Scans of one product in one calendar month, the sums of its daily rollups (written with them:
    scans.services_rollups): reports read a month as one row per product instead of up to 31."""

    product = models.ForeignKey(
        "registry.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    scans = models.PositiveIntegerField(_("scans"), default=0)
    visitor_days = models.PositiveIntegerField(_("visitor-days"), default=0)
    suspect_scans = models.PositiveIntegerField(_("potential suspect scans"), default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "product_id"]
        constraints = [models.UniqueConstraint(fields=["product", "month"], name="uniq_scan_rollup_month")]
        # reports: a month's most scanned products
        indexes = [models.Index(fields=["month", "scans"], name="scans_rollup_month_top")]
        verbose_name = _("monthly scan rollup")
        verbose_name_plural = _("monthly scan rollups")

    def __str__(self) -> str:
        return f"{self.product_id} {self.month:%Y-%m}: {self.scans}"


class SuspectCase(models.Model):
    """One item of the review queue: an automatic alert (one row per product, rule, lot and serial,
    counting its occurrences, so a recalled lot scanned a thousand times is one case) or a
    consumer's fake report (one row each). Either is a *potential* suspect until a reviewer decides."""

    class Kind(models.TextChoices):
        ALERT = "alert", _("Automatic alert")
        REPORT = "report", _("Consumer report")

    class Rule(models.TextChoices):
        NEVER_ISSUED = "never_issued", _("Serial never issued")
        VOIDED = "voided", _("Serial voided")
        RECALLED = "recalled", _("Lot recalled")
        CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        TOO_MANY = "too_many", _("Too many scans of one serial")
        FAR_APART = "far_apart", _("Scans far apart")

    class Problem(models.TextChoices):
        LOOKS_FAKE = "looks_fake", _("The package or label looks fake")
        ALREADY_CHECKED = "already_checked", _("The code was already checked before I bought it")
        WRONG_PRODUCT = "wrong_product", _("The page shows a different product")
        QUALITY = "quality", _("The product inside is not what it should be")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        INVESTIGATING = "investigating", _("Under investigation")
        CONFIRMED_FAKE = "confirmed_fake", _("Confirmed fake")
        FALSE_ALARM = "false_alarm", _("False alarm")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    rule = models.CharField(_("rule"), max_length=24, choices=Rule.choices, blank=True)
    product = models.ForeignKey(
        "registry.Product", on_delete=models.CASCADE, related_name="suspect_cases", verbose_name=_("product")
    )
    lot_code = models.CharField(_("lot"), max_length=20, blank=True)
    serial_value = models.CharField(_("serial"), max_length=20, blank=True)
    code_path = models.CharField(_("scanned code"), max_length=200, blank=True)
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    first_at = models.DateTimeField(_("first seen"))
    last_at = models.DateTimeField(_("last seen"), db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # A consumer's report (plain text only: scans.services refuses markup).
    problem = models.CharField(_("what is wrong"), max_length=20, choices=Problem.choices, blank=True)
    where_bought = models.CharField(_("where it was bought"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    visitor_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The review.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-last_at", "-id"]
        indexes = [
            models.Index(fields=["product", "kind", "rule", "serial_value"]),
            models.Index(fields=["status", "last_at"]),
        ]
        verbose_name = _("suspect case")
        verbose_name_plural = _("suspect cases")

    def __str__(self) -> str:
        what = self.get_rule_display() if self.kind == self.Kind.ALERT else self.get_kind_display()
        return f"{what} · {self.serial_value or self.lot_code or self.product_id}"
