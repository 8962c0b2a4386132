"""Reads of imports: an official sees the imports they uploaded; a national official sees all."""

from django.db.models import QuerySet

from registry import access
from transfers.models import ImportJob, ImportRow


def imports_visible_to(user) -> QuerySet[ImportJob]:
    scope = access.scope_of(user)
    if scope.national:
        return ImportJob.objects.select_related("created_by")
    if not scope.is_official:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=user).select_related("created_by")


def import_detail(user, pk: int) -> ImportJob:
    return imports_visible_to(user).get(pk=pk)


def import_rows(job: ImportJob, *, outcome: str = "") -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(job=job).defer("record")
    return rows.filter(outcome=outcome) if outcome else rows


def import_counts(job: ImportJob) -> list[tuple[str, dict[str, int]]]:
    from transfers.columns import KINDS, ORDER

    return [(str(KINDS[k].label), job.counts[k]) for k in ORDER if k in job.counts]
