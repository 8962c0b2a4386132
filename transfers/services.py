"""Imports: upload (checked before anything is stored), preview in the background, apply all or
nothing when the official who uploaded it confirms. Rows are written through the registry and
certificate services, so each is checked like a form and audited."""

import hashlib
import json
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from ocop_hub.db import rows_append
from registry import access
from transfers import columns, plan, plan_history, readers
from transfers.models import ImportJob, ImportRow

PROGRESS_EVERY = 2000
WRITE_CHUNK = 2000
ROW_FIELDS = [
    "job",
    "position",
    "sheet",
    "kind",
    "row_no",
    "outcome",
    "label",
    "record",
    "errors",
    "changes",
    "notes",
]
PLANNERS = {
    "entities": (plan.plan_entity, plan.write_entities),
    "products": (plan.plan_product, plan.write_products),
    "recognitions": (plan_history.plan_recognition, plan_history.write_recognitions),
    "certificates": (plan_history.plan_certificate, plan_history.write_certificates),
}


class ApplyRefused(Exception):
    """A row no longer passes at confirmation (someone changed the data since the preview)."""


def _require_official(actor) -> None:
    if not access.scope_of(actor).is_official:
        raise PermissionDenied(_("Only commune, province and national officials can import files."))


def import_job_create(*, actor, upload, kind_hint: str = "") -> ImportJob:
    """Store an uploaded file for preview, after the checks that need no parsing (size, type)."""
    _require_official(actor)
    if kind_hint and kind_hint not in columns.KINDS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    size = upload.size or 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        readers.file_format(head, size)
    except readers.FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob(
            created_by=actor,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            original_name=(upload.name or "import")[:255],
            size_bytes=size,
            sha256=digest.hexdigest(),
            kind_hint=kind_hint,
        )
        job.file.save(f"import-{digest.hexdigest()[:16]}", File(upload), save=False)
        job.save()
        audit_record(
            actor=actor,
            action="import.upload",
            obj=job,
            after={"file": job.original_name, "sha256": job.sha256},
        )
        transaction.on_commit(lambda: _enqueue("preview", job))
    return job


def _enqueue(step: str, job: ImportJob) -> None:
    from transfers import tasks

    task = tasks.import_preview if step == "preview" else tasks.import_apply
    result = task.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


def _progress(job: ImportJob, done: int, total: int) -> None:
    """Inside the apply transaction the job row cannot show progress to other connections: the
    progress goes to a cache every process sees (Redis, or files under var/ on one machine)."""
    caches["progress"].set(f"import-progress-{job.pk}", (done, total), 3600)
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)


def progress_of(job: ImportJob) -> tuple[int, int]:
    cached = caches["progress"].get(f"import-progress-{job.pk}")
    return tuple(cached) if cached else (job.progress_done, job.progress_total)  # type: ignore[return-value]


# --- preview ----------------------------------------------------------------------------------------


def _read(job: ImportJob) -> None:
    """Stream the file's rows into ImportRow records (batched), remembering each sheet's columns."""
    position = 0
    batch: list[tuple] = []
    sheets: dict[str, dict] = {}
    notices: list[str] = []
    with job.file.open("rb") as stream:
        for sheet in readers.sheets(stream, name=job.original_name, size=job.size_bytes, hint=job.kind_hint):
            assert sheet.kind is not None
            letters = {key: _column_label(pos, sheet) for pos, key in sheet.columns.items()}
            sheets[sheet.name] = {"kind": sheet.kind.key, "columns": letters, "header_row": sheet.header_row}
            if sheet.missing:
                raise readers.FileRefused(
                    _("The sheet “%(sheet)s” (%(kind)s) lacks the required columns: %(columns)s.")
                    % {"sheet": sheet.name, "kind": sheet.kind.label, "columns": ", ".join(sheet.missing)}
                )
            if sheet.ignored:
                notices.append(
                    _("Sheet “%(sheet)s”: columns not used: %(columns)s.")
                    % {"sheet": sheet.name, "columns": ", ".join(sheet.ignored[:10])}
                )
            notices.extend(f"{sheet.name}: {n}" for n in sheet.notices)
            for row_no, record in sheet.rows:
                position += 1
                batch.append(
                    (
                        job.pk,
                        position,
                        sheet.name[:100],
                        sheet.kind.key,
                        row_no,
                        "",
                        "",
                        json.dumps(_jsonable(record), ensure_ascii=False),
                        "[]",
                        "[]",
                        "[]",
                    )
                )
                if len(batch) >= PROGRESS_EVERY:
                    rows_append(ImportRow, ROW_FIELDS, batch)
                    batch = []
                    _progress(job, position, 0)
    rows_append(ImportRow, ROW_FIELDS, batch)
    if position == 0:
        raise readers.FileRefused(_("The file has a header row but no data rows."))
    job.sheets = sheets
    job.notices = notices
    job.progress_total = position
    job.save(update_fields=["sheets", "notices", "progress_total"])


def _column_label(position: int, sheet: readers.Sheet) -> str:
    from openpyxl.utils.cell import get_column_letter

    header = sheet.headers[position].strip() if position < len(sheet.headers) else ""
    return f"{get_column_letter(position + 1)} “{header}”" if header else get_column_letter(position + 1)


def _jsonable(record: dict) -> dict:
    out: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, readers.FormulaWithoutValue):
            out[key] = {"formula": str(value)}
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()[:10]
        elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            out[key] = int(value)
        else:
            out[key] = value
    return out


def _records(job: ImportJob, kind: str) -> Iterator[tuple[int, int, dict]]:
    rows = ImportRow.objects.filter(job=job, kind=kind).order_by("position")
    for row_id, row_no, record in rows.values_list("id", "row_no", "record").iterator(chunk_size=2000):
        yield row_id, row_no, _formula_free(record)


def _formula_free(record: dict) -> dict:
    return {k: (None if isinstance(v, dict) else v) for k, v in record.items()}


def _formula_errors(job: ImportJob, kind: str) -> dict[int, list[dict[str, str]]]:
    """Formulas saved without a computed value (written by a program, not Excel) cannot be read."""
    found: dict[int, list[dict[str, str]]] = {}
    rows = ImportRow.objects.filter(job=job, kind=kind).values_list("id", "record")
    for row_id, record in rows.iterator(chunk_size=2000):
        for key, value in record.items():
            if isinstance(value, dict) and "formula" in value:
                found.setdefault(row_id, []).append(
                    {
                        "column": key,
                        "message": _(
                            "Cell %(cell)s holds a formula without a computed value: open the file in Excel, "
                            "save it, or paste the values."
                        )
                        % {"cell": value["formula"]},
                    }
                )
    return found


def _outcome_row(planned: plan.Planned) -> tuple:
    return (
        planned.outcome,
        planned.label[:300],
        json.dumps(planned.errors, ensure_ascii=False),
        json.dumps(planned.changes, ensure_ascii=False),
        json.dumps(planned.notes, ensure_ascii=False),
        planned.row_id,
    )


def _plan_all(job: ImportJob, ctx: plan.Context, *, write_reason: str | None) -> Counter:
    """Plan every kind in dependency order. In apply mode rows are written in chunks as they are
    planned (memory stays flat); the first row in error stops the writing, the rest of the kind is
    still planned so every error is reported, then the transaction is rolled back."""
    counts: Counter = Counter()
    done = 0
    kinds_present = set(ImportRow.objects.filter(job=job).values_list("kind", flat=True).distinct())
    updates: list[tuple] = []
    failing = False
    for kind in columns.ORDER:
        if kind not in kinds_present:
            continue
        planner, writer = PLANNERS[kind]
        formula = _formula_errors(job, kind)
        # A product's certificates are ordered by date before their status is known: keep them all.
        whole = kind == "certificates"
        chunk: list[plan.Planned] = []
        for planned in plan.plan_rows(planner, ctx, _records(job, kind)):
            if planned.row_id in formula:
                planned.outcome, planned.op = "error", None
                planned.errors = formula[planned.row_id] + planned.errors
            chunk.append(planned)
            done += 1
            if done % PROGRESS_EVERY == 0:
                _progress(job, done, job.progress_total)
            if not whole and len(chunk) >= WRITE_CHUNK:
                failing = _chunk_done(ctx, chunk, kind, writer, write_reason, counts, updates, failing)
                chunk = []
        if whole:
            plan_history.certificates_finish(ctx, chunk)
        failing = _chunk_done(ctx, chunk, kind, writer, write_reason, counts, updates, failing)
        if failing:
            raise ApplyRefused(updates)
    _progress(job, done, job.progress_total)
    job._row_updates = updates  # type: ignore[attr-defined]
    return counts


def _chunk_done(ctx, chunk, kind, writer, write_reason, counts, updates, failing) -> bool:
    for planned in chunk:
        counts[(kind, planned.outcome)] += 1
        updates.append(_outcome_row(planned))
    if write_reason is None:
        return False
    failing = failing or any(p.outcome == "error" for p in chunk)
    if not failing:
        writer(ctx, chunk, write_reason)
    return failing


def _store_outcomes(updates: list[tuple]) -> None:
    table = ImportRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET outcome = %s, label = %s, errors = %s, changes = %s, notes = %s "  # noqa: S608
            "WHERE id = %s",
            updates,
        )


def _counts_json(counts: Counter) -> dict:
    out: dict[str, dict[str, int]] = {}
    for (kind, outcome), n in counts.items():
        out.setdefault(kind, {"create": 0, "update": 0, "unchanged": 0, "error": 0})[outcome] = n
    return out


def import_preview_run(*, job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.PREVIEWING):
        return job
    with translation.override(job.language):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEWING)
        ImportRow.objects.filter(job=job).delete()
        try:
            _read(job)
            ctx = plan.Context(actor=job.created_by, apply=False)
            counts = _plan_all(job, ctx, write_reason=None)
        except readers.FileRefused as exc:
            ImportRow.objects.filter(job=job).delete()
            job.status, job.message = ImportJob.Status.REFUSED, str(exc)
            job.save(update_fields=["status", "message", "sheets", "notices"])
            return job
        _store_outcomes(job._row_updates)  # type: ignore[attr-defined]
        job.counts = _counts_json(counts)
        job.status = ImportJob.Status.PREVIEWED
        job.previewed_at = timezone.now()
        job.progress_done = job.progress_total
        job.save(update_fields=["counts", "status", "previewed_at", "progress_done"])
    return job


# --- apply ------------------------------------------------------------------------------------------


def import_apply_confirm(*, actor, job: ImportJob) -> ImportJob:
    """The official who uploaded the file (or a national official) confirms its preview."""
    if job.created_by_id != actor.pk and not access.scope_of(actor).national:
        raise PermissionDenied(_("Only the official who uploaded this file can confirm it."))
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportJob.Status.PREVIEWED:
            raise ValidationError(
                _("This import is not waiting for confirmation (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        if locked.error_count:
            raise ValidationError(
                _(
                    "%(count)s rows have errors. Correct them in the file and upload it again: "
                    "a file is imported whole or not at all."
                )
                % {"count": locked.error_count}
            )
        locked.status = ImportJob.Status.APPLYING
        locked.progress_done = 0
        locked.task_id = ""
        locked.save(update_fields=["status", "progress_done", "task_id"])
        audit_record(actor=actor, action="import.confirm", obj=locked, after={"counts": locked.counts})
        transaction.on_commit(lambda: _enqueue("apply", locked))
    return locked


def import_apply_run(*, job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.APPLYING:
        return job
    reason = _("Import #%(job)s (%(file)s)") % {"job": job.pk, "file": job.original_name}
    with translation.override(job.language):
        try:
            with transaction.atomic():
                ctx = plan.Context(actor=job.created_by, apply=True)
                counts = _plan_all(job, ctx, write_reason=reason)
        except ApplyRefused as exc:
            _store_outcomes(exc.args[0])
            job.status = ImportJob.Status.FAILED
            job.message = _(
                "Nothing was written: some rows no longer pass (the data changed since the preview)."
            )
            job.save(update_fields=["status", "message"])
            return job
        except (ValidationError, PermissionDenied) as exc:
            job.status = ImportJob.Status.FAILED
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            job.message = _("Nothing was written: %(reason)s") % {"reason": " ".join(messages)}
            job.save(update_fields=["status", "message"])
            return job
        _store_outcomes(job._row_updates)  # type: ignore[attr-defined]
        job.counts = _counts_json(counts)
        job.status = ImportJob.Status.APPLIED
        job.applied_at = timezone.now()
        job.progress_done = job.progress_total
        job.save(update_fields=["counts", "status", "applied_at", "progress_done"])
        caches["progress"].delete(f"import-progress-{job.pk}")
    return job


def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    if job.created_by_id != actor.pk and not access.scope_of(actor).national:
        raise PermissionDenied(_("Only the official who uploaded this file can cancel it."))
    if job.status not in (ImportJob.Status.PREVIEWED, ImportJob.Status.REFUSED, ImportJob.Status.FAILED):
        raise ValidationError(_("This import can no longer be cancelled."))
    job.status = ImportJob.Status.CANCELLED
    job.save(update_fields=["status"])
    audit_record(actor=actor, action="import.cancel", obj=job)
    return job
