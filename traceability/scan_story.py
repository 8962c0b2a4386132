"""What the consumer scan page tells besides "genuine or not" (Circular 02/2024 and the seeds' "hear
the story of each tea package"): the story in the visitor's language with a plain fallback note, a
recording or the browser's own speech, the OCOP certificate's state with its dates, the lot's
journey from its raw-material areas, drawn as small inline SVG outlines (no map script on a page
that must load on 3G). Public facts only."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from certificates.models import Certificate
from certificates.selectors import certificate_verdict, verification_url
from registry.languages import CONTENT_LANGUAGES, REQUIRED_LANGUAGE
from registry.models import Product, StoryRecording
from traceability.models import EpcisEvent, Lot, RawMaterialArea
from traceability.resolver import languages_ranked
from traceability.selectors import JourneyStep, journey_steps

# BCP 47 tags the browsers' speech synthesis voices are named by.
SPEECH_TAGS = {"vi": "vi-VN", "en": "en-US", "ja": "ja-JP", "fr": "fr-FR", "zh": "zh-CN", "ko": "ko-KR"}
# The site's own words exist in Vietnamese and English; the other content languages read English.
UI_LANGUAGES = ("vi", "en")
# The consumer scan page and its report page speak all six content languages: a visitor who scans a
# label abroad reads the whole page in their language (locale/ja, fr, zh, ko hold only these pages'
# words).
SCAN_UI_LANGUAGES = ("vi", "en", "ja", "fr", "zh", "ko")
# The switch names each language in itself: a Japanese visitor looks for 日本語, not "Japanese".
ENDONYMS = {
    "vi": "Tiếng Việt",
    "en": "English",
    "ja": "日本語",
    "fr": "Français",
    "zh": "中文",
    "ko": "한국어",
}
AREA_BOX = 120  # the SVG outline's viewBox side


@dataclass
class Story:
    language: str  # the language shown
    requested: str  # the language the visitor asked for (link, switch or browser)
    name: str
    short_description: str
    html: str  # sanitized on save (nh3): safe to render
    ingredients: str
    usage: str
    speech_tag: str
    recording_url: str = ""
    recording_type: str = ""
    available: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fell_back(self) -> bool:
        return self.language != self.requested


def content_language(requested: str, accept_language: str, chosen: str = "") -> str:
    """`?lang=` when it names a content language, else the language the visitor chose on the site
    (its cookie), else the browser's first content language, else vi."""
    for candidate in (requested, chosen):
        if candidate in SPEECH_TAGS:
            return candidate
    return languages_ranked(accept_language)[0]


def ui_language(content: str) -> str:
    return content if content in UI_LANGUAGES else "en"


def scan_ui_language(content: str) -> str:
    return content if content in SCAN_UI_LANGUAGES else "en"


def story_of(product: Product, requested: str) -> Story:
    translations = {tr.language: tr for tr in product.translations.all()}
    shown = requested if requested in translations else REQUIRED_LANGUAGE
    tr = translations.get(shown) or next(iter(translations.values()), None)
    story = Story(
        language=shown,
        requested=requested,
        name=tr.name if tr else "",
        short_description=tr.short_description if tr else "",
        html=tr.story if tr else "",
        ingredients=tr.ingredients if tr else "",
        usage=tr.usage if tr else "",
        speech_tag=SPEECH_TAGS[shown],
        available=[(code, ENDONYMS[code]) for code, _name in CONTENT_LANGUAGES if code in translations],
    )
    recording = StoryRecording.objects.filter(product=product, language=shown).first()
    if recording is not None:
        story.recording_url, story.recording_type = recording.audio.url, recording.content_type
    return story


@dataclass
class CertificateState:
    state: str  # valid, expiring, expired, revoked, superseded, none
    sentence: str
    stars: int = 0
    number: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    verify_url: str = ""

    @property
    def is_good(self) -> bool:
        return self.state in ("valid", "expiring")


def certificate_state(product: Product, *, today: date) -> CertificateState:
    """The certificate a buyer should know of: the valid one, else the latest (expired or revoked)."""
    certificates = Certificate.objects.filter(product=product).exclude(status=Certificate.Status.SUPERSEDED)
    certificate = (
        certificates.filter(status=Certificate.Status.VALID).order_by("-valid_until").first()
        or certificates.order_by("-valid_until", "-id").first()
    )
    if certificate is None:
        return CertificateState("none", _("This product has no OCOP certificate on record."))
    verdict = certificate_verdict(certificate, today=today)
    dates = {
        "from": certificate.valid_from.strftime("%d/%m/%Y"),
        "until": certificate.valid_until.strftime("%d/%m/%Y"),
    }
    sentences = {
        "valid": _("OCOP certificate valid from %(from)s until %(until)s.") % dates,
        "expiring": _("OCOP certificate valid until %(until)s (re-evaluation is due).") % dates,
        "expired": _("The OCOP certificate expired on %(until)s.") % dates,
        "revoked": _("The OCOP certificate was revoked (it was valid from %(from)s).") % dates,
        "superseded": _("This certificate was replaced by a newer one."),
    }
    return CertificateState(
        verdict.state,
        sentences[verdict.state],
        stars=certificate.stars,
        number=certificate.number,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        verify_url=verification_url(certificate),
    )


def lot_journey(lot: Lot) -> list[JourneyStep]:
    """The lot's own events and those of the lots it was made from (harvests of its raw material)."""
    inputs = list(lot.input_lots.values_list("pk", flat=True))
    events = EpcisEvent.objects.filter(Q(lot=lot) | Q(lot_id__in=inputs))
    return journey_steps(events, lot.product.entity_id)


@dataclass
class AreaShape:
    area: RawMaterialArea
    svg_path: str = ""  # a polygon's outline in the AREA_BOX square
    point: tuple[float, float] | None = None


def lot_areas(lot: Lot) -> list[AreaShape]:
    """The raw-material areas the lot (or a lot it was made from) came from, each as an outline."""
    areas = RawMaterialArea.objects.filter(
        Q(lots=lot) | Q(lots__in=lot.input_lots.all()), entity_id=lot.product.entity_id
    ).distinct()
    return [_shape(area) for area in areas]


def _shape(area: RawMaterialArea) -> AreaShape:
    geometry = area.geometry or {}
    if geometry.get("type") != "Polygon":
        return AreaShape(area, point=(AREA_BOX / 2, AREA_BOX / 2))
    ring = geometry["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    span = max(max(lons) - min(lons), max(lats) - min(lats)) or 1.0
    scale = (AREA_BOX - 10) / span
    points = [(5 + (lon - min(lons)) * scale, 5 + (max(lats) - lat) * scale) for lon, lat in ring]
    path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"
    return AreaShape(area, svg_path=path)
