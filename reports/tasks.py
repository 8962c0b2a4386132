"""The monthly reports as a Task. Once run by the database worker, it schedules its next run for the
first day of the next month (06:00 local time), so `manage.py send_monthly_reports --schedule`, which
`make run` calls, is enough to keep the reports going; a backend that cannot defer tasks (the immediate
one) sends and schedules nothing more: use cron with `manage.py send_monthly_reports` instead."""

from datetime import date, datetime, time

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.figures_activity import month_start
from reports.monthly import monthly_reports_send, previous_month

RUN_AT = time(6, 0)


def next_run(now: datetime) -> datetime:
    """06:00 local time on the first day of the month after `now`'s."""
    first = month_start(timezone.localtime(now).date(), -1)
    return timezone.make_aware(datetime.combine(first, RUN_AT))


def monthly_reports_schedule(*, now: datetime | None = None) -> datetime | None:
    """Enqueue the next run unless one is already waiting; its time, or None if the task backend
    cannot run a task later."""
    backend = monthly_reports.get_backend()
    if not backend.supports_defer:
        return None
    waiting = DBTaskResult.objects.filter(
        task_path=monthly_reports.module_path, status=TaskResultStatus.READY
    ).order_by("run_after")
    first = waiting.first()
    if first is not None:
        return first.run_after
    when = next_run(now or timezone.now())
    monthly_reports.using(run_after=when).enqueue()
    return when


@task
def monthly_reports(month: str | None = None) -> dict:
    """Send the reports of `month` (YYYY-MM-DD, any day of it; default: the month that has just ended)
    to every province not yet sent, then schedule the next run."""
    chosen = date.fromisoformat(month) if month else previous_month(timezone.localdate())
    run = monthly_reports_send(chosen)
    # The run itself is no longer READY, so the next one is enqueued.
    monthly_reports_schedule()
    return run.as_dict()
