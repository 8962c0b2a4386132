"""Label templates (rules as data: sizes and layouts loaded from labels/data/templates.json and
editable in the admin) and the print jobs producers start from a lot's serial range."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from labels import render


class LabelTemplate(models.Model):
    class Layout(models.TextChoices):
        SHEET = "sheet", _("A4 sheet")
        ROLL = "roll", _("Roll")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    layout = models.CharField(_("layout"), max_length=5, choices=Layout.choices)
    label_width_mm = models.DecimalField(_("label width (mm)"), max_digits=6, decimal_places=2)
    label_height_mm = models.DecimalField(_("label height (mm)"), max_digits=6, decimal_places=2)
    margin_left_mm = models.DecimalField(
        _("left and right margin (mm)"), max_digits=6, decimal_places=2, default=0
    )
    margin_top_mm = models.DecimalField(
        _("top and bottom margin (mm)"), max_digits=6, decimal_places=2, default=0
    )
    gap_x_mm = models.DecimalField(_("gap between columns (mm)"), max_digits=6, decimal_places=2, default=0)
    gap_y_mm = models.DecimalField(_("gap between rows (mm)"), max_digits=6, decimal_places=2, default=0)
    padding_mm = models.DecimalField(
        _("padding inside a label (mm)"), max_digits=6, decimal_places=2, default=1.5
    )
    show_name = models.BooleanField(_("product name"), default=True)
    show_stars = models.BooleanField(_("star badge"), default=True)
    show_lot = models.BooleanField(_("lot"), default=True)
    show_expiry = models.BooleanField(_("expiry date"), default=True)
    show_code = models.BooleanField(_("short code under the QR"), default=True)
    active = models.BooleanField(_("offered to producers"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("label template")
        verbose_name_plural = _("label templates")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def sheet(self) -> render.Sheet:
        return render.Sheet(
            roll=self.layout == self.Layout.ROLL,
            label_w_mm=float(self.label_width_mm),
            label_h_mm=float(self.label_height_mm),
            margin_left_mm=float(self.margin_left_mm),
            margin_top_mm=float(self.margin_top_mm),
            gap_x_mm=float(self.gap_x_mm),
            gap_y_mm=float(self.gap_y_mm),
            padding_mm=float(self.padding_mm),
        )

    def face(self, **texts) -> render.Face:
        return render.Face(
            show_name=self.show_name,
            show_stars=self.show_stars,
            show_lot=self.show_lot,
            show_expiry=self.show_expiry,
            show_code=self.show_code,
            **texts,
        )

    def clean(self) -> None:
        # The admin edits templates: the same checks as the loader (labels.services.template_problems).
        from labels.services import template_problems

        problems = template_problems(self)
        if problems:
            raise ValidationError(problems)


class LabelJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF for printing")
        ZIP_SVG = "zip_svg", _("ZIP of SVG images")
        ZIP_PNG = "zip_png", _("ZIP of PNG images (300 dpi)")
        CSV = "csv", _("CSV of codes (for the printer's software)")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="label_jobs")
    lot = models.ForeignKey(
        "traceability.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="label_jobs"
    )
    serial_range = models.ForeignKey(
        "traceability.SerialRange", on_delete=models.PROTECT, related_name="label_jobs"
    )
    template = models.ForeignKey(LabelTemplate, on_delete=models.PROTECT, related_name="jobs")
    output_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    first = models.PositiveIntegerField(_("first serial (position in the range)"), default=1)
    count = models.PositiveIntegerField(_("labels"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    qr_version = models.PositiveSmallIntegerField(_("QR version"), default=0)
    qr_error = models.CharField(_("QR error correction"), max_length=1, blank=True)
    module_dots = models.PositiveSmallIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    output = models.FileField(upload_to="labels/%Y/%m/", blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    RUNNING = (Status.QUEUED, Status.RUNNING)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("label job")
        verbose_name_plural = _("label jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.count} × {self.template_id}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def module_mm(self) -> float:
        return round(self.module_dots * 25.4 / render.PRINTER_DPI, 3)

    @property
    def extension(self) -> str:
        return {"pdf": "pdf", "csv": "csv"}.get(self.output_format, "zip")
