"""What each row of an import would do — create, update, leave unchanged, or refuse with a reason per
column — and, when an official confirms, doing it through the registry and certificate services.
The preview and the apply run this same code over the stored rows, so what was shown is what is
written (re-checked against the database as it is at confirmation)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop_hub.text import fold
from places.models import Province
from registry import access
from registry.duplicates import DuplicateIndex, can_accept_duplicate, duplicates_matches_log
from registry.models import Entity, Product, ProductCategory
from registry.services import (
    _entity_clean,
    _product_clean,
    _translations_clean,
    entity_update,
    product_update,
)
from registry.services_import import entities_import, products_import
from transfers import choices, values
from transfers.places_match import PlaceError, Places

# Service error keys that are not column keys.
ERROR_COLUMNS = {
    "code": "product_code",
    "name_vi": "name_vi",
    "name_en": "name_en",
    "short_description_vi": "short_description_vi",
    "issuer_vi": "issuer",
    "language": "name_en",
    "duplicate": "name_vi",
}


class RowInvalid(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Planned:
    row_id: int
    outcome: str = "unchanged"
    label: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    op: Any = None


class Errors:
    """Collects a row's problems by column; raises them together so the user fixes a row at once."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, column: str, message: str) -> None:
        self.items.append({"column": column, "message": str(message)})

    def service(self, exc: ValidationError | PermissionDenied, default_column: str = "") -> None:
        if isinstance(exc, PermissionDenied):
            self.add(default_column, str(exc))
            return
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.add(ERROR_COLUMNS.get(key, key), message)
        else:
            for message in exc.messages:
                self.add(default_column, message)

    def parse(self, column: str, fn, raw):
        try:
            return fn(raw)
        except values.CellError as exc:
            self.add(column, str(exc))
            return None

    def raise_if(self) -> None:
        if self.items:
            raise RowInvalid(self.items)


def tax_code_text(raw) -> tuple[str, str]:
    """A tax code typed into a number cell loses its leading zero (0105212345 → 105212345)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        digits = values.text(raw)
        if len(digits) == 9:
            return "0" + digits, _(
                "Tax code %(digits)s read as 0%(digits)s (Excel dropped the leading zero)."
            ) % {"digits": digits}
        return digits, ""
    return values.text(raw).replace(" ", ""), ""


class Context:
    """What the planner knows: the database as it is, plus what earlier rows of the file create."""

    def __init__(self, *, actor, apply: bool) -> None:
        self.actor = actor
        self.apply = apply
        self.scope = access.scope_of(actor)
        self.today = timezone.localdate()
        self.places = Places()
        self._entities: dict[str, Entity] | None = None
        self._products: dict[int, list[Product]] | None = None
        self.pending_products: dict[str, list[Product]] = {}  # tax code -> products created by this file
        self.duplicates: DuplicateIndex | None = None
        self.categories = {c.code: c for c in ProductCategory.objects.all()}
        self.category_names = {fold(c.name_vi): c for c in self.categories.values()} | {
            fold(c.name_en): c for c in self.categories.values()
        }
        self.seen: dict[tuple, int] = {}  # natural key -> first row number in the file
        self._indexes: dict[str, Any] = {}

    def index(self, name: str, load):
        """A lookup built once per run, on first use (recognitions, certificates…)."""
        if name not in self._indexes:
            self._indexes[name] = load()
        return self._indexes[name]

    def index_if_loaded(self, name: str):
        return self._indexes.get(name)

    # --- lookups ----------------------------------------------------------------------------------
    @property
    def entities(self) -> dict[str, Entity]:
        if self._entities is None:
            qs = Entity.objects.select_related("commune", "province")
            self._entities = {e.tax_code: e for e in qs.iterator(chunk_size=2000)}
        return self._entities

    def entity_products(self, entity: Entity) -> list[Product]:
        if self._products is None:
            self._products = {}
            qs = Product.objects.select_related("entity", "commune").prefetch_related("translations")
            for product in qs.iterator(chunk_size=2000):
                self._products.setdefault(product.entity_id, []).append(product)
        found = list(self._products.get(entity.pk, [])) if entity.pk else []
        return found + self.pending_products.get(entity.tax_code, [])

    def product_added(self, product: Product) -> None:
        if self._products is not None and product.pk:
            self._products.setdefault(product.entity_id, []).append(product)

    def duplicate_index(self) -> DuplicateIndex:
        if self.duplicates is None:
            self.duplicates = DuplicateIndex.load()
        return self.duplicates

    def first_seen(self, key: tuple, row_no: int) -> int | None:
        if key in self.seen:
            return self.seen[key]
        self.seen[key] = row_no
        return None

    def own_province(self) -> Province | None:
        if len(self.scope.provinces) == 1 and not self.scope.national:
            return self.places.provinces[next(iter(self.scope.provinces))]
        return None

    def commune(self, errors: Errors, record: dict, *, province: Province | None, column: str = "commune"):
        """The row's commune; for an official of one province, looked for in that province first."""
        text = values.text(record.get(column))
        code = values.text(record.get(f"{column}_code" if column == "commune" else "commune_code"))
        try:
            match = self.places.commune(text, code=code, province=province or self.own_province())
        except PlaceError as exc:
            if province is None and self.own_province() is not None and not code:
                try:
                    match = self.places.commune(text)
                except PlaceError:
                    errors.add(column, str(exc))
                    return None, ""
            else:
                errors.add(column, str(exc))
                return None, ""
        return match.commune, match.note

    def category(self, errors: Errors, raw) -> ProductCategory | None:
        text = values.text(raw)
        folded = fold(text)
        digits = folded.removeprefix("bo ").strip()
        found = None
        if text.upper() in self.categories:
            found = self.categories[text.upper()]
        elif digits.isdigit():
            found = self.categories.get(f"QD26-{int(digits):02d}")
        else:
            found = self.category_names.get(folded)
        if found is None:
            errors.add(
                "category",
                _(
                    "Unknown criteria set “%(value)s”: "
                    "write its number (1–26), its code (QD26-01) or its name."
                )
                % {"value": text},
            )
        return found


# --- entities ---------------------------------------------------------------------------------------

ENTITY_TEXT = ["legal_name", "representative", "phone", "email", "address", "description", "gln"]
ENTITY_INTS = ["founded_year", "members_count", "workers_count", "women_count", "ethnic_minority_count"]


def plan_entity(ctx: Context, row_id: int, row_no: int, record: dict) -> Planned:
    planned = Planned(row_id)
    errors = Errors()
    tax, note = tax_code_text(record.get("tax_code"))
    if note:
        planned.notes.append(note)
    planned.label = f"{tax} {values.text(record.get('legal_name'))}".strip()
    data: dict[str, Any] = {"tax_code": tax}
    for name in ENTITY_TEXT:
        if name in record:
            data[name] = values.text(record[name])
    for name in ENTITY_INTS:
        if name in record:
            number = errors.parse(name, values.integer, record[name])
            data[name] = number if name == "founded_year" else (number or 0)
    if "kind" in record:
        kind = choices.entity_kind(values.text(record["kind"]))
        if kind is None:
            errors.add(
                "kind",
                _(
                    "Unknown entity type “%(value)s”: "
                    "write Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Trang trại or Hộ kinh doanh."
                )
                % {"value": values.text(record["kind"])},
            )
        data["kind"] = kind or ""
    province = None
    if values.text(record.get("province")):
        try:
            province = ctx.places.province(values.text(record.get("province")))
        except PlaceError as exc:
            errors.add("province", str(exc))
    commune, place_note = ctx.commune(errors, record, province=province)
    if place_note:
        planned.notes.append(place_note)
    if commune is not None:
        data["commune"] = commune
    if earlier := ctx.first_seen(("entity", tax), row_no):
        errors.add("tax_code", _("This tax code is also on row %(row)s.") % {"row": earlier})
    errors.raise_if()

    existing = ctx.entities.get(tax)
    if existing is not None and existing.pk:
        if not access.can_manage_entity(ctx.actor, existing):
            errors.add(
                "tax_code",
                _("Tax code %(code)s is %(name)s of %(province)s: outside your jurisdiction.")
                % {"code": tax, "name": existing.legal_name, "province": existing.province.name},
            )
            errors.raise_if()
        try:
            clean = _entity_clean(data, instance=existing, unique_check=False)
        except ValidationError as exc:
            errors.service(exc)
            errors.raise_if()
        changes = {
            k: v
            for k, v in clean.items()
            if k not in ("name_folded", "province_id", "tax_code") and _differs(getattr(existing, k), v)
        }
        moved = changes.get("commune")
        if moved is not None and not access.can_create_entity_in(ctx.actor, moved):
            errors.add(
                "commune",
                _("%(commune)s is in %(province)s: outside your jurisdiction.")
                % {"commune": moved.name, "province": moved.province.name},
            )
            errors.raise_if()
        if changes:
            planned.outcome = "update"
            planned.changes = sorted(changes)
            planned.op = ("update", existing, changes)
        return planned

    if commune is not None and not access.can_create_entity_in(ctx.actor, commune):
        errors.add(
            "commune",
            _("%(commune)s is in %(province)s: outside your jurisdiction.")
            % {"commune": commune.name, "province": commune.province.name},
        )
    full = {"kind": "", "legal_name": "", "representative": "", "address": "", **data}
    if "commune" not in full:
        errors.add("commune", _("Give the commune."))
    errors.raise_if()
    try:
        clean = _entity_clean(full, instance=None, unique_check=False)
    except ValidationError as exc:
        errors.service(exc)
        errors.raise_if()
    planned.outcome = "create"
    planned.op = ("create", full)
    pending = Entity(**clean)
    pending.commune = clean["commune"]
    pending.province = clean["commune"].province
    ctx.entities[tax] = pending
    return planned


def _same_without_diacritics(new: str, current: str) -> bool:
    return bool(new) and new != current and new.isascii() and fold(new) == fold(current)


def _differs(current, new) -> bool:
    if hasattr(current, "pk") and hasattr(new, "pk"):
        return current.pk != new.pk
    return (current if current is not None else "") != (new if new is not None else "")


def write_entities(ctx: Context, plans: list[Planned], reason: str) -> None:
    creates = [p for p in plans if p.op and p.op[0] == "create"]
    created = entities_import(actor=ctx.actor, rows=[p.op[1] for p in creates])
    for entity in created:
        entity.province = ctx.places.provinces[entity.province_id]
        ctx.entities[entity.tax_code] = entity
    for plan in plans:
        if plan.op and plan.op[0] == "update":
            _, entity, changes = plan.op
            updated = entity_update(actor=ctx.actor, entity=entity, reason=reason, **changes)
            ctx.entities[updated.tax_code] = updated


# --- products ---------------------------------------------------------------------------------------

PRODUCT_INTS = ["shelf_life_days", "price_min_vnd", "price_max_vnd", "monthly_capacity"]


def _translation_of(product: Product, language: str):
    return next((tr for tr in product.translations.all() if tr.language == language), None)


def find_product(ctx: Context, entity: Entity, *, code: str, name: str) -> Product | None:
    """The file's own product code first, then the entity's product of that name (diacritics ignored)."""
    candidates = ctx.entity_products(entity)
    if code:
        for product in candidates:
            if product.code == code:
                return product
    folded = fold(name)
    if folded:
        for product in candidates:
            if product.name_folded == folded:
                return product
    return None


def plan_product(ctx: Context, row_id: int, row_no: int, record: dict) -> Planned:
    planned = Planned(row_id)
    errors = Errors()
    tax, note = tax_code_text(record.get("entity_tax_code"))
    if note:
        planned.notes.append(note)
    name = values.text(record.get("name_vi"))
    code = values.text(record.get("product_code"))
    planned.label = name
    entity = ctx.entities.get(tax)
    if entity is None:
        errors.add(
            "entity_tax_code",
            _("No entity has the tax code “%(code)s”: add it to the entities sheet or register it first.")
            % {"code": tax},
        )
        errors.raise_if()
    assert entity is not None
    key = ("product", tax, code or fold(name))
    if earlier := ctx.first_seen(key, row_no):
        errors.add(
            "name_vi" if not code else "product_code",
            _("The same product is also on row %(row)s.") % {"row": earlier},
        )
    data: dict[str, Any] = {}
    if "product_code" in record:
        data["code"] = code
    if "category" in record:
        data["category"] = ctx.category(errors, record["category"])
    if values.text(record.get("commune")) or values.text(record.get("commune_code")):
        commune, place_note = ctx.commune(errors, record, province=entity.province)
        if place_note:
            planned.notes.append(place_note)
        data["commune"] = commune
    for name_ in PRODUCT_INTS:
        if name_ in record:
            data[name_] = errors.parse(name_, values.integer, record[name_])
    if "capacity_unit" in record:
        data["capacity_unit"] = values.text(record["capacity_unit"])
    vi: dict[str, str] = {"name": name}
    if "short_description_vi" in record:
        vi["short_description"] = values.text(record["short_description_vi"])
    texts = {"vi": vi}
    if values.text(record.get("name_en")):
        texts["en"] = {"name": values.text(record.get("name_en"))}
    reason = values.text(record.get("duplicate_reason"))
    errors.raise_if()

    existing = find_product(ctx, entity, code=code, name=name)
    if existing is not None and existing.pk:
        if not access.can_manage_product(ctx.actor, existing):
            errors.add("entity_tax_code", _("You do not have permission to change this record."))
            errors.raise_if()
        try:
            clean = _product_clean(data, entity=entity)
            clean_texts = _translations_clean(texts, require_vi=False)
        except ValidationError as exc:
            errors.service(exc)
            errors.raise_if()
        changes = {k: v for k, v in clean.items() if k != "province_id" and _differs(getattr(existing, k), v)}
        text_changes = {}
        for lang, row in clean_texts.items():
            current = _translation_of(existing, lang)
            if current is not None and _same_without_diacritics(row.get("name", ""), current.name):
                row["name"] = current.name  # "mat ong bac ha" found "Mật ong bạc hà": keep the marks
            diff = {k: v for k, v in row.items() if v != (getattr(current, k, "") if current else "")}
            if diff:
                text_changes[lang] = row
                changes.update({f"{k}_{lang}": v for k, v in diff.items()})
        if changes:
            matches = _duplicates(ctx, errors, entity, existing, data, name, reason)
            planned.outcome = "update"
            planned.changes = sorted(changes)
            field_changes = {k: v for k, v in clean.items() if k in changes}
            planned.op = ("update", existing, field_changes, text_changes, reason if matches else "")
        return planned

    if not access.can_manage_entity(ctx.actor, entity):
        errors.add("entity_tax_code", _("You do not have permission to change this record."))
    full = {"category": None, "commune": entity.commune, **data}
    try:
        clean = _product_clean(full, entity=entity)
        clean_texts = _translations_clean(texts, require_vi=True)
    except ValidationError as exc:
        errors.service(exc)
    errors.raise_if()
    matches = _duplicates(ctx, errors, entity, None, clean, name, reason)
    planned.outcome = "create"
    planned.op = (
        "create",
        {
            "entity": entity,
            "translations": clean_texts,
            "duplicate_reason": reason,
            "duplicate_matches": matches,
            **{k: v for k, v in clean.items() if k != "province_id"},
        },
    )
    pending = Product(entity=entity, name_folded=fold(name), **clean)
    ctx.pending_products.setdefault(tax, []).append(pending)
    ctx.duplicate_index().add(
        product_id=None,
        entity_id=entity.pk or -row_no,
        commune_id=clean["commune"].code,
        category_id=clean["category"].code,
        name=name,
        entity_name=entity.legal_name,
    )
    return planned


def _duplicates(
    ctx: Context, errors: Errors, entity: Entity, existing, data: dict, name: str, reason: str
) -> list:
    """DOMAIN: a commune should not have two entities registering the same product type."""
    commune = data.get("commune") or (existing.commune if existing else entity.commune)
    category = data.get("category") or (existing.category if existing else None)
    if category is None or commune is None:
        return []
    found = ctx.duplicate_index().find(
        commune.code,
        category.code,
        name,
        entity_id=entity.pk or -1,
        exclude_product_id=existing.pk if existing else None,
    )
    if not found:
        return []
    listing = "; ".join(f"“{m.name}” ({m.entity_name}, {round(m.score)}%)" for m in found[:3])
    if not reason:
        errors.add(
            "name_vi",
            _(
                "Another entity in this commune already registered a similar product of the same "
                "criteria set: "
                "%(matches)s. An official can accept it by writing a reason in the column “%(column)s”."
            )
            % {"matches": listing, "column": "Lý do chấp nhận sản phẩm tương tự"},
        )
    elif not can_accept_duplicate(ctx.actor, commune):
        errors.add("duplicate_reason", _("Only a commune or province official can accept a similar product."))
    errors.raise_if()
    return duplicates_matches_log(found)


def write_products(ctx: Context, plans: list[Planned], reason: str) -> None:
    creates = [p for p in plans if p.op and p.op[0] == "create"]
    for product in products_import(actor=ctx.actor, rows=[p.op[1] for p in creates]):
        ctx.product_added(product)
    for plan in plans:
        if plan.op and plan.op[0] == "update":
            _, product, changes, texts, duplicate_reason = plan.op
            product_update(
                actor=ctx.actor,
                product=product,
                translations=texts,
                reason=reason,
                duplicate_reason=duplicate_reason,
                **changes,
            )


def plan_rows(planner, ctx: Context, rows: Iterable[tuple[int, int, dict]]) -> Iterator[Planned]:
    for row_id, row_no, record in rows:
        try:
            yield planner(ctx, row_id, row_no, record)
        except RowInvalid as exc:
            yield Planned(row_id, outcome="error", errors=exc.errors, label=_label(record))


def _label(record: dict) -> str:
    for key in ("legal_name", "name_vi", "product_name", "number", "tax_code", "entity_tax_code"):
        if values.text(record.get(key)):
            return values.text(record.get(key))[:300]
    return ""
