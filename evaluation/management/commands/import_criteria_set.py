import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluation.criteria_xlsx import criteria_set_from_xlsx
from evaluation.models import CriteriaRelease
from evaluation.services_criteria import criteria_set_import


class Command(BaseCommand):
    help = "Add a criteria set from a JSON or XLSX file to a release (validated first; nothing on error)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--release", required=True, help="code of an existing release, e.g. 26/2026")

    def handle(self, *args, file: Path, release: str, **options):
        target = CriteriaRelease.objects.filter(code=release).first()
        if target is None:
            raise CommandError(f"No release {release}.")
        try:
            if file.suffix.lower() == ".xlsx":
                data = criteria_set_from_xlsx(file.read_bytes())
            else:
                data = json.loads(file.read_text(encoding="utf-8"))
            criteria_set = criteria_set_import(actor=None, release=target, data=data)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"Imported {criteria_set}.")
