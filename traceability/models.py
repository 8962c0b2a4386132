"""Traceability on GS1 terms at the edges, simple inside: lots (AI 10) of a product's packaging,
serials (AI 21) issued in ranges, and the links the Digital Link resolver answers with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lot(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RECALLED = "recalled", _("Recalled")

    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="lots")
    packaging = models.ForeignKey(
        "registry.Packaging", null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    # GS1 AI 10: at most 20 characters of the AI encodable set 82 (checked in traceability.digital_link).
    code = models.CharField(_("lot"), max_length=20)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    recall_reason = models.TextField(_("recall reason"), blank=True)
    input_lots = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="output_lots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-production_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="uniq_lot_code")]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self) -> str:
        return self.code


class SerialRange(models.Model):
    """One issuing of N serials for a GTIN (and lot): who asked, when, how many."""

    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="serial_ranges")
    packaging = models.ForeignKey(
        "registry.Packaging", null=True, blank=True, on_delete=models.PROTECT, related_name="serial_ranges"
    )
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="serial_ranges"
    )
    count = models.PositiveIntegerField(_("serials"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("serial range")
        verbose_name_plural = _("serial ranges")

    def __str__(self) -> str:
        return f"{self.count} × {self.packaging or self.product}"


class Serial(models.Model):
    """A serial (GS1 AI 21) as printed on one item. Kept narrow: a million rows of a few columns,
    inserted in batches, looked up by (product, value) on every scan."""

    class Status(models.IntegerChoices):
        ISSUED = 0, _("Issued")
        PRINTED = 1, _("Printed")
        VOIDED = 2, _("Voided")

    range = models.ForeignKey(SerialRange, on_delete=models.PROTECT, related_name="serials")
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("serial"), max_length=20)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.ISSUED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "value"], name="uniq_serial_value")]
        verbose_name = _("serial")
        verbose_name_plural = _("serials")

    def __str__(self) -> str:
        return self.value


class ResolverLink(models.Model):
    """A link the resolver offers for a GTIN (optionally one lot): GS1 link type, title, language,
    target. The default link of a GTIN without one of its own is the platform's scan page."""

    class LinkType(models.TextChoices):
        PIP = "gs1:pip", _("Product information page")
        CERTIFICATION = "gs1:certificationInfo", _("Certification information")
        EPCIS = "gs1:epcis", _("Traceability events (EPCIS)")
        RECALL = "gs1:recallStatus", _("Recall status")
        INSTRUCTIONS = "gs1:instructions", _("Instructions")
        RECIPE = "gs1:recipeInfo", _("Recipes")
        SUSTAINABILITY = "gs1:sustainabilityInfo", _("Sustainability")
        BUY = "gs1:hasRetailers", _("Where to buy")
        PROMOTION = "gs1:promotion", _("Promotion")
        REVIEW = "gs1:review", _("Reviews")
        VIDEO = "gs1:tutorial", _("Video")

    packaging = models.ForeignKey("registry.Packaging", on_delete=models.CASCADE, related_name="links")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    link_type = models.CharField(_("link type"), max_length=40, choices=LinkType.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=5, default="vi")
    target = models.URLField(_("target"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["link_type", "language", "id"]
        verbose_name = _("resolver link")
        verbose_name_plural = _("resolver links")

    def __str__(self) -> str:
        return f"{self.link_type} [{self.language}] {self.target}"


class RawMaterialArea(models.Model):
    """A vùng nguyên liệu: where an entity grows or raises what its products are made of, as a GeoJSON
    point or polygon (WGS 84, longitude first), with its area, standards and the households in it."""

    class Kind(models.TextChoices):
        CROP = "crop", _("Crop")
        LIVESTOCK = "livestock", _("Livestock")
        AQUACULTURE = "aquaculture", _("Aquaculture")
        FOREST = "forest", _("Forest product")

    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="raw_material_areas")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    crop = models.CharField(_("crop or animal"), max_length=200)
    geometry = models.JSONField(_("location (GeoJSON)"))
    area_ha = models.DecimalField(_("area (ha)"), max_digits=10, decimal_places=2, null=True, blank=True)
    standards = models.CharField(_("standards"), max_length=300, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    lots = models.ManyToManyField(Lot, blank=True, related_name="raw_material_areas")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("raw-material area")
        verbose_name_plural = _("raw-material areas")

    def __str__(self) -> str:
        return self.name


class EpcisEvent(models.Model):
    """One EPCIS 2.0 event, captured (POST /epcis/capture) or recorded by the platform (a lot's
    commissioning). The document is kept as captured; the columns are what queries filter on."""

    class EventType(models.TextChoices):
        OBJECT = "ObjectEvent", "ObjectEvent"
        AGGREGATION = "AggregationEvent", "AggregationEvent"
        TRANSFORMATION = "TransformationEvent", "TransformationEvent"
        TRANSACTION = "TransactionEvent", "TransactionEvent"
        ASSOCIATION = "AssociationEvent", "AssociationEvent"

    event_id = models.CharField(_("event ID"), max_length=255, unique=True)
    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices)
    event_time = models.DateTimeField(_("event time"), db_index=True)
    event_time_zone_offset = models.CharField(_("time zone offset"), max_length=6)
    record_time = models.DateTimeField(_("record time"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, blank=True)
    # CBV values are stored short ("commissioning") whichever of the three spellings came in;
    # a private vocabulary URI is kept whole.
    biz_step = models.CharField(_("business step"), max_length=255, blank=True, db_index=True)
    disposition = models.CharField(_("disposition"), max_length=255, blank=True)
    read_point = models.CharField(_("read point"), max_length=255, blank=True)
    biz_location = models.CharField(_("business location"), max_length=255, blank=True, db_index=True)
    # Every EPC and class URI the event names (instances, parent, inputs, outputs, quantity classes).
    epcs = models.JSONField(_("EPCs"), default=list)
    product = models.ForeignKey(
        "registry.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="epcis_events"
    )
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="epcis_events")
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The capture job a POST created (the Location it answered with); empty for the platform's own.
    capture_id = models.CharField(_("capture ID"), max_length=64, blank=True, db_index=True)
    document = models.JSONField(_("event"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("EPCIS event")
        verbose_name_plural = _("EPCIS events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class ResolverGeneration(models.Model):
    """One row whose number goes up whenever something the resolver caches changes (a GTIN, a lot, a
    link). Every resolver process reads it at most once per OCOP_RESOLVER_GENERATION_CHECK_SECONDS
    and drops its cache when it moved: a change reaches every process within that second, and the
    hot path costs no query."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"resolver generation {self.value}"
