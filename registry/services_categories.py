"""Load the 6 groups, 17 sub-groups and 26 criteria sets of Decision 26/2026/QĐ-TTg (Annex I) from the
copy of the criteria index kept in registry/fixtures (rules as data, never typed into code)."""

import json
from pathlib import Path

from django.db import transaction

from registry.models import OcopGroup, OcopSubGroup, ProductCategory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INDEX_FILE = FIXTURES / "criteria_index_QD26-2026.json"
RULES_FILE = FIXTURES / "ocop_rules_QD26-2026.json"


def categories_load() -> int:
    index = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        for position, group in enumerate(rules["product_groups"]):
            OcopGroup.objects.update_or_create(
                code=group["code"],
                defaults={"name_vi": group["name_vi"], "name_en": group["name_en"], "position": position},
            )
            for sub_position, name in enumerate(group["nhom"]):
                OcopSubGroup.objects.update_or_create(
                    group_id=group["code"], name_vi=name, defaults={"position": sub_position}
                )
        subgroups = {(s.group_id, s.name_vi): s for s in OcopSubGroup.objects.all()}
        for row in index:
            ProductCategory.objects.update_or_create(
                code=row["set_code"],
                defaults={
                    "subgroup": subgroups[(row["group_code"], row["nhom_vi"])],
                    "name_vi": row["name_vi"],
                    "name_en": row["name_en"].replace(" (unofficial translation)", ""),
                    "managing_agency_vi": row.get("managing_agency_vi", ""),
                    "sample_products_required": bool(row.get("sample_products_required", True)),
                },
            )
    return ProductCategory.objects.count()
