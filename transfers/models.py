"""An import of a province's Excel/CSV file: uploaded, previewed row by row, then applied all or
nothing when an official confirms. The file and every row's outcome stay for the record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        PREVIEWING = "previewing", _("Reading the file")
        PREVIEWED = "previewed", _("Ready to confirm")
        REFUSED = "refused", _("File refused")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Not applied")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (Status.QUEUED, Status.PREVIEWING, Status.APPLYING)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(
        max_length=10, default="vi"
    )  # messages are written in the uploader's language
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file"), max_length=255)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    kind_hint = models.CharField(max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # {kind: {create, update, unchanged, error}}
    notices = models.JSONField(default=list)
    # sheet name -> {"kind": key, "columns": {column key: "C “Mã số thuế”" as in the file}}
    sheets = models.JSONField(default=dict)
    message = models.TextField(blank=True)  # why a file was refused or an apply failed
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def error_count(self) -> int:
        return sum(c.get("error", 0) for c in self.counts.values())

    @property
    def change_count(self) -> int:
        return sum(c.get("create", 0) + c.get("update", 0) for c in self.counts.values())

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        CREATE = "create", _("New")
        UPDATE = "update", _("Update")
        UNCHANGED = "unchanged", _("Unchanged")
        ERROR = "error", _("Error")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    sheet = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    row_no = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    label = models.CharField(max_length=300, blank=True)
    record = models.JSONField(default=dict)  # the row as read (column key -> cell), replayed on apply
    errors = models.JSONField(default=list)  # [{"column": key, "message": text}]
    changes = models.JSONField(default=list)  # field names an update changes
    notes = models.JSONField(default=list)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["job", "outcome", "position"])]

    def __str__(self) -> str:
        return f"{self.sheet}:{self.row_no} {self.outcome}"
