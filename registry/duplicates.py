"""Similar products of one type in one commune (issue 4).

Domain rule: a commune should not have two entities registering the same product type. At
registration we look for products of OTHER entities with the same commune of production and the same
criteria set whose Vietnamese name is similar (diacritic-insensitive), and an official of that
commune or province may accept the product anyway, with a reason that goes to the audit log.

`product_duplicates_find` serves the services (one query per check); `DuplicateIndex` serves bulk
importers (one query for the whole run, then in memory).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from ocop_hub.text import fold, plain_text
from registry import access
from registry.languages import REQUIRED_LANGUAGE
from registry.models import Product, ProductTranslation


def name_similarity(a_folded: str, b_folded: str, *, score_cutoff: float = 0) -> float:
    """How alike two folded names are, 0–100.

    WRatio, because OCOP names are a product word plus optional place or brand words: "Miến dong"
    and "Miến dong Bình Liêu", "Chè Shan tuyết" and "Chè Shan tuyết Tân Phong" are the same product
    type, and a plain or token-sort ratio scores them 64–74 (the extra words weigh as much as the
    shared ones). WRatio takes the best of the whole-string ratio, the token-sort/-set ratios and,
    when one name is much longer, the partial ratio of the short name inside the long one (scaled
    down by 0.9, or 0.6 past 8× the length; token ratios by 0.95), so "X" vs "X + place" scores
    90–95 while unrelated names of one criteria set ("Mật ong bạc hà" vs "Chè shan tuyết") stay near
    40 and siblings ("Chè xanh" vs "Chè đen", "Cam sành Hà Giang" vs "Cam sành Bắc Quang") under 85.
    Word order is ignored ("Bình Liêu miến dong" scores 95). A bare token_set_ratio would give 100 to
    any name whose words are a subset of another's, even a one-word "Chè".
    Known limits: synonyms are not matched ("Chè" and "Trà" Shan tuyết score ~80), and codes that
    differ in one character ("Gạo ST25" vs "Gạo ST24") score ~88 — an official accepts those.
    """
    if not a_folded or not b_folded:
        return 0.0
    # Below score_cutoff rapidfuzz answers 0 and skips work: the finders pass the threshold.
    return float(fuzz.WRatio(a_folded, b_folded, score_cutoff=score_cutoff))


def threshold() -> int:
    """OCOP_DUPLICATE_NAME_SCORE, read at call time so that a deployment (or a test) can tune it."""
    return int(settings.OCOP_DUPLICATE_NAME_SCORE)


@dataclass(frozen=True)
class DuplicateMatch:
    product_id: int | None  # None: a row added to a DuplicateIndex before it is saved
    name: str  # the product's Vietnamese name
    entity_id: int
    entity_name: str  # the entity's legal name
    score: float  # name similarity, 0–100

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _candidates() -> QuerySet[Product]:
    """Products that can be duplicates: every status except withdrawn (an abandoned registration
    does not hold the product type)."""
    vi_name = ProductTranslation.objects.filter(product=OuterRef("pk"), language=REQUIRED_LANGUAGE).values(
        "name"
    )[:1]
    return (
        Product.objects.exclude(status=Product.Status.WITHDRAWN)
        .annotate(vi_name=Subquery(vi_name))
        .order_by()
    )


_ROW_FIELDS = ("pk", "entity_id", "commune_id", "category_id", "name_folded", "vi_name", "entity__legal_name")


def _ranked(matches: Iterable[DuplicateMatch]) -> list[DuplicateMatch]:
    return sorted(matches, key=lambda m: (-m.score, m.product_id is None, m.product_id or 0))


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def product_duplicates_find(
    *, commune, category, name: str, entity=None, exclude_product_id: int | None = None
) -> list[DuplicateMatch]:
    """Products of other entities in this commune of production and criteria set whose Vietnamese
    name is similar to `name`, best first. `commune`, `category` and `entity` are objects or keys."""
    folded = fold(name)
    if not folded or commune is None or category is None:
        return []
    qs = _candidates().filter(commune_id=_pk(commune), category_id=_pk(category))
    if entity is not None:
        qs = qs.exclude(entity_id=_pk(entity))
    if exclude_product_id is not None:
        qs = qs.exclude(pk=exclude_product_id)
    cutoff = threshold()
    matches = []
    for pk, entity_id, _c, _k, other_folded, vi_name, entity_name in qs.values_list(*_ROW_FIELDS):
        score = name_similarity(folded, other_folded or "", score_cutoff=cutoff)
        if score:
            matches.append(DuplicateMatch(pk, vi_name or "", entity_id, entity_name, round(score, 1)))
    return _ranked(matches)


@dataclass
class _Row:
    product_id: int | None
    entity_id: int
    name_folded: str
    name: str
    entity_name: str


class DuplicateIndex:
    """Every candidate product in memory, grouped by (commune, criteria set), for importers that check
    thousands of rows: one query at `load`, then each `find` compares only within its group (a commune
    holds a handful of products of one criteria set, so 17,000 rows cost milliseconds). `add` the rows
    an import creates so that later rows of the same file are checked against them too."""

    def __init__(self, rows: Iterable[tuple] = ()) -> None:
        self._groups: dict[tuple[str, str], list[_Row]] = defaultdict(list)
        for product_id, entity_id, commune_id, category_id, name_folded, name, entity_name in rows:
            self._groups[(commune_id, category_id)].append(
                _Row(product_id, entity_id, name_folded or fold(name or ""), name or "", entity_name or "")
            )

    @classmethod
    def load(cls, province_code: str | None = None) -> "DuplicateIndex":
        qs = _candidates()
        if province_code:
            qs = qs.filter(province_id=province_code)
        return cls(qs.values_list(*_ROW_FIELDS).iterator(chunk_size=2000))

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._groups.values())

    def add(
        self,
        *,
        product_id: int | None,
        entity_id: int,
        commune_id: str,
        category_id: str,
        name: str,
        entity_name: str = "",
    ) -> None:
        """A row the import will create: `product_id` None (not saved yet) and, for an entity of the
        same file, any stand-in `entity_id` the importer also passes to `find`."""
        self._groups[(commune_id, category_id)].append(
            _Row(product_id, entity_id, fold(name), name, entity_name)
        )

    def find(
        self,
        commune_id: str,
        category_id: str,
        name: str,
        *,
        entity_id: int | None = None,
        exclude_product_id: int | None = None,
    ) -> list[DuplicateMatch]:
        folded = fold(name)
        if not folded:
            return []
        cutoff = threshold()
        matches = []
        for row in self._groups.get((commune_id, category_id), ()):
            if not row.name_folded or (entity_id is not None and row.entity_id == entity_id):
                continue
            if exclude_product_id is not None and row.product_id == exclude_product_id:
                continue
            score = name_similarity(folded, row.name_folded, score_cutoff=cutoff)
            if score:
                matches.append(
                    DuplicateMatch(row.product_id, row.name, row.entity_id, row.entity_name, round(score, 1))
                )
        return _ranked(matches)


# --- the rule as the services apply it -------------------------------------------------------------


def can_accept_duplicate(actor, commune) -> bool:
    """An official over the commune of production (its commune, its province, or national), or the
    platform itself (actor None: commands, importers run by an operator)."""
    return access.is_official_over(actor, province_id=commune.province_id, commune_id=commune.code)


class DuplicateProductError(ValidationError):
    """A ValidationError (code "duplicate", key "duplicate") that carries the matches, so that pages
    and the API can show them and offer the acceptance."""

    def __init__(self, matches: list[DuplicateMatch], *, reason_refused: bool = False) -> None:
        self.matches = matches
        listed = "; ".join(
            _("“%(product)s” (%(entity)s)") % {"product": m.name, "entity": m.entity_name} for m in matches
        )
        errors: dict[str, list[ValidationError]] = {
            "duplicate": [
                ValidationError(
                    _(
                        "Another entity in this commune already registered a similar product of the same "
                        "criteria set: %(matches)s. An official can accept it with a reason."
                    )
                    % {"matches": listed},
                    code="duplicate",
                )
            ]
        }
        if reason_refused:
            errors["duplicate_reason"] = [
                ValidationError(
                    _("Only a commune or province official can accept a similar product."),
                    code="duplicate_forbidden",
                )
            ]
        super().__init__(errors)


def duplicates_matches_log(matches: list[DuplicateMatch]) -> list[dict[str, Any]]:
    """The matches as the audit event stores them."""
    return [m.as_dict() for m in matches]


def product_duplicates_check(
    *,
    actor,
    commune,
    category,
    name: str,
    entity,
    exclude_product_id: int | None = None,
    reason: str = "",
) -> tuple[list[DuplicateMatch], str]:
    """The matches an official accepts and the plain-text reason, or DuplicateProductError when there
    are matches and no acceptance (no reason, or a reason from someone who may not accept).
    No matches: ([], "") whatever the reason says, so a stale reason accepts nothing."""
    matches = product_duplicates_find(
        commune=commune, category=category, name=name, entity=entity, exclude_product_id=exclude_product_id
    )
    if not matches:
        return [], ""
    reason = plain_text(reason or "", field="duplicate_reason")
    if not reason:
        raise DuplicateProductError(matches)
    if not can_accept_duplicate(actor, commune):
        raise DuplicateProductError(matches, reason_refused=True)
    return matches, reason
