"""The public product search (issue 8): forgiving, faceted, ranked.

`search_products` reads the index (market.models, kept fresh by market.services_search) in stages
and stops at the first that finds something:
1. the corrected query ("che san tuyet" → "che shan tuyet"), every word (or a synonym) matching;
2. the words as typed, when the correction found nothing (a deliberate spelling);
3. every word but one (PostgreSQL adds names that look like the query, by trigram similarity).
Ranking: a product whose name is the query first, then those whose names hold every word, then by
star, then the shorter name (the closer one). Facet counts are those of the results, with the
chosen filters applied; the match runs once for both (one statement per stage).
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from market import search_postgres, search_sqlite
from market.models import SearchTerm
from market.search_facets import FacetValue, facets_count, filters_clean, labels_clear
from market.search_facets import filters_sql as filters_sql_of
from market.search_text import (
    MAX_QUERY_CHARS,
    Analysis,
    Term,
    Vocabulary,
    analyse,
    exact_names,
    suggestions,
    words,
)
from market.services_search import search_index_ensure_fresh


@dataclass(frozen=True)
class Hit:
    product_id: int
    name: str
    producer: str
    commune: str
    province: str
    star: int | None


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    per_page: int = 25
    # "Showing results for …": the corrected query when the results are for it, not for the typed one.
    corrected: str = ""
    partial: bool = False  # no product has every word; these have some
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)  # the filters applied, cleaned
    messages: list[str] = field(default_factory=list)  # what was wrong with the request
    suggestions: list[str] = field(default_factory=list)  # "Did you mean …" when nothing was found

    @property
    def product_ids(self) -> list[int]:
        return [hit.product_id for hit in self.hits]


# --- per-process caches --------------------------------------------------------------------------

_vocabulary: dict[str, object] = {"version": None, "value": Vocabulary()}


def vocabulary(version: int) -> Vocabulary:
    """The index's vocabulary, read again only when a refresh added words."""
    if _vocabulary["version"] != version:
        _vocabulary["value"] = Vocabulary.from_rows(
            SearchTerm.objects.values_list("term", "in_names", "total")
        )
        _vocabulary["version"] = version
    return _vocabulary["value"]  # type: ignore[return-value]


def caches_clear() -> None:
    labels_clear()
    _vocabulary["version"] = None
    _browse.clear()


# --- the queries ---------------------------------------------------------------------------------


def _backend():
    return search_postgres if connection.vendor == "postgresql" else search_sqlite


@dataclass(frozen=True)
class _Stage:
    kind: str  # "all", "corrected", "partial"
    terms: tuple[Term, ...] = ()
    # Any of these clauses matches (a clause: every one of its terms). "partial": every term but one.
    clauses: tuple[tuple[Term, ...], ...] = ()

    @property
    def typed(self) -> str:
        return " ".join(t.first for t in self.terms) if self.kind == "partial" else ""

    def where(self, filters_sql: list[str], filters_params: list) -> tuple[str, str, list]:
        if not self.terms:
            return "market_searchdocument d", " AND ".join(filters_sql) or "1 = 1", list(filters_params)
        backend = _backend()
        match_sql, match_params = backend.match(list(self.clauses), typed=self.typed)
        return backend.FROM, " AND ".join([match_sql, *filters_sql]), [*match_params, *filters_params]

    def order(self) -> tuple[list[str], list]:
        if not self.terms:
            return ["COALESCE(m.star, 0) DESC", "m.product_id"], []
        backend = _backend()
        contains = backend.contains("m.names")
        keys = exact_names(self.terms)
        order = ["(" + " OR ".join([contains] * len(keys)) + ") DESC"]
        params: list = [f"| {key} |" for key in keys]
        in_names = []
        for term in self.terms:
            either = " OR ".join([contains] * len(term.alternatives))
            in_names.append(f"CASE WHEN {either} THEN 1 ELSE 0 END")
            params += [f" {alt} " for alt in term.alternatives]
        order.append("(" + " + ".join(in_names) + ") DESC")
        relevance, relevance_params = backend.relevance(typed=self.typed)
        if self.kind == "partial":
            order += [relevance, "COALESCE(m.star, 0) DESC"]
        else:
            order += ["COALESCE(m.star, 0) DESC", relevance]
        return [*order, "m.product_id"], [*params, *relevance_params]


def _rows(stage: _Stage, filters_sql: list[str], filters_params: list, *, limit: int, offset: int):
    """(facet rows, page rows) in one statement: the word match runs once, its rows are grouped
    for the facets and ordered for the page."""
    table, where, params = stage.where(filters_sql, filters_params)
    order, order_params = stage.order()
    sql = (
        "WITH m AS MATERIALIZED (SELECT d.product_id, d.display, d.star, d.names, d.province_id, "  # noqa: S608
        f"d.group_code, d.entity_kind, d.recognition_mask FROM {table} WHERE {where}) "
        "SELECT 0, province_id, star, group_code, entity_kind, recognition_mask, COUNT(*), "
        f"CAST(NULL AS bigint), CAST(NULL AS {_backend().JSON}) "
        "FROM m GROUP BY province_id, star, group_code, entity_kind, recognition_mask "
        "UNION ALL SELECT * FROM (SELECT 1, CAST(NULL AS varchar), m.star, CAST(NULL AS varchar), "
        "CAST(NULL AS varchar), CAST(NULL AS integer), CAST(NULL AS bigint), m.product_id, m.display "
        f"FROM m ORDER BY {', '.join(order)} LIMIT %s OFFSET %s) p"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *order_params, limit, offset])
        rows = cursor.fetchall()
    facets = [row[1:7] for row in rows if row[0] == 0]
    page = [(row[7], row[8], row[2]) for row in rows if row[0] == 1]
    return facets, page


def _every_but_one(terms: tuple[Term, ...]) -> tuple[tuple[Term, ...], ...]:
    if len(terms) <= 2:
        return tuple((t,) for t in terms)
    return tuple(terms[:i] + terms[i + 1 :] for i in range(len(terms)))


def _stages(analysis: Analysis | None, *, exact: bool) -> list[_Stage]:
    """Tried in order until one finds something. The fuzzy stage asks for every word but one (a
    word nothing holds, or a typo left uncorrected): "any word" would match most of the catalogue
    for a long query and rank it slowly."""
    if analysis is None:
        return [_Stage("all")]
    stages = []
    if not exact and analysis.changed:
        stages.append(_Stage("corrected", analysis.terms, (analysis.terms,)))
    stages.append(_Stage("all", analysis.raw_terms, (analysis.raw_terms,)))
    terms = analysis.raw_terms if exact else analysis.terms
    if len(terms) > 1:
        stages.append(_Stage("partial", terms, _every_but_one(terms)))
    return stages


_browse: dict[tuple, tuple[list, list]] = {}


def _cached_rows(key: tuple, stage: _Stage, compute) -> tuple[list, list]:
    """Browsing without words reads every document (200,000 at the bench's scale): its facets and
    pages are kept per process until the index moves (its audit position is in the key)."""
    if stage.terms:
        return compute()
    key = (connection.vendor, *key)
    if key not in _browse:
        if len(_browse) > 2000:
            _browse.clear()
        _browse[key] = compute()
    return _browse[key]


# --- facets --------------------------------------------------------------------------------------


# --- the search ----------------------------------------------------------------------------------


def search_products(
    query: str, *, filters: dict, page: int = 1, language: str = "vi", exact: bool = False, per_page: int = 0
) -> SearchResult:
    """Public products for a visitor's query. `exact` searches the words as typed (the "Search
    instead for …" link); `page` beyond the last gives the last page, with a message."""
    per_page = per_page or settings.PAGE_SIZE
    query = " ".join((query or "").split())
    result = SearchResult(query=query, per_page=per_page)
    if len(query) > MAX_QUERY_CHARS:
        query = query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or query[:MAX_QUERY_CHARS]
        result.query = query
        result.messages.append(
            _("Your search was longer than %(n)s characters: only the first %(n)s were searched.")
            % {"n": MAX_QUERY_CHARS}
        )
    version, seen = search_index_ensure_fresh()
    vocab = vocabulary(version)
    result.filters = filters_clean(filters, result.messages)
    filters_sql, filters_params = filters_sql_of(result.filters)
    analysis = None
    if words(query):
        analysis = analyse(query, vocab)
    elif query:
        result.messages.append(
            _("“%(query)s” has no letters or digits to search for: type a product, a place or a producer.")
            % {"query": query[:40]}
        )
    rows: list[tuple] = []
    page_rows: list[tuple] = []
    chosen = _Stage("all")
    offset = (max(page, 1) - 1) * per_page
    key = (version, seen, tuple(result.filters.items()), per_page)
    for stage in _stages(analysis, exact=exact):
        rows, page_rows = _cached_rows(
            (*key, offset),
            stage,
            lambda stage=stage: _rows(stage, filters_sql, filters_params, limit=per_page, offset=offset),
        )
        if rows:
            chosen = stage
            if stage.kind == "corrected" and analysis is not None:
                result.corrected = analysis.corrected_text
            result.partial = stage.kind == "partial"
            break
    result.total = sum(row[-1] for row in rows)
    result.facets = facets_count(rows, result.filters, language)
    if not result.total:
        if analysis is not None:
            result.suggestions = suggestions(analysis.tokens, vocab)
        return result
    result.pages = max(1, math.ceil(result.total / per_page))
    if page < 1:
        result.messages.append(_("Pages are numbered from 1: here is the first."))
        page = 1
    elif page > result.pages:
        result.messages.append(
            _("There is no page %(page)s: the results end on page %(last)s, shown here.")
            % {"page": page, "last": result.pages}
        )
        page = result.pages
        offset = (page - 1) * per_page
        _rows_now, page_rows = _cached_rows(
            (*key, offset),
            chosen,
            lambda: _rows(chosen, filters_sql, filters_params, limit=per_page, offset=offset),
        )
    result.page = page
    for product_id, display, star in page_rows:
        data = display if isinstance(display, dict) else _json(display)
        names = data.get("names", {})
        result.hits.append(
            Hit(
                product_id=product_id,
                name=names.get(language) or names.get("vi") or next(iter(names.values()), ""),
                producer=data.get("producer", ""),
                commune=data.get("commune", ""),
                province=data.get("province", ""),
                star=star,
            )
        )
    return result


def _json(raw) -> dict:
    import json

    return json.loads(raw) if raw else {}
