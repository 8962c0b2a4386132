"""The public catalogue's search index: one row per public product, built from the registry and the
certificates by market.services_search (data flows registry → market; nothing there writes here).

The text columns hold diacritic-folded text (ocop_hub.text.fold), so both databases match "tra shan
tuyet" against "Trà Shan Tuyết" with their plain word indexes: on SQLite the FTS5 table
market_search_fts (rowid = product id), on PostgreSQL a stored tsvector column with a GIN index and a
pg_trgm index on the names (migration 0002; neither is a Django field)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    product = models.OneToOneField(
        "registry.Product", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # "| tra shan tuyet suoi giang | shan tuyet tea |": every language's name, folded, each between
    # "| " and " |" so an exact name and a whole word are both one substring test.
    names = models.TextField()
    document = models.TextField()  # the rest, folded: descriptions, story, ingredients, places, producer
    # What a result shows, so a page of results costs no further query: names per language, producer,
    # commune, province.
    display = models.JSONField(default=dict)
    province_id = models.CharField(max_length=2, db_index=True)
    commune_id = models.CharField(max_length=5, db_index=True)
    star = models.PositiveSmallIntegerField(null=True, db_index=True)
    group_code = models.CharField(max_length=4, db_index=True)
    category_code = models.CharField(max_length=16, db_index=True)
    entity_kind = models.CharField(max_length=20)
    # One bit per registry.models.Recognition.Kind, in market.search_text.RECOGNITION_BITS order.
    recognition_mask = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.names.strip("| ").split(" | ")[0]


class SearchTerm(models.Model):
    """The vocabulary typo correction picks from: folded words of the index, and two-word sequences
    of product names ("shan tuyet", "sa pa") whose presence tells which correction fits its
    neighbours ("che san tuyet" → "che shan tuyet")."""

    term = models.CharField(max_length=80, primary_key=True)
    in_names = models.PositiveIntegerField(default=0)  # how many products' names hold it
    total = models.PositiveIntegerField(default=0)  # how many products hold it anywhere

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class SearchState(models.Model):
    """One row: how far the index has read the audit log (every service write is audited, so the
    log is the change feed) and a version that moves when the vocabulary changes."""

    audit_seen = models.BigIntegerField(default=0)
    vocabulary_version = models.BigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"search index at audit event {self.audit_seen}"
