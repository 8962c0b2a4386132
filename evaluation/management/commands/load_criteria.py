from django.core.management.base import BaseCommand

from evaluation.services_criteria import criteria_release_load, earlier_releases_load


class Command(BaseCommand):
    help = (
        "Load the OCOP criteria releases: 26/2026 with its 26 sets, and 148/2023 and 1048/2019 for history."
    )

    def handle(self, *args, **options):
        release, created = criteria_release_load()
        earlier = earlier_releases_load()
        state = "loaded" if created else "already loaded"
        self.stdout.write(
            f"Criteria: release {release.code} {state} ({release.criteria_sets.count()} sets); "
            f"{earlier} earlier release(s) added."
        )
