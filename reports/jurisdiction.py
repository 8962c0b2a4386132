"""The area a report covers (nation, one province, one commune) and who may read it. Which area a
user may read is decided by registry.access (scope_of); this module only turns a request's codes into
an area the user may read, refusing the others (issue 9: officials see their jurisdiction only)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from places.models import Commune, Province
from registry import access


@dataclass(frozen=True)
class Jurisdiction:
    province: Province | None = None
    commune: Commune | None = None

    @property
    def level(self) -> str:
        if self.commune is not None:
            return "commune"
        if self.province is not None:
            return "province"
        return "nation"

    @property
    def name(self) -> str:
        if self.commune is not None:
            return self.commune.name
        if self.province is not None:
            return self.province.name
        return _("Vietnam")

    def products(self, prefix: str = "product__") -> Q:
        """A Q over a model reaching Product through `prefix`: the product's commune of production
        decides where it is counted (registry.Product.commune / province)."""
        if self.commune is not None:
            return Q(**{f"{prefix}commune_id": self.commune.code})
        if self.province is not None:
            return Q(**{f"{prefix}province_id": self.province.code})
        return Q()


NATION = Jurisdiction()


def jurisdiction_for(user, *, province: str = "", commune: str = "") -> Jurisdiction:
    """The area a user's report covers: the codes asked for if within the user's jurisdiction, else
    the user's own area. PermissionDenied for a non-official or an area outside the jurisdiction;
    Province/Commune.DoesNotExist for an unknown code (shown as 404)."""
    scope = access.scope_of(user)
    if not scope.is_official:
        raise PermissionDenied(_("Reports are for commune, province and national officials."))
    if commune:
        place = Commune.objects.select_related("province").get(code=commune)
        if province and place.province_id != province:
            raise Commune.DoesNotExist(commune)
        if not (scope.national or place.province_id in scope.provinces or place.code in scope.communes):
            raise PermissionDenied(_("That commune is outside your jurisdiction."))
        return Jurisdiction(province=place.province, commune=place)
    if province:
        region = Province.objects.get(code=province)
        if not (scope.national or region.code in scope.provinces):
            raise PermissionDenied(_("That province is outside your jurisdiction."))
        return Jurisdiction(province=region)
    if scope.national:
        return NATION
    if scope.provinces:
        return Jurisdiction(province=Province.objects.get(code=sorted(scope.provinces)[0]))
    place = Commune.objects.select_related("province").get(code=sorted(scope.communes)[0])
    return Jurisdiction(province=place.province, commune=place)
