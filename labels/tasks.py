"""Big label jobs run in the database worker: the browser can close, the job page shows progress."""

from django.tasks import task

from labels.services import label_job_run


@task
def label_job_render(job_id: int) -> str:
    return label_job_run(job_id=job_id).status
