"""Text rules shared by every app: diacritic folding for search and plain-text checks."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d), collapse spaces: "Trà Shan Tuyết" → "tra shan tuyet"."""
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D")
    return " ".join(text.lower().split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def plain_text(value: str, *, field: str) -> str:
    """Plain-text fields refuse markup instead of silently storing it (it would reach PDFs and exports)."""
    value = nfc(value)
    if _TAG.search(value):
        raise ValidationError({field: _("HTML is not allowed in this field; write plain text.")})
    return value
