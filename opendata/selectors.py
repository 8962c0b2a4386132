"""Reads for the open data: the public products with everything a row needs, and the published files."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from certificates.models import Certificate
from opendata.conf import CSV_NAME, JSONL_NAME, METADATA_NAME, open_data_dir
from registry import selectors as registry_selectors
from registry.models import Product, ProductTranslation, Recognition


def _current(today: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


def open_data_products(*, today: date) -> QuerySet[Product]:
    """What the public sees (registry's public selector), oldest first so that a new product adds a line
    at the end and a day's diff stays small; everything opendata.fields reads is joined or prefetched,
    so a chunk of rows costs the same few queries however many products there are."""
    return (
        registry_selectors.products_visible_to(None)
        .prefetch_related(None)  # the list page's images are not published
        .select_related(
            "category__subgroup__group", "commune", "province", "entity__commune", "entity__province"
        )
        .prefetch_related(
            Prefetch(
                "translations",
                queryset=ProductTranslation.objects.filter(language__in=("vi", "en")).only(
                    "product_id", "language", "name"
                ),
            ),
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(status=Certificate.Status.VALID)
                .only(
                    "product_id",
                    "number",
                    "verification_code",
                    "stars",
                    "decision_no",
                    "decision_date",
                    "issuer_vi",
                    "valid_until",
                )
                .order_by("-valid_until", "-id"),
                to_attr="valid_certificates",
            ),
            Prefetch(
                "recognitions",
                queryset=Recognition.objects.filter(_current(today)).only("product_id", "kind"),
                to_attr="current_recognitions",
            ),
            Prefetch(
                "entity__recognitions",
                queryset=Recognition.objects.filter(_current(today), product__isnull=True).only(
                    "entity_id", "kind"
                ),
                to_attr="entity_wide_recognitions",
            ),
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class PublishedFile:
    path: Path
    sha256: str


def open_data_metadata(directory: Path | None = None) -> dict[str, Any] | None:
    """The last build's metadata.json, or None before the first build."""
    path = Path(directory or open_data_dir()) / METADATA_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def published_file(name: str) -> PublishedFile | None:
    """One of the data files as the last build left it, or None when it has not been built."""
    if name not in (JSONL_NAME, CSV_NAME, METADATA_NAME):
        return None
    directory = open_data_dir()
    path = directory / name
    if name == METADATA_NAME:
        # Small and rewritten each night: its ETag is its own hash.
        try:
            return PublishedFile(path, hashlib.sha256(path.read_bytes()).hexdigest())
        except FileNotFoundError:
            return None
    metadata = open_data_metadata(directory)
    sha256 = ((metadata or {}).get("files") or {}).get(name, {}).get("sha256")
    if not sha256 or not path.is_file():
        return None
    return PublishedFile(path, sha256)
