"""The nightly open data build as a Task, for a scheduler that enqueues tasks; `manage.py
build_open_data` (from cron, or with --loop) runs the same service."""

from typing import Any

from django.tasks import task

from opendata.services import open_data_build


@task
def open_data_nightly() -> dict[str, Any]:
    return open_data_build().as_dict()
