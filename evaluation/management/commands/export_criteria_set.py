import json

from django.core.management.base import BaseCommand, CommandError

from evaluation.models import CriteriaSet
from evaluation.selectors import criteria_set_export


class Command(BaseCommand):
    help = "Print a criteria set as JSON (the shape import_criteria_set reads)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="e.g. QD26-11")
        parser.add_argument("--release", default="26/2026")

    def handle(self, *args, code, release, **options):
        criteria_set = CriteriaSet.objects.filter(code=code, release__code=release).first()
        if criteria_set is None:
            raise CommandError(f"No criteria set {code} in release {release}.")
        self.stdout.write(json.dumps(criteria_set_export(criteria_set), ensure_ascii=False, indent=1))
