"""The scans' daily job: write what this process still holds, roll up yesterday and today, purge raw
rows past OCOP_SCAN_RETENTION_DAYS. Run by `manage.py scans_rollup` (from cron, or with --loop), or
enqueued as a Task (`scans.tasks.scans_daily`) by a scheduler."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.tasks import task
from django.utils import timezone

from scans.buffer import scan_buffer
from scans.services import scans_purge, scans_rollup


@dataclass
class DailyReport:
    flushed: int = 0
    products: int = 0
    scans_purged: int = 0
    locations_purged: int = 0
    salts_purged: int = 0


def scans_daily_run(*, today: date) -> DailyReport:
    """Yesterday is rolled up again today: scans of its last minutes may have been written late."""
    report = DailyReport(flushed=scan_buffer.flush())
    for day in (today - timedelta(days=1), today):
        report.products += scans_rollup(day=day)
    purged = scans_purge()
    report.scans_purged, report.locations_purged, report.salts_purged = (
        purged.scans,
        purged.locations,
        purged.salts,
    )
    return report


@task
def scans_daily(today: str | None = None) -> dict[str, int]:
    """The daily job as a Task (`today` as an ISO date; default: today in Vietnam time)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return asdict(scans_daily_run(today=day))
