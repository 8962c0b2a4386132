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
