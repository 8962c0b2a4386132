from django.core.management.base import BaseCommand

from places.services import places_load


class Command(BaseCommand):
    help = "Load the 34 provinces and all communes/wards/special zones from the vietnam-provinces package."

    def handle(self, *args, **options):
        result = places_load()
        self.stdout.write(
            f"Places: {result.provinces} provinces, {result.communes} communes "
            f"({result.created} created, {result.updated} updated)."
        )
