"""A product's story told in other media: a recording of the story read aloud per language (the scan
page's "Listen" plays it) and a link to a video about the product. Checked, stored, audited."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from registry import access
from registry.files import audio_check
from registry.languages import CONTENT_LANGUAGES
from registry.models import Product, StoryRecording
from traceability.changes import scan_pages_changed


def story_recording_set(*, actor, product: Product, language: str, upload) -> StoryRecording:
    """Add or replace the recording of the story in `language` (one per language)."""
    access.require(access.can_manage_product(actor, product))
    if language not in dict(CONTENT_LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    checked = audio_check(upload)
    with transaction.atomic():
        old = StoryRecording.objects.select_for_update().filter(product=product, language=language).first()
        before = {"audio": old.audio.name} if old else None
        if old:
            old.audio.delete(save=False)
            old.delete()
        recording = StoryRecording(
            product=product, language=language, content_type=checked.content_type, size=len(checked.data)
        )
        recording.audio.save(f"story-p{product.pk}-{language}.{checked.extension}", ContentFile(checked.data))
        audit_record(
            actor=actor,
            action="product.recording_set",
            obj=product,
            before=before,
            after={"language": language, "audio": recording.audio.name, "size": recording.size},
        )
    scan_pages_changed()
    return recording


def story_recording_remove(*, actor, recording: StoryRecording) -> None:
    product = recording.product
    access.require(access.can_manage_product(actor, product))
    with transaction.atomic():
        name = recording.audio.name
        recording.audio.delete(save=False)
        recording.delete()
        audit_record(
            actor=actor,
            action="product.recording_remove",
            obj=product,
            before={"language": recording.language, "audio": name},
        )
    scan_pages_changed()


def product_video_set(*, actor, product: Product, url: str) -> Product:
    """The product's video link (empty removes it): a web address on http(s), nothing else."""
    access.require(access.can_manage_product(actor, product))
    url = (url or "").strip()
    if url:
        if len(url) > 500:
            raise ValidationError({"video_url": _("The link is too long (500 characters at most).")})
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            raise ValidationError(
                {"video_url": _("Enter a web address starting with https://, e.g. a YouTube link.")}
            ) from None
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        before = locked.video_url
        if before == url:
            return locked
        locked.video_url = url
        locked.save(update_fields=["video_url", "updated_at"])
        audit_record(
            actor=actor,
            action="product.video_set",
            obj=locked,
            before={"video_url": before},
            after={"video_url": url},
        )
    scan_pages_changed()
    return locked
