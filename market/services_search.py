"""Keeping the search index in step with the registry.

Every write to products, entities, recognitions and certificates goes through a service that writes
an audit event in its transaction, so the audit log is the index's change feed: a search first
compares the newest event id with the one the index has read (one indexed read) and, when it moved,
re-indexes the products those events touched (`search_index_refresh`). A change made through any
service therefore shows in the next search, in every process, with no step to remember and nothing
in the registry knowing about the market. `search_index_rebuild` (manage.py search_index --rebuild)
builds everything again: after a bulk load that bypassed the services, or to compact the vocabulary.
"""

import html
from collections import Counter
from collections.abc import Iterable
from datetime import date

import nh3
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.models import AuditEvent
from certificates.models import Certificate, CertificateEvent
from market.models import SearchDocument, SearchState, SearchTerm
from market.search_text import words
from registry.models import Entity, Product, ProductTranslation, Recognition

BATCH = 2000
# Past this many touched products (an import), one rebuild is faster than re-indexing each.
REBUILD_FROM = 20_000
# What a document is made of, by audit object type (audit.services: obj._meta.label_lower).
INDEXED_OBJECT_TYPES = [
    "registry.product",
    "registry.entity",
    "registry.recognition",
    "registry.productcategory",
    "registry.ocopgroup",
    "certificates.certificate",
    "certificates.certificateevent",
    "places.commune",
    "places.province",
]
RECOGNITION_BITS = {kind: 1 << i for i, kind in enumerate(Recognition.Kind.values)}
_SPLIT = 500  # ids per IN (…) list: SQLite allows 999 parameters in older builds


def _plain(story: str) -> str:
    return html.unescape(nh3.clean(story or "", tags=set()))


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _stars(ids: list[int]) -> dict[int, int]:
    rows = (
        Certificate.objects.filter(product_id__in=ids, status=Certificate.Status.VALID)
        .values("product_id")
        .annotate(top=Max("stars"))
    )
    return {row["product_id"]: row["top"] for row in rows}


def _recognitions(products: list[Product], today: date) -> dict[int, int]:
    """A bit per kind, for recognitions of the product itself or of its whole entity, still valid."""
    ids = [p.pk for p in products]
    entity_ids = {p.entity_id for p in products}
    masks: dict[int, int] = {}
    by_entity: dict[int, int] = {}
    rows = Recognition.objects.filter(
        Q(product_id__in=ids) | Q(product__isnull=True, entity_id__in=entity_ids),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
    ).values_list("product_id", "entity_id", "kind")
    for product_id, entity_id, kind in rows:
        bit = RECOGNITION_BITS.get(kind, 0)
        if product_id:
            masks[product_id] = masks.get(product_id, 0) | bit
        else:
            by_entity[entity_id] = by_entity.get(entity_id, 0) | bit
    return {p.pk: masks.get(p.pk, 0) | by_entity.get(p.entity_id, 0) for p in products}


def _documents(ids: list[int]) -> list[SearchDocument]:
    """The documents of those of `ids` that are public now (the others get none)."""
    products = list(
        Product.objects.filter(pk__in=ids, status__in=Product.PUBLIC_STATUSES)
        .select_related("entity", "commune", "province", "category__subgroup__group")
        .order_by()
    )
    if not products:
        return []
    found = [p.pk for p in products]
    texts: dict[int, list[tuple]] = {}
    for row in ProductTranslation.objects.filter(product_id__in=found).values_list(
        "product_id", "language", "name", "short_description", "story", "ingredients"
    ):
        texts.setdefault(row[0], []).append(row[1:])
    stars = _stars(found)
    masks = _recognitions(products, timezone.localdate())
    documents = []
    for product in products:
        rows = sorted(texts.get(product.pk, []), key=lambda r: (r[0] != "vi", r[0]))
        names = {language: name for language, name, *_ in rows}
        folded_names = list(dict.fromkeys(" ".join(words(name)) for name in names.values()))
        category = product.category
        group = category.subgroup.group
        commune, province, entity = product.commune, product.province, product.entity
        body = [
            *(f"{short} {_plain(story)} {ingredients}" for _lang, _name, short, story, ingredients in rows),
            # Not the criteria set's name: "Chế biến từ thịt, thủy sản, trứng, sữa, … mật ong" would
            # make a salmon match "mật ong" and every processed food "chè" (chế → che). The group's is
            # short and says what the product is; the set is a filter.
            group.name_vi,
            group.name_en,
            entity.legal_name,
            commune.name,
            commune.former_names,
            province.name,
            province.former_names,
            product.code,
        ]
        documents.append(
            SearchDocument(
                product_id=product.pk,
                names="| " + " | ".join(n for n in folded_names if n) + " |",
                document=" ".join(words(" ".join(body))),
                display={
                    "names": names,
                    "producer": entity.legal_name,
                    "commune": commune.name,
                    "province": province.short_name,
                },
                province_id=product.province_id,
                commune_id=product.commune_id,
                star=stars.get(product.pk),
                group_code=group.code,
                category_code=category.code,
                entity_kind=entity.kind,
                recognition_mask=masks[product.pk],
            )
        )
    return documents


def _fts_replace(ids: list[int], documents: list[SearchDocument]) -> None:
    if connection.vendor != "sqlite":
        return  # PostgreSQL's tsvector is a generated column of market_searchdocument
    with connection.cursor() as cursor:
        for chunk in _chunks(ids, _SPLIT):
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM market_search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
        cursor.executemany(
            "INSERT INTO market_search_fts (rowid, names, body) VALUES (%s, %s, %s)",
            [(d.product_id, d.names, d.document) for d in documents],
        )


def _terms_of(documents: list[SearchDocument]) -> tuple[Counter, Counter]:
    """Per product once: every word, and the words and two-word sequences of the names."""
    anywhere: Counter = Counter()
    in_names: Counter = Counter()
    for doc in documents:
        name_terms: set[str] = set()
        for name in doc.names.strip("| ").split(" | "):
            parts = name.split()
            name_terms.update(parts)
            name_terms.update(f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False))
        in_names.update(t for t in name_terms if len(t) <= 80)
        anywhere.update(w for w in set(doc.document.split()) | name_terms if len(w) <= 80)
    return anywhere, in_names


def _reindex(ids: list[int], *, empty: bool = False) -> tuple[int, Counter, Counter]:
    """Write the documents of `ids` (none for those not public); `empty`: the index holds none yet."""
    anywhere: Counter = Counter()
    in_names: Counter = Counter()
    written = 0
    for chunk in _chunks(ids, BATCH):
        documents = _documents(chunk)
        if not empty:
            for part in _chunks(chunk, _SPLIT):
                SearchDocument.objects.filter(product_id__in=part).delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
        _fts_replace([] if empty else chunk, documents)
        a, n = _terms_of(documents)
        anywhere.update(a)
        in_names.update(n)
        written += len(documents)
    return written, anywhere, in_names


def _audit_head() -> int:
    return AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0


def search_index_rebuild() -> int:
    """Index every public product again; returns how many are indexed."""
    with transaction.atomic():
        state, _ = SearchState.objects.select_for_update().get_or_create(pk=1)
        head = _audit_head()
        SearchDocument.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM market_search_fts")
        ids = list(
            Product.objects.filter(status__in=Product.PUBLIC_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        written, anywhere, in_names = _reindex(ids, empty=True)
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t, in_names=in_names.get(t, 0), total=n) for t, n in anywhere.items()],
            batch_size=2000,
        )
        state.audit_seen = head
        state.vocabulary_version += 1
        state.built_at = state.refreshed_at = timezone.now()
        state.save()
    return written


def _touched_products(since: int, until: int) -> set[int]:
    """The products whose document the audit events (since, until] may have changed."""
    events = AuditEvent.objects.filter(
        id__gt=since, id__lte=until, object_type__in=INDEXED_OBJECT_TYPES
    ).values_list("object_type", "object_id")
    by_type: dict[str, set[str]] = {}
    for object_type, object_id in events.iterator():
        by_type.setdefault(object_type, set()).add(object_id)

    def numbers(object_type: str) -> set[int]:
        return {int(pk) for pk in by_type.get(object_type, ()) if pk.isdigit()}

    products = numbers("registry.product")
    entities = numbers("registry.entity")
    certificates = numbers("certificates.certificate")
    if by_type.get("certificates.certificateevent"):
        certificates |= set(
            CertificateEvent.objects.filter(pk__in=numbers("certificates.certificateevent")).values_list(
                "certificate_id", flat=True
            )
        )
    if certificates:
        products |= set(Certificate.objects.filter(pk__in=certificates).values_list("product_id", flat=True))
    recognitions = Recognition.objects.filter(pk__in=numbers("registry.recognition"))
    for product_id, entity_id in recognitions.values_list("product_id", "entity_id"):
        if product_id:
            products.add(product_id)
        else:
            entities.add(entity_id)
    if entities:
        products |= set(Product.objects.filter(entity_id__in=entities).values_list("pk", flat=True))
    # Names of groups, communes and provinces are in the documents too; they change rarely.
    codes = {
        "category_id__in": by_type.get("registry.productcategory", set()),
        "category__subgroup__group_id__in": by_type.get("registry.ocopgroup", set()),
        "commune_id__in": by_type.get("places.commune", set()),
        "province_id__in": by_type.get("places.province", set()),
    }
    for lookup, values in codes.items():
        if values:
            products |= set(Product.objects.filter(**{lookup: values}).values_list("pk", flat=True))
    return products


def search_index_refresh() -> int:
    """Re-index the products touched since the index last read the audit log (dropping those no
    longer public); returns how many were looked at."""
    with transaction.atomic():
        state, created = SearchState.objects.select_for_update().get_or_create(pk=1)
        if created or state.built_at is None:
            return search_index_rebuild()
        head = _audit_head()
        if head <= state.audit_seen:
            return 0
        touched = _touched_products(state.audit_seen, head)
        if len(touched) >= REBUILD_FROM:
            return search_index_rebuild()
        _written, anywhere, in_names = _reindex(sorted(touched))
        if anywhere:
            known = set()
            terms = list(anywhere)
            for part in _chunks(terms, _SPLIT):  # type: ignore[arg-type]
                known |= set(SearchTerm.objects.filter(term__in=part).values_list("term", flat=True))
            new = [
                SearchTerm(term=t, in_names=in_names.get(t, 0), total=n)
                for t, n in anywhere.items()
                if t not in known
            ]
            if new:
                SearchTerm.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
                state.vocabulary_version += 1
        state.audit_seen = head
        state.refreshed_at = timezone.now()
        state.save()
    return len(touched)


def search_index_state() -> tuple[int, int, int]:
    """(newest audit event, audit event the index has read, vocabulary version) in one read."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(id) FROM audit_auditevent), s.audit_seen, s.vocabulary_version "
            "FROM market_searchstate s WHERE s.id = 1"
        )
        row = cursor.fetchone()
    if row is None:
        return (_audit_head(), -1, -1)
    return (row[0] or 0, row[1], row[2])


def search_index_ensure_fresh() -> tuple[int, int]:
    """Called before every search: (vocabulary version, audit event read) of the index after any
    refresh — what per-process caches of search results are keyed by."""
    head, seen, version = search_index_state()
    if seen < 0 or head > seen:
        search_index_refresh()
        head, seen, version = search_index_state()
    return version, seen


def entity_kinds() -> list[str]:
    return list(Entity.Kind.values)
