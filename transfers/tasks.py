"""Imports run in the background (database worker) so a national file survives the browser closing."""

from django.tasks import task

from transfers.services import import_apply_run, import_preview_run


@task
def import_preview(job_id: int) -> str:
    return import_preview_run(job_id=job_id).status


@task
def import_apply(job_id: int) -> str:
    return import_apply_run(job_id=job_id).status
