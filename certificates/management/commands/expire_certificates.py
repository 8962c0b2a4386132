import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates.tasks import certificates_daily_run


class Command(BaseCommand):
    help = (
        "Lapse certificates past their validity and e-mail re-evaluation reminders. Safe to run "
        "often: each certificate lapses once and each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD), to catch up.")
        parser.add_argument("--loop", action="store_true", help="Keep running, once every --interval.")
        parser.add_argument(
            "--interval", type=int, default=3600, help="Seconds between runs with --loop (default 3600)."
        )

    def handle(self, *args, **options):
        if options["today"] and options["loop"]:
            raise CommandError("--today and --loop do not go together: a loop always runs for today.")
        try:
            fixed_day = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-06-30, not {options['today']!r}.") from exc
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second.")
        while True:
            # Healthchecks habit: a long-running loop that does the day's work, then sleeps.
            today = fixed_day or timezone.localdate()
            report = certificates_daily_run(today=today)
            self.stdout.write(
                f"{today.isoformat()}: {report.lapsed} certificate(s) lapsed, {report.reminded} "
                f"reminder(s) sent ({report.already_reminded} sent before, {report.without_email} "
                f"without an e-mail address, {report.failed} failed)."
            )
            if not options["loop"]:
                break
            time.sleep(options["interval"])
