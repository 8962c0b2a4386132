"""The columns of the open data files: an allow-list, in the order of the CSV header.

Only what is already public on the product page and the certificate verification page goes out, one
named field at a time: a column is published only if it is listed here. An entity's tax code, phone,
e-mail, representative, address, worker counts, evidence documents, dossiers, scores and the audit log
are never listed, and must never be (tests/opendata checks the files for them). Adding a column is a
decision about personal and business data: write down why it is public in the pull request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certificates.conf import public_base_url
from certificates.models import Certificate
from certificates.selectors import verification_url
from registry.models import Product

Value = str | int | list[str] | None


def _translation_name(product: Product, language: str) -> str:
    # No fallback to Vietnamese here: an empty name_en says there is no English name.
    for tr in product.translations.all():
        if tr.language == language:
            return tr.name
    return ""


def certificate_of(product: Product) -> Certificate | None:
    """The product's current valid certificate (prefetched by opendata.selectors, newest first)."""
    certificates = getattr(product, "valid_certificates", [])
    return certificates[0] if certificates else None


def _certificate_field(read: Callable[[Certificate], Value]) -> Callable[[Product], Value]:
    def value(product: Product) -> Value:
        certificate = certificate_of(product)
        return None if certificate is None else read(certificate)

    return value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _kinds(recognitions) -> list[str]:
    return sorted({recognition.kind for recognition in recognitions})


@dataclass(frozen=True)
class PublicField:
    name: str
    description: Promise | str
    value: Callable[[Product], Value]


# The allow-list. Order matters: it is the CSV header and the key order of every JSON line.
PUBLIC_FIELDS: tuple[PublicField, ...] = (
    PublicField("product_id", _("Product number on this platform (stable)."), lambda p: p.pk),
    PublicField("product_code", _("OCOP product code, when the province gave one."), lambda p: p.code),
    PublicField("name_vi", _("Product name in Vietnamese."), lambda p: _translation_name(p, "vi")),
    PublicField(
        "name_en",
        _("Product name in English (empty when none was given)."),
        lambda p: _translation_name(p, "en"),
    ),
    PublicField(
        "criteria_set_code",
        _("Code of the criteria set (product type) of Decision 26/2026/QĐ-TTg."),
        lambda p: p.category_id,
    ),
    PublicField("criteria_set_name", _("Name of the criteria set."), lambda p: p.category.name_vi),
    PublicField("ocop_group_code", _("OCOP product group (1 to 6)."), lambda p: p.category.subgroup.group_id),
    PublicField(
        "ocop_group_name", _("Name of the OCOP product group."), lambda p: p.category.subgroup.group.name_vi
    ),
    PublicField("province_code", _("Official code of the province of production."), lambda p: p.province_id),
    PublicField("province_name", _("Province of production."), lambda p: p.province.name),
    PublicField("commune_code", _("Official code of the commune of production."), lambda p: p.commune_id),
    PublicField("commune_name", _("Commune of production."), lambda p: p.commune.name),
    PublicField("price_min_vnd", _("Lowest retail price, in đồng."), lambda p: p.price_min_vnd),
    PublicField("price_max_vnd", _("Highest retail price, in đồng."), lambda p: p.price_max_vnd),
    PublicField("shelf_life_days", _("Shelf life, in days."), lambda p: p.shelf_life_days),
    PublicField(
        "stars",
        _("OCOP rating (number of stars) on the valid certificate."),
        _certificate_field(lambda c: c.stars),
    ),
    PublicField(
        "certificate_number",
        _("Number of the valid OCOP certificate."),
        _certificate_field(lambda c: c.number),
    ),
    PublicField(
        "certificate_decision_no",
        _("Number of the recognition decision."),
        _certificate_field(lambda c: c.decision_no),
    ),
    PublicField(
        "certificate_decision_date",
        _("Date of the recognition decision (YYYY-MM-DD)."),
        _certificate_field(lambda c: _iso(c.decision_date)),
    ),
    PublicField(
        "certificate_valid_until",
        _("Last day of the certificate's validity (YYYY-MM-DD)."),
        _certificate_field(lambda c: _iso(c.valid_until)),
    ),
    PublicField(
        "certificate_issuer",
        _("Authority that issued the certificate."),
        _certificate_field(lambda c: c.issuer_vi),
    ),
    PublicField(
        "certificate_verification_url",
        _("Public page that checks the certificate (the address in its QR code)."),
        _certificate_field(verification_url),
    ),
    PublicField(
        "product_url",
        _("Public page of the product."),
        lambda p: public_base_url() + reverse("registry:product_detail", args=[p.pk]),
    ),
    PublicField(
        "entity_id", _("Number of the producer entity on this platform (stable)."), lambda p: p.entity_id
    ),
    PublicField("entity_name", _("Legal name of the producer entity."), lambda p: p.entity.legal_name),
    PublicField(
        "entity_kind",
        _("Kind of entity (codes listed below)."),
        lambda p: p.entity.kind,
    ),
    PublicField(
        "entity_province_code", _("Official code of the entity's province."), lambda p: p.entity.province_id
    ),
    PublicField("entity_province_name", _("Province of the entity."), lambda p: p.entity.province.name),
    PublicField(
        "entity_commune_code", _("Official code of the entity's commune."), lambda p: p.entity.commune_id
    ),
    PublicField("entity_commune_name", _("Commune of the entity."), lambda p: p.entity.commune.name),
    PublicField(
        "recognitions",
        _("Other current recognitions of the product (codes listed below)."),
        lambda p: _kinds(getattr(p, "current_recognitions", [])),
    ),
    PublicField(
        "entity_recognitions",
        _("Current recognitions of the entity as a whole, not of one product."),
        lambda p: _kinds(getattr(p.entity, "entity_wide_recognitions", [])),
    ),
)

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in PUBLIC_FIELDS)


def public_row(product: Product) -> dict[str, Value]:
    """One product's row: the allow-listed fields and nothing else, in the documented order."""
    return {field.name: field.value(product) for field in PUBLIC_FIELDS}
