import time

from django.core.management.base import BaseCommand, CommandError

from opendata.services import open_data_build

DAY = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Build the public open data files of certified products (JSONL, CSV, metadata) in "
        "OCOP_OPEN_DATA_DIR. Safe to run at any time: each file is replaced whole, atomically."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Write here instead of OCOP_OPEN_DATA_DIR.")
        parser.add_argument("--loop", action="store_true", help="Keep running, once every --interval.")
        parser.add_argument(
            "--interval", type=int, default=DAY, help=f"Seconds between builds with --loop (default {DAY})."
        )

    def handle(self, *args, **options):
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second.")
        while True:
            # Healthchecks habit: a long-running loop that does the night's work, then sleeps.
            try:
                report = open_data_build(directory=options["directory"])
            except OSError as exc:
                raise CommandError(f"Could not write the open data files: {exc}") from exc
            changed = ", ".join(report.changed) or "no data file changed"
            self.stdout.write(
                f"{report.built_at}: {report.rows} product(s) written to {report.directory} ({changed})."
            )
            if not options["loop"]:
                break
            time.sleep(options["interval"])
