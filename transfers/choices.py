"""Words provinces use for entity types, recognitions, stars and council levels, mapped to our codes.
Built from the model choices in Vietnamese and English, plus the abbreviations seen in their sheets."""

import re
from functools import cache

from django.utils import translation

from ocop_hub.text import fold
from registry.models import Entity, Recognition
from transfers.columns import header_key

ENTITY_WORDS = {
    "htx": "cooperative",
    "hop tac xa": "cooperative",
    "tht": "coop_group",
    "to hop tac": "coop_group",
    "dn": "enterprise",
    "doanh nghiep": "enterprise",
    "cong ty": "enterprise",
    "cong ty tnhh": "enterprise",
    "cong ty co phan": "enterprise",
    "doanh nghiep tu nhan": "enterprise",
    "trang trai": "farm",
    "hkd": "household",
    "ho kinh doanh": "household",
    "ho san xuat": "household",
    "ho san xuat kinh doanh": "household",
    "co so san xuat": "household",
    "hoi": "association",
    "hiep hoi": "association",
    "trung tam": "centre",
}
RECOGNITION_WORDS = {
    "iso 22000": "iso22000",
    "huu co": "organic",
    "nhan hieu": "trademark",
    "nhan hieu tap the": "gi",
    "nhan hieu chung nhan": "gi",
    "chi dan dia ly": "gi",
    "cddl": "gi",
    "san pham cnnt tieu bieu": "rural_industrial",
    "san pham cong nghiep nong thon tieu bieu": "rural_industrial",
    "cnnt tieu bieu": "rural_industrial",
    "thuong hieu vang": "golden_brand",
    "thuong hieu vang nong nghiep viet nam": "golden_brand",
    "xuat khau": "export_market",
    "thi truong xuat khau": "export_market",
}
LEVEL_WORDS = {
    "tinh": "province",
    "cap tinh": "province",
    "province": "province",
    "provincial": "province",
    "trung uong": "central",
    "cap trung uong": "central",
    "central": "central",
    "quoc gia": "central",
    "bo": "central",
}


@cache
def _lookup(choices_key: str) -> dict[str, str]:
    model_choices = {"entity": Entity.Kind, "recognition": Recognition.Kind}[choices_key]
    words = dict(ENTITY_WORDS if choices_key == "entity" else RECOGNITION_WORDS)
    for value, _label in model_choices.choices:
        words[header_key(value)] = value
        for lang in ("vi", "en"):
            with translation.override(lang):
                words[header_key(str(model_choices(value).label))] = value
    return words


def entity_kind(text: str) -> str | None:
    key = header_key(text)
    words = _lookup("entity")
    if key in words:
        return words[key]
    for prefix in ("cong ty", "hop tac xa", "doanh nghiep", "to hop tac", "trang trai"):
        if key.startswith(prefix + " "):
            return words[prefix]
    return None


def recognition_kind(text: str) -> str | None:
    return _lookup("recognition").get(header_key(text))


def council_level(text: str) -> str | None:
    return LEVEL_WORDS.get(header_key(text))


def stars(value) -> int | None:
    """4, "4", "4 sao", "4*", "★★★★"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    text = str(value or "").strip()
    if text and set(text) <= {"★", "☆", " "}:
        return text.count("★")
    match = re.fullmatch(r"(\d)\s*(sao|\*|★|stars?)?", fold(text))
    return int(match.group(1)) if match else None
