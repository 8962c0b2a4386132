import time

from django.core.management.base import BaseCommand

from market.services_search import search_index_rebuild, search_index_refresh


class Command(BaseCommand):
    help = (
        "Bring the public product search index up to date with the registry (searches do this by "
        "themselves after any change made through the services); --rebuild indexes everything again, "
        "e.g. after data was loaded without the services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Index every public product again.")

    def handle(self, *args, rebuild: bool = False, **options):
        started = time.perf_counter()
        if rebuild:
            count = search_index_rebuild()
            done = f"Search index rebuilt: {count} public products"
        else:
            count = search_index_refresh()
            done = f"Search index refreshed: {count} products looked at"
        self.stdout.write(f"{done} in {time.perf_counter() - started:.1f} s.")
