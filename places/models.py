from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """One of the 34 provinces / centrally-run cities since 1 July 2025 (Decision 19/2025/QĐ-TTg codes)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=30)
    name_folded = models.CharField(max_length=100, db_index=True)
    former_names = models.TextField(_("former units"), blank=True)
    former_folded = models.TextField(blank=True)

    class Meta:
        ordering = ["name_folded"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone: the lower of the two levels (districts no longer exist)."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=30)
    name_folded = models.CharField(max_length=100, db_index=True)
    former_names = models.TextField(_("former units"), blank=True)
    former_folded = models.TextField(blank=True)

    class Meta:
        ordering = ["province_id", "name_folded"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name}, {self.province.short_name}"


class MapRelease(models.Model):
    """Which release of the vietnam-provinces data the tables hold, so a restart can skip reloading."""

    package_version = models.CharField(max_length=30)
    data_version = models.CharField(max_length=30)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"vietnam-provinces {self.package_version} ({self.data_version})"


class CommuneGeometry(models.Model):
    """Where a commune is drawn on the reports map (issue 9). The package carries no geometry, so a
    position is either loaded from a province's boundary file (GeoJSON, WGS 84, simplified on load) or
    derived from our own records (the mean position of the commune's outlets and destinations) and then
    only approximate. A loaded geometry is never replaced by a derived one."""

    class Source(models.TextChoices):
        LOADED = "loaded", _("Boundary file")
        RECORDS = "records", _("Derived from records")

    commune = models.OneToOneField(
        Commune,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="geometry",
        verbose_name=_("commune"),
    )
    # A GeoJSON geometry (Polygon, MultiPolygon or Point; [longitude, latitude]).
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    latitude = models.DecimalField(_("centroid latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("centroid longitude"), max_digits=9, decimal_places=6)
    bbox = models.JSONField(_("bounding box"), help_text="[min lon, min lat, max lon, max lat]")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # The file's stated source (e.g. "Sở Nông nghiệp và Môi trường Lào Cai, 2025") for a loaded one.
    source_text = models.CharField(_("stated source"), max_length=300, blank=True)
    # For a derived position: how many records of each kind it is the mean of ({"outlets": 3, ...}).
    records = models.JSONField(_("records"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["commune_id"]
        verbose_name = _("commune geometry")
        verbose_name_plural = _("commune geometries")

    def __str__(self) -> str:
        return f"{self.commune_id} ({self.source})"

    @property
    def record_count(self) -> int:
        return sum(self.records.values()) if self.source == self.Source.RECORDS else 0
