"""Telling every process that what the resolver and the scan page cache has changed: the
ResolverGeneration row moves (in the caller's transaction when there is one) and this process drops
its cache at once; the others within OCOP_RESOLVER_GENERATION_CHECK_SECONDS (traceability.lookup).
Called by the services that write GTINs, lots, links, product texts, recordings and certificates."""

from django.db.models import F

from traceability import lookup
from traceability.models import ResolverGeneration


def scan_pages_changed() -> None:
    if not ResolverGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        ResolverGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    lookup.cache_clear()
