"""Exports in the import files' own format (same headers, same values), filtered like the lists:
exporting and importing the same file changes nothing."""

import csv
import io
from collections.abc import Iterator
from datetime import date

from django.db.models import Prefetch
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from certificates.models import Certificate
from certificates.services import CENTRAL_ISSUER_VI
from registry import selectors
from registry.models import Entity, ProductTranslation, Recognition
from transfers.columns import KINDS, ORDER, Kind

DATE_FORMAT = "DD/MM/YYYY"


def _kind_label(choices, value: str) -> str:
    with translation.override("vi"):
        return str(choices(value).label) if value else ""


def _managed(user):
    """An export is for re-import: only what the user may change (their jurisdiction or entity),
    not the other provinces' published products the lists also show."""
    return selectors.entities_managed_by(user).values("pk")


def _entities(user, filters: dict) -> Iterator[dict]:
    qs = (
        selectors.entities_visible_to(user, **filters)
        .filter(pk__in=_managed(user))
        .order_by("province_id", "name_folded", "id")
    )
    for e in qs.iterator(chunk_size=2000):
        yield {
            "tax_code": e.tax_code,
            "legal_name": e.legal_name,
            "kind": _kind_label(Entity.Kind, e.kind),
            "representative": e.representative,
            "phone": e.phone,
            "email": e.email,
            "address": e.address,
            "commune": e.commune.name,
            "commune_code": e.commune_id,
            "province": e.province.name,
            "founded_year": e.founded_year,
            "members_count": e.members_count,
            "workers_count": e.workers_count,
            "women_count": e.women_count,
            "ethnic_minority_count": e.ethnic_minority_count,
            "gln": e.gln,
            "description": e.description,
        }


def _products(user, filters: dict) -> Iterator[dict]:
    qs = (
        selectors.products_visible_to(user, **filters)
        .filter(entity__in=_managed(user))
        .prefetch_related(None)
        .prefetch_related(Prefetch("translations", queryset=ProductTranslation.objects.all()))
        .order_by("province_id", "entity__name_folded", "name_folded", "id")
    )
    for p in qs.iterator(chunk_size=2000):
        texts = {tr.language: tr for tr in p.translations.all()}
        vi, en = texts.get("vi"), texts.get("en")
        yield {
            "entity_tax_code": p.entity.tax_code,
            "product_code": p.code,
            "name_vi": vi.name if vi else "",
            "name_en": en.name if en else "",
            "category": p.category_id,
            "commune": p.commune.name,
            "commune_code": p.commune_id,
            "shelf_life_days": p.shelf_life_days,
            "price_min_vnd": p.price_min_vnd,
            "price_max_vnd": p.price_max_vnd,
            "monthly_capacity": p.monthly_capacity,
            "capacity_unit": p.capacity_unit,
            "short_description_vi": vi.short_description if vi else "",
            "duplicate_reason": "",
        }


def _recognitions(user, filters: dict) -> Iterator[dict]:
    entities = selectors.entities_visible_to(user, **filters).filter(pk__in=_managed(user)).values("pk")
    qs = (
        Recognition.objects.filter(entity__in=entities)
        .select_related("entity", "product")
        .prefetch_related(
            Prefetch("product__translations", queryset=ProductTranslation.objects.filter(language="vi"))
        )
        .order_by("entity__name_folded", "kind", "id")
    )
    for r in qs.iterator(chunk_size=2000):
        yield {
            "entity_tax_code": r.entity.tax_code,
            "product_code": r.product.code if r.product else "",
            "product_name": r.product.name_vi if r.product else "",
            "kind": _kind_label(Recognition.Kind, r.kind),
            "number": r.number,
            "issuer": r.issuer,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
            "note": r.note,
        }


def _certificates(user, filters: dict) -> Iterator[dict]:
    products = selectors.products_visible_to(user, **filters).filter(entity__in=_managed(user)).values("pk")
    qs = (
        Certificate.objects.filter(product__in=products)
        .select_related("entity", "product", "release")
        .prefetch_related(
            Prefetch("product__translations", queryset=ProductTranslation.objects.filter(language="vi"))
        )
        .order_by("product_id", "decision_date", "id")
    )
    for c in qs.iterator(chunk_size=2000):
        yield {
            "number": c.number,
            "entity_tax_code": c.entity.tax_code,
            "product_code": c.product.code,
            "product_name": c.product.name_vi,
            "stars": c.stars,
            "potential_stars": c.potential_stars,
            "score": c.score,
            "decision_no": c.decision_no,
            "decision_date": c.decision_date,
            "valid_until": c.valid_until,
            "release": c.release.code,
            "council_level": "trung ương" if c.issuer_vi == CENTRAL_ISSUER_VI else "tỉnh",
            "issuer": c.issuer_vi,
        }


ROWS = {
    "entities": _entities,
    "products": _products,
    "recognitions": _recognitions,
    "certificates": _certificates,
}


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def export_csv(user, kind: Kind, filters: dict, *, template: bool = False) -> bytes:
    """UTF-8 with a BOM, so that Excel opens Vietnamese text correctly by double-click."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.vi for c in kind.columns])
    if not template:
        for row in ROWS[kind.key](user, filters):
            writer.writerow([_csv_value(row.get(c.key)) for c in kind.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(user, kinds: list[Kind], filters: dict, *, template: bool = False) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for kind in kinds:
        sheet = workbook.create_sheet(kind.sheet_vi)
        header = []
        for column in kind.columns:
            cell = WriteOnlyCell(sheet, value=column.vi)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        if template:
            continue
        for row in ROWS[kind.key](user, filters):
            cells = []
            for column in kind.columns:
                value = row.get(column.key)
                cell = WriteOnlyCell(sheet, value=value if value != "" else None)
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                elif column.key in (
                    "tax_code",
                    "entity_tax_code",
                    "commune_code",
                    "gln",
                    "product_code",
                    "phone",
                ):
                    cell.number_format = "@"  # text: keep leading zeros
                cells.append(cell)
            sheet.append(cells)
    if template:
        guide = workbook.create_sheet("Hướng dẫn")
        guide.append(["Trang tính", "Cột", "Tiếng Anh", "Bắt buộc", "Ghi chú"])
        for kind in kinds:
            for column in kind.columns:
                guide.append(
                    [kind.sheet_vi, column.vi, column.en, "có" if column.required else "", column.help]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def all_kinds() -> list[Kind]:
    return [KINDS[k] for k in ORDER]
