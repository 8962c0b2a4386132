from django.core.management.base import BaseCommand

from registry.services_categories import categories_load


class Command(BaseCommand):
    help = "Load the 6 groups, 17 sub-groups and 26 criteria sets of Decision 26/2026/QĐ-TTg (Annex I)."

    def handle(self, *args, **options):
        self.stdout.write(f"Criteria sets: {categories_load()} loaded.")
