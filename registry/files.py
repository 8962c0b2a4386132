"""Uploaded files are checked by their content, not by their name, and images are re-encoded
(which drops any payload hidden behind a valid header, and EXIF location data)."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000
MAIN_EDGE = 1600
THUMB_EDGE = 400


@dataclass
class EncodedImage:
    main: bytes
    thumbnail: bytes
    width: int
    height: int


def _read_limited(upload, limit: int, *, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {
                field: _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {field: _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    return data


def _open_image(data: bytes, *, field: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            w, h = probe.size
            if w * h > MAX_PIXELS:
                raise ValidationError(
                    {field: _("The image is too large (%(w)s×%(h)s pixels).") % {"w": w, "h": h}}
                )
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({field: _("This file is not a valid image (JPEG, PNG, WebP or GIF).")}) from exc
    if fmt not in IMAGE_FORMATS:
        raise ValidationError({field: _("This file is not a valid image (JPEG, PNG, WebP or GIF).")})
    return image


def _encode_jpeg(image: Image.Image, edge: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def image_encode(upload, *, field: str = "image") -> EncodedImage:
    data = _read_limited(upload, settings.OCOP_IMAGE_MAX_BYTES, field=field)
    image = _open_image(data, field=field)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    main = _encode_jpeg(image, MAIN_EDGE)
    with Image.open(io.BytesIO(main)) as encoded:
        width, height = encoded.size
    return EncodedImage(main=main, thumbnail=_encode_jpeg(image, THUMB_EDGE), width=width, height=height)


@dataclass
class CheckedDocument:
    data: bytes
    content_type: str
    extension: str
    sha256: str


def document_check(upload, *, field: str = "file") -> CheckedDocument:
    """Evidence is a PDF or an image, recognised by its bytes."""
    data = _read_limited(upload, settings.OCOP_EVIDENCE_MAX_BYTES, field=field)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError({field: _("This PDF is damaged or incomplete.")})
        return CheckedDocument(data, "application/pdf", "pdf", digest)
    image = _open_image(data, field=field)
    fmt = (image.format or "").lower() or "jpeg"
    ext = {"jpeg": "jpg"}.get(fmt, fmt)
    return CheckedDocument(data, f"image/{fmt}", ext, digest)


@dataclass
class CheckedAudio:
    data: bytes
    content_type: str
    extension: str


def _mp3_frame(data: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a known version and layer, a real bitrate."""
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return False
    version, layer = (data[1] >> 3) & 0x3, (data[1] >> 1) & 0x3
    bitrate, rate = data[2] >> 4, (data[2] >> 2) & 0x3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def audio_check(upload, *, field: str = "audio") -> CheckedAudio:
    """A story recording is MP3, M4A/AAC, Ogg (Opus/Vorbis), WAV, WebM or FLAC — recognised by its
    bytes, whatever the file is called: phones record M4A (iPhone), AAC/Ogg/WebM (Android)."""
    data = _read_limited(upload, settings.OCOP_AUDIO_MAX_BYTES, field=field)
    head = data[:64]
    if head.startswith(b"ID3") or _mp3_frame(head):
        return CheckedAudio(data, "audio/mpeg", "mp3")
    if head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"M4B ", b"mp42", b"isom", b"3gp4", b"3gp5"):
        return CheckedAudio(data, "audio/mp4", "m4a")
    if head.startswith(b"OggS"):
        return CheckedAudio(data, "audio/ogg", "ogg")
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return CheckedAudio(data, "audio/wav", "wav")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return CheckedAudio(data, "audio/webm", "webm")
    if head.startswith(b"fLaC"):
        return CheckedAudio(data, "audio/flac", "flac")
    raise ValidationError(
        {field: _("This file is not a recording we can play (MP3, M4A, Ogg, WAV, WebM or FLAC).")}
    )
