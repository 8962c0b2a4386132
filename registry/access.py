"""Jurisdiction: who may see and change what. The only place that reads Role rows.

- national officials: the whole country;
- province officials: entities and products of their province;
- commune officials: of their commune;
- entity members: their own entity and its products;
- council members and the public: published products (certified) and their entities.
Officials and entity members act (create, edit) where they may see; the public never writes.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from registry.models import Entity, Product, Role


@dataclass(frozen=True)
class Scope:
    national: bool = False
    provinces: frozenset[str] = field(default_factory=frozenset)
    communes: frozenset[str] = field(default_factory=frozenset)
    entities: frozenset[int] = field(default_factory=frozenset)
    council: bool = False

    @property
    def is_official(self) -> bool:
        return self.national or bool(self.provinces) or bool(self.communes)

    @property
    def is_entity_member(self) -> bool:
        return bool(self.entities)

    @property
    def can_write(self) -> bool:
        return self.is_official or self.is_entity_member


PUBLIC = Scope()


def scope_of(user) -> Scope:
    """The user's jurisdiction, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    cached = getattr(user, "_ocop_scope", None)
    if cached is not None:
        return cached
    national = bool(user.is_superuser)
    provinces: set[str] = set()
    communes: set[str] = set()
    entities: set[int] = set()
    council = False
    for role in Role.objects.filter(user=user).only("kind", "province_id", "commune_id", "entity_id"):
        if role.kind == Role.Kind.NATIONAL:
            national = True
        elif role.kind == Role.Kind.PROVINCE and role.province_id:
            provinces.add(role.province_id)
        elif role.kind == Role.Kind.COMMUNE and role.commune_id:
            communes.add(role.commune_id)
        elif role.kind == Role.Kind.ENTITY_MEMBER and role.entity_id:
            entities.add(role.entity_id)
        elif role.kind == Role.Kind.COUNCIL:
            council = True
    scope = Scope(national, frozenset(provinces), frozenset(communes), frozenset(entities), council)
    user._ocop_scope = scope
    return scope


def _public_products() -> Q:
    return Q(status__in=Product.PUBLIC_STATUSES)


def product_filter(scope: Scope) -> Q | None:
    """A Q over Product for what the scope may see; None means everything."""
    if scope.national:
        return None
    q = _public_products()
    if scope.provinces:
        q |= Q(province_id__in=scope.provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes) | Q(entity__commune_id__in=scope.communes)
    if scope.entities:
        q |= Q(entity_id__in=scope.entities)
    return q


def entity_filter(scope: Scope) -> Q | None:
    if scope.national:
        return None
    q = Q(pk__in=Product.objects.filter(_public_products()).values("entity_id"))
    if scope.provinces:
        q |= Q(province_id__in=scope.provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    if scope.entities:
        q |= Q(pk__in=scope.entities)
    return q


def _official_over(scope: Scope, *, province_id: str, commune_id: str) -> bool:
    return scope.national or province_id in scope.provinces or commune_id in scope.communes


def is_province_official(user, province_id: str | None) -> bool:
    """An official of this province, or a national official; a central matter (no province) is for
    national officials only. `None` is the platform itself (commands, importers)."""
    if user is None:
        return True
    scope = scope_of(user)
    return scope.national or (province_id is not None and province_id in scope.provinces)


def is_official_over(user, *, province_id: str, commune_id: str) -> bool:
    """A national official, or an official of the province or of the commune."""
    if user is None:
        return True
    return _official_over(scope_of(user), province_id=province_id, commune_id=commune_id)


def can_manage_entity(user, entity: Entity) -> bool:
    if user is None:  # system: management commands, importers run by the platform itself
        return True
    scope = scope_of(user)
    return entity.pk in scope.entities or _official_over(
        scope, province_id=entity.province_id, commune_id=entity.commune_id
    )


def can_create_entity_in(user, commune) -> bool:
    if user is None:
        return True
    return _official_over(scope_of(user), province_id=commune.province_id, commune_id=commune.code)


def can_manage_product(user, product: Product) -> bool:
    if user is None:
        return True
    scope = scope_of(user)
    return can_manage_entity(user, product.entity) or _official_over(
        scope, province_id=product.province_id, commune_id=product.commune_id
    )


def can_see_history(user) -> bool:
    return scope_of(user).is_official


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to change this record."))
