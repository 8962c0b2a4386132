"""Market connection: where a product is sold (online channels, physical outlets), the trade fairs it
took part in, and the tourist destinations near which it can be found."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import Commune, Province
from registry.languages import CONTENT_LANGUAGES, TranslatedContent

# Decision 26/2026/QĐ-TTg, Annex I: group VI is community tourism, eco-tourism and tourist sites.
TOURISM_GROUP = "VI"


class SalesChannel(models.Model):
    """A place online where the producer sells the product."""

    class Kind(models.TextChoices):
        OWN_SHOP = "own_shop", _("Own shop")
        TIKTOK = "tiktok", _("TikTok Shop")
        FACEBOOK = "facebook", _("Facebook page")
        ZALO = "zalo", _("Zalo OA")
        SHOPEE = "shopee", "Shopee"
        LAZADA = "lazada", "Lazada"
        TIKI = "tiki", "Tiki"
        MARKETPLACE = "marketplace", _("Other marketplace")
        WEBSITE = "website", _("Website")

    product = models.ForeignKey("registry.Product", on_delete=models.CASCADE, related_name="sales_channels")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("link"), max_length=500)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="uniq_channel_url")]
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class Outlet(models.Model):
    """A physical shop that sells OCOP products (supermarket, souvenir shop, airport shop, …)."""

    class Kind(models.TextChoices):
        SUPERMARKET = "supermarket", _("Supermarket")
        MALL = "mall", _("Shopping mall")
        SOUVENIR = "souvenir", _("Souvenir shop")
        AIRPORT = "airport", _("Airport shop")
        AIRLINE = "airline", _("Airline catering")
        SHOWROOM = "showroom", _("OCOP showroom")
        MARKET_STALL = "market_stall", _("Market stall")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    # Denormalised from the commune: province-scoped lists and filters are one indexed column.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    # A closed outlet keeps its history (stock links, audit) but is no longer shown to the public.
    is_open = models.BooleanField(_("open"), default=True)
    products = models.ManyToManyField("registry.Product", through="OutletProduct", related_name="outlets")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_folded", "id"]
        indexes = [
            models.Index(fields=["province", "kind"]),
            models.Index(fields=["latitude", "longitude"]),
        ]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name


class OutletProduct(models.Model):
    """An outlet stocks a product (since a date)."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="stock")
    product = models.ForeignKey("registry.Product", on_delete=models.CASCADE, related_name="stocked_at")
    since = models.DateField(_("since"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-id"]
        constraints = [models.UniqueConstraint(fields=["outlet", "product"], name="uniq_outlet_product")]
        verbose_name = _("stocked product")
        verbose_name_plural = _("stocked products")

    def __str__(self) -> str:
        return f"{self.outlet_id} × {self.product_id}"


class TradeEvent(models.Model):
    """A trade fair, promotion event or exhibition."""

    class Kind(models.TextChoices):
        FAIR = "fair", _("Trade fair")
        PROMOTION = "promotion", _("Promotion event")
        EXHIBITION = "exhibition", _("Exhibition")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=300)
    # Empty for events held abroad or organised nationally: only national officials manage those.
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    organiser = models.CharField(_("organiser"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    products = models.ManyToManyField(
        "registry.Product", through="EventParticipation", related_name="trade_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="event_dates"
            )
        ]
        verbose_name = _("trade event")
        verbose_name_plural = _("trade events")

    def __str__(self) -> str:
        return self.name


class EventParticipation(models.Model):
    event = models.ForeignKey(TradeEvent, on_delete=models.CASCADE, related_name="participations")
    product = models.ForeignKey(
        "registry.Product", on_delete=models.CASCADE, related_name="event_participations"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "product"], name="uniq_event_product")]
        verbose_name = _("participating product")
        verbose_name_plural = _("participating products")

    def __str__(self) -> str:
        return f"{self.event_id} × {self.product_id}"


class Destination(TranslatedContent, models.Model):
    """A tourist destination: a community/eco-tourism product of OCOP group VI or another site."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community tourism")
        ECO = "eco", _("Eco-tourism")
        CRAFT_VILLAGE = "craft_village", _("Craft village")
        HERITAGE = "heritage", _("Heritage site")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    product = models.ForeignKey(
        "registry.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="destinations",
        verbose_name=_("OCOP tourism product"),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["latitude", "longitude"])]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    def __str__(self) -> str:
        return self.name_vi or f"#{self.pk}"


class DestinationTranslation(models.Model):
    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=CONTENT_LANGUAGES)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["destination", "language"], name="uniq_destination_language")
        ]
        verbose_name = _("destination translation")
        verbose_name_plural = _("destination translations")

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"
