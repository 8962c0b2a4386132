from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from places.models import Province
from reports.monthly import monthly_reports_send, previous_month
from reports.tasks import monthly_reports_schedule


class Command(BaseCommand):
    help = (
        "E-mail each province's OCOP report for a month to its province officials (PDF and Excel "
        "attached). Safe to run often: a province's report for a month is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", help="The month to report, YYYY-MM (default: the month that has ended)."
        )
        parser.add_argument("--province", action="append", help="Only this province (its code); repeatable.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Send nothing now: have the background worker send them on the first of every month.",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            when = monthly_reports_schedule()
            if when is None:
                raise CommandError(
                    "This task backend cannot run tasks later: run this command from cron instead."
                )
            self.stdout.write(
                f"Monthly reports scheduled: next run {timezone.localtime(when):%Y-%m-%d %H:%M}."
            )
            return
        month = previous_month(timezone.localdate())
        if options["month"]:
            try:
                month = date.fromisoformat(options["month"] + "-01")
            except ValueError as exc:
                raise CommandError(f"--month must look like 2026-11, not {options['month']!r}.") from exc
            if month > timezone.localdate():
                raise CommandError("--month cannot be in the future.")
        provinces = options["province"]
        if provinces:
            unknown = sorted(
                set(provinces)
                - set(Province.objects.filter(code__in=provinces).values_list("code", flat=True))
            )
            if unknown:
                raise CommandError(f"Unknown province code(s): {', '.join(unknown)}.")
        run = monthly_reports_send(month, provinces=provinces)
        self.stdout.write(
            f"{month:%m/%Y}: sent to {len(run.sent)} province(s) {' '.join(run.sent)}; "
            f"{len(run.already_sent)} sent before, {len(run.without_recipients)} without an official's "
            f"e-mail address, {len(run.failed)} failed {' '.join(run.failed)}."
        )
        if run.failed:
            raise CommandError("Some reports were not sent; run again to retry them.")
