"""The resolver's reads: a GTIN's product, a lot, a serial, the links — a few indexed queries on the
raw connection (the resolver answers thousands of scans a second; the ORM's per-query cost matters
there). What the resolver needs — a GTIN's product, a lot's id, the links — changes rarely and is
cached per process for OCOP_RESOLVER_CACHE_SECONDS, so a repeated scan costs no query at all; the
serial itself is checked by the scan page, not by the redirect. Changes reach every process through
the ResolverGeneration row (`generation_check`): read at most once per
OCOP_RESOLVER_GENERATION_CHECK_SECONDS, the cache is dropped when it moved."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from registry.models import Packaging, Product
from traceability.models import Lot, ResolverGeneration, ResolverLink, Serial


@dataclass(frozen=True)
class Item:
    packaging_id: int
    product_id: int
    product_status: str


@dataclass(frozen=True)
class Link:
    link_type: str
    title: str
    language: str
    target: str
    lot_id: int | None


_items: dict[str, tuple[float, Item | None]] = {}
_cached: dict[tuple, tuple[float, object]] = {}
MISSING = object()


def remember(key: tuple, compute, seconds: float | None = None):
    """`compute()`, kept under `key` for `seconds` (OCOP_RESOLVER_CACHE_SECONDS by default) and
    dropped with the rest when the generation moves (the scan page keeps its rendered halves here)."""
    hit = peek(key)
    if hit is not MISSING:
        return hit
    value = compute()
    keep(key, value, seconds)
    return value


def peek(key: tuple):
    """What is kept under `key` and still fresh (None may be kept), else MISSING."""
    hit = _cached.get(key)
    return hit[1] if hit is not None and hit[0] > time.monotonic() else MISSING


def keep(key: tuple, value, seconds: float | None = None) -> None:
    if len(_cached) > 200_000:
        _cached.clear()
    lifetime = settings.OCOP_RESOLVER_CACHE_SECONDS if seconds is None else seconds
    _cached[key] = (time.monotonic() + lifetime, value)


def forget(key: tuple) -> None:
    _cached.pop(key, None)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def item_for(gtin: str) -> Item | None:
    now = time.monotonic()
    cached = _items.get(gtin)
    if cached is not None and cached[0] > now:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pk.id, pk.product_id, p.status FROM {_table(Packaging)} pk "  # noqa: S608
            f"JOIN {_table(Product)} p ON p.id = pk.product_id WHERE pk.gtin = %s",
            [gtin],
        )
        row = cursor.fetchone()
    item = Item(*row) if row else None
    if len(_items) > 100_000:
        _items.clear()
    _items[gtin] = (now + settings.OCOP_RESOLVER_CACHE_SECONDS, item)
    return item


def cache_clear() -> None:
    _items.clear()
    _cached.clear()


_generation: dict[str, float | int | None] = {"seen": None, "next_check": 0.0}


def generation_check() -> None:
    """Drop this process's cache when another process (or this one) changed what it holds."""
    now = time.monotonic()
    if now < _generation["next_check"]:  # type: ignore[operator]
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_table(ResolverGeneration)} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    value = row[0] if row else 0
    if value != _generation["seen"]:
        cache_clear()
        _generation["seen"] = value
    _generation["next_check"] = now + settings.OCOP_RESOLVER_GENERATION_CHECK_SECONDS


def lot_for(product_id: int, code: str) -> tuple[int, str] | None:
    return remember(("lot", product_id, code), lambda: _lot_read(product_id, code))


def _lot_read(product_id: int, code: str) -> tuple[int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, status FROM {_table(Lot)} WHERE product_id = %s AND code = %s",  # noqa: S608
            [product_id, code],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def serial_status(product_id: int, value: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status FROM {_table(Serial)} WHERE product_id = %s AND value = %s",  # noqa: S608
            [product_id, value],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def links_for(packaging_id: int, lot_id: int | None) -> list[Link]:
    """The GTIN's links and, when the request names a known lot, that lot's (listed first)."""
    return remember(("links", packaging_id, lot_id), lambda: _links_read(packaging_id, lot_id))


def _links_read(packaging_id: int, lot_id: int | None) -> list[Link]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT link_type, title, language, target, lot_id FROM {_table(ResolverLink)} "  # noqa: S608
            "WHERE packaging_id = %s AND (lot_id IS NULL OR lot_id = %s) ORDER BY lot_id IS NULL, id",
            [packaging_id, lot_id or 0],
        )
        return [Link(*row) for row in cursor.fetchall()]


def product_known(product_id: int) -> bool:
    return remember(("product", product_id), lambda: _product_read(product_id))


def _product_read(product_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_table(Product)} WHERE id = %s", [product_id])  # noqa: S608
        return cursor.fetchone() is not None
