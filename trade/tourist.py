"""The tourist pages speak the visitor's language among the six content languages: the language is
chosen as on the scan page (traceability.scan_story: ?lang=, the site's language cookie, the browser's
Accept-Language, else Vietnamese) and the pages' fixed words come from data/tourist_labels.json, since
the UI catalogues exist only for vi and en. Content (a destination's name and description) falls back
to Vietnamese, with a note in the visitor's language."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

from registry.languages import CONTENT_LANGUAGES
from traceability.scan_story import ENDONYMS, content_language

LABELS_FILE = Path(__file__).resolve().parent / "data" / "tourist_labels.json"


@cache
def labels_all() -> dict[str, dict[str, str]]:
    data = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {code: data[code] for code, _name in CONTENT_LANGUAGES}


def labels(language: str) -> dict[str, str]:
    return labels_all().get(language) or labels_all()["vi"]


def language_of(request) -> str:
    return content_language(
        request.GET.get("lang", ""),
        request.headers.get("Accept-Language", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
    )


def switch() -> list[tuple[str, str]]:
    """Every language, named in itself (a Japanese visitor looks for 日本語, not "Japanese")."""
    return [(code, ENDONYMS[code]) for code, _name in CONTENT_LANGUAGES]


def say(words: dict[str, str], key: str, **values) -> str:
    text = words[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def km_text(km: float) -> str:
    """1 decimal under 10 km, whole kilometres above ("2.4", "17", "1")."""
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return text.removesuffix(".0")


def shown_in(destination, language: str):
    """The destination with `shown` (its content in the language, else Vietnamese) and `fell_back`."""
    tr = destination.translation(language)
    destination.shown = tr
    destination.fell_back = tr is None or tr.language != language
    return destination


def kind_word(words: dict[str, str], obj) -> str:
    """A destination's or outlet's kind in the visitor's language."""
    prefix = "outlet_" if hasattr(obj, "opening_hours") else "kind_"
    return words.get(prefix + obj.kind, "")
