from django.core.management.base import BaseCommand

from scans.services import scans_purge


class Command(BaseCommand):
    help = (
        "Delete raw scans and shared places older than OCOP_SCAN_RETENTION_DAYS and visitor salts older "
        "than yesterday. Daily rollups, serial summaries and review cases are kept."
    )

    def handle(self, *args, **options):
        report = scans_purge()
        self.stdout.write(
            f"{report.scans} scan(s), {report.locations} shared place(s) and {report.salts} salt(s) deleted."
        )
