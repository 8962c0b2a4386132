"""Settings the opendata app reads, with their development defaults."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from certificates.conf import public_base_url

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

# The files in OCOP_OPEN_DATA_DIR; the public URLs (opendata.urls) do not change when these do.
JSONL_NAME = "products.jsonl"
CSV_NAME = "products.csv"
METADATA_NAME = "metadata.json"


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    attribution: str


def open_data_dir() -> Path:
    return Path(getattr(settings, "OCOP_OPEN_DATA_DIR", Path(settings.BASE_DIR) / "var" / "opendata"))


def open_data_licence() -> Licence:
    configured = getattr(settings, "OCOP_OPEN_DATA_LICENCE", None) or {}
    return Licence(
        name=configured.get("name") or "CC BY 4.0",
        url=configured.get("url") or CC_BY_4,
        attribution=configured.get("attribution") or f"OCOP Hub — {public_base_url()}",
    )
