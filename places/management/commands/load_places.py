from django.core.management.base import BaseCommand

from places.services import places_current, places_load


class Command(BaseCommand):
    help = "Load the 34 provinces and all communes/wards/special zones from the vietnam-provinces package."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if this release is loaded.")

    def handle(self, *args, **options):
        if not options["force"] and places_current():
            self.stdout.write("Places: already loaded from this vietnam-provinces release.")
            return
        result = places_load()
        self.stdout.write(
            f"Places: {result.provinces} provinces, {result.communes} communes "
            f"({result.created} created, {result.updated} updated)."
        )
