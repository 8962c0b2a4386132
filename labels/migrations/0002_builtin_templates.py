"""The built-in label templates, so a fresh database offers them at once (load_label_templates loads
the same file again, idempotently, after an edit)."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

TEMPLATES_FILE = Path(__file__).resolve().parent.parent / "data" / "templates.json"


def load(apps, schema_editor):
    LabelTemplate = apps.get_model("labels", "LabelTemplate")
    for position, row in enumerate(json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))):
        values = {
            key: (Decimal(str(value)) if key.endswith("_mm") else value)
            for key, value in row.items()
            if key != "code"
        }
        LabelTemplate.objects.update_or_create(code=row["code"], defaults={"position": position, **values})


class Migration(migrations.Migration):
    dependencies = [("labels", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
