import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from places.services_geometry import CommuneGeometryRefused, commune_geometry_load


class Command(BaseCommand):
    help = (
        "Load communes' boundaries (or points) from a GeoJSON FeatureCollection whose features carry the "
        "commune code (property code, ma_xa or commune_code). Checked first; any refused feature means "
        "nothing is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            default="",
            help="where the boundaries come from, e.g. 'Sở Nông nghiệp và Môi trường Lào Cai, 2025' "
            "(default: the file's own 'source' or 'name' member)",
        )

    def handle(self, *args, file: Path, source: str, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if not source and isinstance(data, dict):
            source = str(data.get("source") or data.get("name") or "")
        try:
            result = commune_geometry_load(data, source=source)
        except CommuneGeometryRefused as exc:
            for refusal in exc.refusals:
                self.stderr.write(f"Refused: {refusal}")
            raise CommandError(
                f"{len(exc.refusals)} feature(s) refused: nothing was loaded. "
                "Correct them and load the file again."
            ) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"Loaded {len(result.communes)} communes from {file} ({result.created} new, {result.updated} "
            f"replaced; {result.vertices} points after simplification). Source: {source}"
        )
        for code in result.communes:
            self.stdout.write(f"  {code}")
