"""Buyers' inquiries and the consolidated offers answering them (issue 8, "market connection": the seeds
say large orders are lost because one producer cannot supply them; the Open Food Network's order cycle
gathers many producers for one buyer)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import Province
from registry.models import Product, ProductCategory


class BuyerProfile(models.Model):
    """A buyer organisation behind one login. Producers' contact details are shown to it only once an
    official of its province (or a national one) has verified it."""

    class Kind(models.TextChoices):
        SUPERMARKET = "supermarket", _("Supermarket")
        AIRLINE = "airline", _("Airline")
        EXPORTER = "exporter", _("Exporter")
        SHOP = "shop", _("Shop")
        DISTRIBUTOR = "distributor", _("Distributor")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_profile"
    )
    organisation = models.CharField(_("organisation"), max_length=255)
    kind = models.CharField(_("kind of buyer"), max_length=20, choices=Kind.choices)
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    phone = models.CharField(_("contact phone"), max_length=20)
    email = models.EmailField(_("contact e-mail"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="buyers", verbose_name=_("province")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The keyed hash (scans.privacy) of the visitor who opened the account here, for the sign-up rate
    # limit; empty for an account made by an official.
    signup_visitor = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "id"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")

    def __str__(self) -> str:
        return self.organisation

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Inquiry(models.Model):
    """A buyer's request for a quantity of one product type, delivered in a window to a place."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: no producer found yet")
        OFFERED = "offered", _("Offered")
        PARTLY_COVERED = "partly_covered", _("Partly covered")
        COVERED = "covered", _("Covered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # While an inquiry is in one of these, producers may still answer their shares.
    LIVE_STATUSES = (Status.OPEN, Status.OFFERED, Status.PARTLY_COVERED)

    buyer = models.ForeignKey(BuyerProfile, on_delete=models.PROTECT, related_name="inquiries")
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("product type")
    )
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20)
    delivery_start = models.DateField(_("delivery from"))
    delivery_end = models.DateField(_("delivery until"))
    destination_province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("destination province")
    )
    destination_address = models.CharField(_("destination address"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    # Recomputed by the services after every change to the shares (inquiries.services._inquiry_refresh).
    unmet_quantity = models.PositiveIntegerField(_("unmet quantity"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["destination_province", "delivery_start"]),
            models.Index(fields=["created_by", "created_at"]),
        ]
        verbose_name = _("buyer inquiry")
        verbose_name_plural = _("buyer inquiries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id} {self.quantity} {self.unit}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES


class OfferShare(models.Model):
    """One producer's part of the answer to an inquiry: a quantity of one of its certified products."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Shares that still count towards covering the inquiry.
    ACTIVE_STATUSES = (Status.PROPOSED, Status.ACCEPTED)

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="shares")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offer_shares")
    # Denormalised from the product: producers' pages list shares by entity in one indexed filter.
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="offer_shares")
    quantity = models.PositiveIntegerField(_("quantity"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["entity", "status"]), models.Index(fields=["product", "status"])]
        verbose_name = _("offer share")
        verbose_name_plural = _("offer shares")

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.quantity} × {self.product_id} ({self.status})"
