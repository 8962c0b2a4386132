"""Writes of label sheets: built-in templates loaded from data, print jobs created (checked, audited)
and rendered — small ones at once, big ones by the database worker on every core (labels.render)."""

import json
import logging
import os
import tempfile
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from certificates.selectors import current_certificate
from labels import render
from labels.models import LabelJob, LabelTemplate
from registry import access
from registry.models import Product
from traceability import digital_link, platform_ids
from traceability import selectors as trace_selectors
from traceability import services as trace_services
from traceability.models import Lot, SerialRange

TEMPLATES_FILE = Path(__file__).resolve().parent / "data" / "templates.json"
TEMPLATE_FIELDS = [
    f.name for f in LabelTemplate._meta.get_fields() if f.concrete and f.name not in ("id", "code")
]
PROGRESS_KEY = "label-progress-{}"
logger = logging.getLogger(__name__)


def _problem_messages() -> dict[str, str]:
    return {
        "not_a_number": _("Every size, margin and gap must be a number of millimetres."),
        "label_too_small": _("A label must be at least 10 mm wide and 10 mm high: a QR code needs room."),
        "negative": _("Margins, gaps and padding cannot be negative."),
        "roll_too_wide": _("A roll label cannot be bigger than an A4 page (210 × 297 mm)."),
        "does_not_fit": _("Not even one label fits on an A4 sheet with these margins: make them smaller."),
        "no_room_for_text": _(
            "There is no room beside the QR code for the texts: make the label wider, or print only the "
            "QR code and its short code."
        ),
    }


def template_problems(template: LabelTemplate) -> list[str]:
    """What stops a template from printing, in words a user can act on (empty when it is fine)."""
    try:
        sheet = template.sheet()
    except (TypeError, ValueError, InvalidOperation):
        return [_problem_messages()["not_a_number"]]
    messages = _problem_messages()
    return [messages[code] for code in render.layout_problems(sheet, template.face())]


def templates_load(path: Path = TEMPLATES_FILE) -> int:
    """The built-in templates, idempotently: a template is created or brought back to the file's values;
    templates added in the admin are left alone. A template the file describes wrongly is refused whole."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        for position, row in enumerate(rows):
            values = {key: row[key] for key in TEMPLATE_FIELDS if key in row}
            for key, value in values.items():
                if key.endswith("_mm"):
                    values[key] = Decimal(str(value))
            template = LabelTemplate(code=row["code"], position=position, **values)
            problems = template_problems(template)
            if problems:
                raise ValidationError(f"{row['code']}: {' '.join(problems)}")
            LabelTemplate.objects.update_or_create(
                code=row["code"], defaults={"position": position, **values}
            )
    return len(rows)


# --- jobs --------------------------------------------------------------------------------------------


def uri_prefix(serial_range: SerialRange) -> str:
    """The Digital Link of the range's GTIN and lot (or the platform identifier without a GTIN), checked
    once; each serial is appended as DigitalLink.path() writes it, exactly as the serial CSV does."""
    base = settings.OCOP_PUBLIC_BASE_URL
    lot_code = serial_range.lot.code if serial_range.lot else ""
    gtin = serial_range.packaging.gtin if serial_range.packaging else ""
    if gtin:
        return digital_link.build(gtin=gtin, lot=lot_code, base=base)
    return platform_ids.build(product_id=serial_range.product_id, lot=lot_code, base=base)


def _face(job: LabelJob) -> render.Face:
    lot = job.lot
    certificate = current_certificate(job.product_id)
    return job.template.face(
        product_name=job.product.name_vi,
        stars=certificate.stars if certificate else 0,
        lot=lot.code if lot else "",
        expiry=lot.expiry_date.strftime("%d/%m/%Y") if lot and lot.expiry_date else "",
    )


def _labels(job: LabelJob):
    prefix = uri_prefix(job.serial_range)
    values = islice(trace_selectors.serial_values(job.serial_range), job.first - 1, job.first - 1 + job.count)
    for value in values:
        yield value, f"{prefix}/21/{digital_link.encode_value(value)}", value


def label_job_create(
    *,
    actor,
    product: Product,
    template: LabelTemplate | None,
    serial_range: SerialRange | None,
    output_format: str,
    count: int | None = None,
    first: int | None = None,
    lot: Lot | None = None,
) -> LabelJob:
    """A print job for `count` serials of a range from position `first` (1 = the first issued). Every
    refusal names the field and changes nothing; jobs up to OCOP_LABELS_SYNC_LIMIT labels are rendered
    before this returns, bigger ones by the background worker."""
    access.require(access.can_manage_product(actor, product))
    errors: dict[str, str] = {}
    if template is None or not template.active:
        errors["template"] = _("Choose one of the label templates offered.")
    if output_format not in LabelJob.Format.values:
        errors["output_format"] = _("Choose a format offered: PDF, ZIP of SVG or PNG images, or CSV.")
    if serial_range is None or serial_range.product_id != product.pk:
        errors["serial_range"] = _("Choose a serial range of this product.")
    elif lot is not None and serial_range.lot_id != lot.pk:
        errors["serial_range"] = _(
            "This serial range was issued for another lot: choose a range of lot %(lot)s."
        ) % {"lot": lot.code}
    if lot is not None and lot.product_id != product.pk:
        errors["lot"] = _("This lot belongs to another product.")
    if errors:
        raise ValidationError(errors)
    assert serial_range is not None and template is not None
    lot = serial_range.lot
    if lot is not None and lot.status == Lot.Status.RECALLED:
        raise ValidationError({"lot": _("This lot is recalled: its labels must not be printed.")})
    first = 1 if first is None else first
    count = serial_range.count - first + 1 if count is None else count
    limit = settings.OCOP_LABELS_MAX_PER_JOB
    if not isinstance(first, int) or not 1 <= first <= serial_range.count:
        errors["first"] = _("The range holds serials 1 to %(count)s: start within it.") % {
            "count": f"{serial_range.count:,}"
        }
    elif not isinstance(count, int) or count < 1:
        errors["count"] = _("Print at least one label.")
    elif first + count - 1 > serial_range.count:
        errors["count"] = _(
            "The range holds %(count)s serials: from serial %(first)s you can print at most %(left)s labels."
        ) % {
            "count": f"{serial_range.count:,}",
            "first": first,
            "left": f"{serial_range.count - first + 1:,}",
        }
    elif count > limit:
        errors["count"] = _("Print at most %(limit)s labels in one job.") % {"limit": f"{limit:,}"}
    if errors:
        raise ValidationError(errors)
    job = LabelJob(
        created_by=actor,
        product=product,
        lot=lot,
        serial_range=serial_range,
        template=template,
        output_format=output_format,
        first=first,
        count=count,
    )
    # The symbol a label of this job gets (all its URIs have the same length): refused before anything
    # is stored if the template's QR box cannot give a module 3 printer dots wide.
    sample = render.qr_text(
        f"{uri_prefix(serial_range)}/21/{'W' * 12}", uppercase_host=settings.OCOP_LABELS_QR_UPPERCASE_HOST
    )
    if output_format != LabelJob.Format.CSV:
        probe = render.probe(template.sheet(), template.face(), sample)
        if probe.module_dots < render.MIN_MODULE_DOTS:
            raise ValidationError(
                {
                    "template": _(
                        "This template is too small for these codes (QR version %(version)s): a module "
                        "would be under 0.25 mm. Choose a bigger label."
                    )
                    % {"version": probe.version}
                }
            )
        job.qr_version, job.qr_error, job.module_dots = probe.version, probe.error, probe.module_dots
    with transaction.atomic():
        job.save()
        audit_record(
            actor=actor,
            action="labels.job_create",
            obj=job,
            after={
                "range": serial_range.pk,
                "lot": lot.pk if lot else None,
                "template": template.code,
                "format": output_format,
                "first": first,
                "count": count,
            },
        )
        if count > settings.OCOP_LABELS_SYNC_LIMIT:
            transaction.on_commit(lambda: _enqueue(job))
    if count <= settings.OCOP_LABELS_SYNC_LIMIT:
        label_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


def _enqueue(job: LabelJob) -> None:
    from labels import tasks

    result = tasks.label_job_render.enqueue(job.pk)
    LabelJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


def _progress(job: LabelJob, done: int) -> None:
    caches["progress"].set(PROGRESS_KEY.format(job.pk), done, 3600)


def progress_of(job: LabelJob) -> int:
    cached = caches["progress"].get(PROGRESS_KEY.format(job.pk))
    return int(cached) if cached is not None else job.progress_done


def label_job_run(*, job_id: int) -> LabelJob:
    """Render a queued job into its file (the task's body; small jobs call it directly). A job that
    fails says why on its page and keeps no half-written file."""
    with transaction.atomic():
        job = (
            LabelJob.objects.select_for_update(of=("self",))  # PostgreSQL locks no outer-joined row
            .select_related("template", "serial_range__packaging", "serial_range__lot", "lot")
            .get(pk=job_id)
        )
        if job.status != LabelJob.Status.QUEUED:
            return job
        job.status = LabelJob.Status.RUNNING
        job.save(update_fields=["status"])
    job.product = Product.objects.prefetch_related("translations").get(pk=job.product_id)
    directory = Path(settings.MEDIA_ROOT) / "labels" / "tmp"
    directory.mkdir(parents=True, exist_ok=True)
    handle, path = tempfile.mkstemp(prefix=f"job-{job.pk}-", suffix=f".{job.extension}", dir=directory)
    os.close(handle)
    try:
        render.fonts_register(str(settings.OCOP_FONT_REGULAR), str(settings.OCOP_FONT_BOLD))
        result = render.output_write(
            path,
            output_format=job.output_format,
            sheet=job.template.sheet(),
            face=_face(job),
            labels=_labels(job),
            workers=render.workers_for(job.count, settings.OCOP_LABELS_WORKERS),
            uppercase_host=settings.OCOP_LABELS_QR_UPPERCASE_HOST,
            progress=lambda done: _progress(job, done),
        )
        if result.labels != job.count:
            raise RuntimeError(f"{result.labels} labels written, {job.count} expected")
        name = f"nhan-{job.product_id}-{job.pk}.{job.extension}"
        with open(path, "rb") as stream:
            job.output.save(name, File(stream), save=False)
    except Exception:
        # The page must say the job failed (not stay "printing"), without a stack trace; the log has it.
        logger.exception("label job %s failed", job.pk)
        job.status = LabelJob.Status.FAILED
        with translation.override(settings.LANGUAGE_CODE):
            job.error = _(
                "The labels could not be made. Start the job again; if it fails again, tell the "
                "platform's administrators (job #%(job)s)."
            ) % {"job": job.pk}
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    finally:
        Path(path).unlink(missing_ok=True)
    if job.output_format != LabelJob.Format.CSV:
        job.qr_version, job.qr_error, job.module_dots = result.version, result.error, result.module_dots
    job.pages = result.pages
    job.progress_done = result.labels
    job.size_bytes = job.output.size
    job.status = LabelJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    trace_services.serials_mark_printed(
        actor=job.created_by, serial_range=job.serial_range, first=job.first, count=job.count
    )
    caches["progress"].delete(PROGRESS_KEY.format(job.pk))
    return job
