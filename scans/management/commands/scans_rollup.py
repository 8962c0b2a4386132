import time
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scans.services import scans_rollup
from scans.tasks import scans_daily_run


class Command(BaseCommand):
    help = (
        "Roll up scans per product and day (yesterday and today, Vietnam time) and delete raw scans "
        "past OCOP_SCAN_RETENTION_DAYS. Safe to run often: a day's rollups are recomputed, not added."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="Roll up only this day (YYYY-MM-DD), without purging.")
        parser.add_argument("--loop", action="store_true", help="Keep running, once every --interval.")
        parser.add_argument(
            "--interval", type=int, default=3600, help="Seconds between runs with --loop (default 3600)."
        )

    def handle(self, *args, **options):
        if options["day"] and options["loop"]:
            raise CommandError("--day and --loop do not go together: a loop always runs for today.")
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second.")
        if options["day"]:
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"--day must be a date like 2026-06-30, not {options['day']!r}.") from exc
            try:
                count = scans_rollup(day=day)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(f"{day.isoformat()}: {count} product(s) rolled up.")
            return
        while True:
            today = timezone.localdate()
            report = scans_daily_run(today=today)
            self.stdout.write(
                f"{today.isoformat()}: {report.flushed} waiting scan(s) written, "
                f"{report.products} product-day rollup(s), {report.scans_purged} old scan(s) and "
                f"{report.locations_purged} shared place(s) deleted, {report.salts_purged} salt(s) deleted."
            )
            if not options["loop"]:
                break
            time.sleep(options["interval"])
