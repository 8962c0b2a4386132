"""OCOP certificates (giấy chứng nhận kết quả đánh giá, phân hạng) and their life events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberPattern(models.Model):
    """Decision 26/2026 prescribes no certificate-number format: each province sets its own (data).
    Placeholders: {seq} (per province and year, gap-free), {year}, {province} (code), {stars}."""

    province = models.OneToOneField(
        "places.Province", on_delete=models.CASCADE, related_name="certificate_pattern"
    )
    pattern = models.CharField(_("pattern"), max_length=100, default="{seq:03d}/{year}/GCN-OCOP-{province}")

    class Meta:
        verbose_name = _("certificate number pattern")
        verbose_name_plural = _("certificate number patterns")

    def __str__(self) -> str:
        return f"{self.province}: {self.pattern}"


class NumberCounter(models.Model):
    """The last number used per issuer and year, locked while a number is drawn (no gaps, no repeats)."""

    issuer = models.CharField(max_length=10)  # province code, or "central"
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="uniq_counter")]

    def __str__(self) -> str:
        return f"{self.issuer}/{self.year}: {self.last}"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Replaced by a later certificate")

    class RevocationGround(models.TextChoices):
        # Art. 8 of Decision 26/2026/QĐ-TTg.
        FORGED = "a", _("a) untruthful information or forged dossier")
        CRITERIA = "b", _("b) criteria no longer met on inspection")
        VIOLATION = "c", _("c) violation of quality, food-safety, environment, IP or labelling law")
        MARK_MISUSE = "d", _("d) misuse of the OCOP mark")
        STOPPED = "dd", _("đ) production stopped")
        OTHER = "e", _("e) other decision of a competent authority")

    number = models.CharField(_("certificate number"), max_length=80, unique=True)
    verification_code = models.CharField(max_length=16, unique=True)
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="certificates")
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="certificates")
    dossier = models.OneToOneField(
        "evaluation.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    release = models.ForeignKey(
        "evaluation.CriteriaRelease", on_delete=models.PROTECT, related_name="certificates"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    potential_stars = models.PositiveSmallIntegerField(
        _("potential stars"),
        null=True,
        blank=True,
        help_text=_(
            "A higher star the council found the product worth (“3 stars, potential 4 stars”), as "
            "written in an imported record; a certificate issued here has it in its dossier's result."
        ),
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    decision_no = models.CharField(_("recognition decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"))
    issuer_vi = models.CharField(_("issued by"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALID)
    revocation_ground = models.CharField(
        _("revocation ground"), max_length=2, choices=RevocationGround.choices, blank=True
    )
    imported = models.BooleanField(_("imported from earlier records"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "number"]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            # reports.figures.latest_certificates: "has this product a later decision?"
            models.Index(fields=["product", "decision_date"], name="certificate_product_decided"),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.number} ({self.stars}★)"


class CertificateEvent(models.Model):
    """A step in a product's star history: issue, renewal, upgrade, downgrade, revocation, lapse."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issued")
        RENEWAL = "renewal", _("Renewed after re-evaluation")
        UPGRADE = "upgrade", _("Upgraded")
        DOWNGRADE = "downgrade", _("Downgraded")
        REVOCATION = "revocation", _("Revoked")
        LAPSE = "lapse", _("Lapsed")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    at = models.DateField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at}"
