from django.core.management.base import BaseCommand

from places.models import CommuneGeometry
from places.services_geometry import commune_positions_from_records


class Command(BaseCommand):
    help = (
        "Derive approximate positions of communes without a loaded boundary from the mean position of "
        "their outlets and destinations (never replaces a loaded boundary). Safe to run again."
    )

    def handle(self, *args, **options):
        changed = commune_positions_from_records()
        loaded = CommuneGeometry.objects.filter(source=CommuneGeometry.Source.LOADED).count()
        derived = CommuneGeometry.objects.filter(source=CommuneGeometry.Source.RECORDS).count()
        self.stdout.write(
            f"Commune positions: {changed} written or removed; {loaded} communes with a loaded boundary, "
            f"{derived} with a position derived from records."
        )
