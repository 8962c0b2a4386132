from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import Commune, Province
from registry.languages import CONTENT_LANGUAGES, TranslatedContent


class OcopGroup(models.Model):
    """One of the 6 product groups of Decision 26/2026/QĐ-TTg, Annex I."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("OCOP group")
        verbose_name_plural = _("OCOP groups")

    def __str__(self) -> str:
        return f"{self.code}. {self.name_vi}"


class OcopSubGroup(models.Model):
    """One of the 17 sub-groups ("nhóm") of Annex I."""

    group = models.ForeignKey(OcopGroup, on_delete=models.PROTECT, related_name="subgroups")
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group__position", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "name_vi"], name="uniq_subgroup_name")]
        verbose_name = _("OCOP sub-group")
        verbose_name_plural = _("OCOP sub-groups")

    def __str__(self) -> str:
        return self.name_vi


class ProductCategory(models.Model):
    """One of the 26 criteria sets (product types) of Decision 26/2026/QĐ-TTg. The scoring content of
    each set is versioned data in the evaluation app; here it is the category a product belongs to."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    subgroup = models.ForeignKey(OcopSubGroup, on_delete=models.PROTECT, related_name="categories")
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    managing_agency_vi = models.CharField(_("managing agency"), max_length=200, blank=True)
    sample_products_required = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    @property
    def group(self) -> OcopGroup:
        return self.subgroup.group


class Entity(models.Model):
    """A producer entity (chủ thể OCOP)."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        COOPERATIVE_GROUP = "coop_group", _("Cooperative group")
        ENTERPRISE = "enterprise", _("Small or medium enterprise")
        FARM = "farm", _("Farm")
        HOUSEHOLD = "household", _("Registered production household")
        ASSOCIATION = "association", _("Association (tourism)")
        OPERATING_CENTRE = "centre", _("Operating centre (tourism)")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    tax_code = models.CharField(_("tax code / business registration number"), max_length=14, unique=True)
    representative = models.CharField(_("representative"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="entities", verbose_name=_("commune")
    )
    # Denormalised from the commune so that province-scoped lists are one indexed filter.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="entities", editable=False)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    workers_count = models.PositiveIntegerField(_("workers"), default=0)
    women_count = models.PositiveIntegerField(_("women workers"), default=0)
    ethnic_minority_count = models.PositiveIntegerField(_("ethnic-minority workers"), default=0)
    description = models.TextField(_("description"), blank=True)
    gln = models.CharField(_("GLN"), max_length=13, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_folded"]
        verbose_name = _("producer entity")
        verbose_name_plural = _("producer entities")

    def __str__(self) -> str:
        return self.legal_name


class Product(TranslatedContent, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REGISTERED = "registered", _("Registered")
        IN_EVALUATION = "in_evaluation", _("In evaluation")
        CERTIFIED = "certified", _("Certified")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What the public may see: a product that has (or had) an OCOP certificate.
    PUBLIC_STATUSES = (Status.CERTIFIED,)

    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="products", verbose_name=_("entity")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="products", verbose_name=_("commune of production")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="products", editable=False)
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="products", verbose_name=_("criteria set")
    )
    code = models.CharField(_("OCOP product code"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    price_min_vnd = models.PositiveBigIntegerField(_("lowest price (VND)"), null=True, blank=True)
    price_max_vnd = models.PositiveBigIntegerField(_("highest price (VND)"), null=True, blank=True)
    # A video about the product on the producer's own channel (YouTube, Facebook, TikTok…): linked
    # from the scan page, never embedded (no third-party script on a page that must load on 3G).
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_folded", "id"]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["entity", "status"]),
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name_vi or f"#{self.pk}"


class ProductTranslation(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=CONTENT_LANGUAGES)
    name = models.CharField(_("name"), max_length=255)
    short_description = models.CharField(_("short description"), max_length=500, blank=True)
    story = models.TextField(
        _("story"), blank=True, help_text=_("Rich text; unsafe HTML is removed on save.")
    )
    ingredients = models.TextField(_("ingredients"), blank=True)
    usage = models.TextField(_("usage"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "language"], name="uniq_product_language")]
        verbose_name = _("product translation")
        verbose_name_plural = _("product translations")

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class StoryRecording(models.Model):
    """The producer reading the product's story aloud in one language: the scan page's "Listen"
    plays it; without one, the visitor's browser reads the story with its own speech synthesis."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="recordings")
    language = models.CharField(_("language"), max_length=5, choices=CONTENT_LANGUAGES)
    audio = models.FileField(_("recording"), upload_to="stories/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "language"], name="uniq_recording_language")
        ]
        verbose_name = _("story recording")
        verbose_name_plural = _("story recordings")

    def __str__(self) -> str:
        return f"{self.product_id} [{self.language}]"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="products/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="products/%Y/%m/thumbs/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.image.name or ""


class Packaging(models.Model):
    class Unit(models.TextChoices):
        GRAM = "g", _("gram")
        KILOGRAM = "kg", _("kilogram")
        MILLILITRE = "ml", _("millilitre")
        LITRE = "l", _("litre")
        PIECE = "piece", _("piece")
        BOX = "box", _("box")
        SET = "set", _("set")
        METRE = "m", _("metre")
        SERVICE = "service", _("service / visit")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="packagings")
    size = models.DecimalField(_("size"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)

    class Meta:
        ordering = ["size", "id"]
        constraints = [
            models.UniqueConstraint(fields=["gtin"], condition=~models.Q(gtin=""), name="uniq_packaging_gtin")
        ]
        verbose_name = _("packaging")
        verbose_name_plural = _("packagings")

    def __str__(self) -> str:
        return f"{self.size.normalize():f} {self.unit}"


class Evidence(models.Model):
    """A document stored once in an entity's library and reused by later dossiers and recognitions."""

    class Kind(models.TextChoices):
        TEST_REPORT = "test_report", _("Test report")
        STANDARD_CERTIFICATE = "standard_certificate", _("Standard certificate")
        IP_DOCUMENT = "ip_document", _("Trademark / IP document")
        BUSINESS_LICENCE = "business_licence", _("Business registration")
        FOOD_SAFETY = "food_safety", _("Food-safety certificate")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["entity", "sha256"], name="uniq_evidence_file")]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence library")

    def __str__(self) -> str:
        return self.title


class Recognition(models.Model):
    """A recognition other than OCOP that a product or entity carries (VietGAP, HACCP, GI, …)."""

    class Kind(models.TextChoices):
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalGAP"
        HACCP = "haccp", "HACCP"
        ISO22000 = "iso22000", "ISO 22000"
        ORGANIC = "organic", _("Organic")
        TRADEMARK = "trademark", _("Trademark")
        GEOGRAPHICAL_INDICATION = "gi", _("Geographical indication / collective mark")
        RURAL_INDUSTRIAL = "rural_industrial", _("Typical rural industrial product")
        GOLDEN_BRAND = "golden_brand", _("Vietnam Golden Agricultural Brand")
        EXPORT_MARKET = "export_market", _("Export market")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="recognitions")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="recognitions")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class Role(models.Model):
    """What a user may see and do. Jurisdiction is data here and is checked in registry.access only."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National official")
        PROVINCE = "province", _("Province official")
        COMMUNE = "commune", _("Commune official")
        COUNCIL = "council", _("Council member")
        ENTITY_MEMBER = "entity_member", _("Entity member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocop_roles")
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT)
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        scope = self.entity or self.commune or self.province or _("nation")
        return f"{self.user} — {self.get_kind_display()} ({scope})"


class ApiToken(models.Model):
    """A personal API token for writes through /api/. Only its hash is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
