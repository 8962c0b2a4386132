"""What a shared link shows on Zalo, Facebook and search engines: Open Graph and Twitter tags, a
1200×630 card image when the product has no photo, and schema.org JSON-LD.

The OCOP star is a *certification* by a public authority, not a rating by buyers: it goes out as
schema.org `hasCertification` (and a plain `award` text), never as `aggregateRating`, which search
engines read as customer reviews."""

import html
import io
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, ImageDraw, ImageFont

from certificates.conf import public_base_url
from ocop_hub.text import nfc
from registry.models import Entity, Product
from traceability.scan_story import CertificateState, Story

CARD_SIZE = (1200, 630)  # Facebook's and Zalo's recommended link image (1.91:1)
OG_LOCALES = {"vi": "vi_VN", "en": "en_US", "ja": "ja_JP", "fr": "fr_FR", "zh": "zh_CN", "ko": "ko_KR"}
DESCRIPTION_CHARS = 200
_TAGS = re.compile(r"<[^>]*>")
# The characters that could end a <script> block or open a comment inside it, as JSON escapes
# (the same set as Django's json_script).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else public_base_url() + path


def plain(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Story HTML as one line of plain text for a description (tags dropped, entities decoded)."""
    words = " ".join(html.unescape(_TAGS.sub(" ", text or "")).split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class ShareTags:
    title: str
    description: str
    url: str  # canonical, absolute
    image: str  # absolute
    image_width: int
    image_height: int
    image_alt: str
    locale: str
    kind: str = "website"
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, absolute URL)
    locale_alternates: list[str] = field(default_factory=list)


def product_url(product: Product, language: str = "vi") -> str:
    path = reverse("market:product", args=[product.pk])
    return absolute(path if language == "vi" else f"{path}?lang={language}")


def product_share(product: Product, story: Story, images: list) -> ShareTags:
    first = images[0] if images else None
    if first is not None:
        image, width, height = absolute(first.image.url), first.width, first.height
    else:
        image, (width, height) = absolute(reverse("market:product_card", args=[product.pk])), CARD_SIZE
    others = [code for code, _name in story.available if code != story.language]
    return ShareTags(
        title=story.name,
        description=plain(story.short_description or story.html) or product.entity.legal_name,
        url=product_url(product, story.language),
        image=image,
        image_width=width,
        image_height=height,
        image_alt=(first.alt_text if first is not None else "") or story.name,
        locale=OG_LOCALES[story.language],
        kind="product",
        alternates=[(code, product_url(product, code)) for code, _name in story.available],
        locale_alternates=[OG_LOCALES[code] for code in others],
    )


def producer_share(entity: Entity, *, language: str) -> ShareTags:
    return ShareTags(
        title=entity.legal_name,
        description=plain(entity.description) or f"{entity.commune.name}, {entity.province.name}",
        url=absolute(reverse("market:producer", args=[entity.pk])),
        image=absolute(reverse("market:producer_card", args=[entity.pk])),
        image_width=CARD_SIZE[0],
        image_height=CARD_SIZE[1],
        image_alt=entity.legal_name,
        locale=OG_LOCALES.get(language, "vi_VN"),
    )


# --- JSON-LD ------------------------------------------------------------------------------------------


def json_ld_script(data: dict) -> SafeString:
    """A `<script type="application/ld+json">` block that no text inside can end early: a story
    containing `</script>` stays inside the JSON string (its `<` is written as \\u003C)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def _organization(entity: Entity) -> dict:
    return {
        "@type": "Organization",
        "@id": absolute(reverse("market:producer", args=[entity.pk])) + "#org",
        "name": entity.legal_name,
        "url": absolute(reverse("market:producer", args=[entity.pk])),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": entity.commune.name,
            "addressRegion": entity.province.name,
            "addressCountry": "VN",
        },
    }


def _certification(certificate: CertificateState, issuer: str) -> dict:
    name = f"OCOP {certificate.stars}★"
    data: dict = {
        "@type": "Certification",
        "name": name,
        "certificationIdentification": certificate.number,
        "certificationStatus": "CertificationActive" if certificate.is_good else "CertificationInactive",
        "issuedBy": {"@type": "GovernmentOrganization", "name": issuer or "OCOP"},
    }
    if certificate.valid_from:
        data["validFrom"] = certificate.valid_from.isoformat()
    if certificate.valid_until:
        data["expires"] = certificate.valid_until.isoformat()
    if certificate.verify_url:
        data["url"] = certificate.verify_url
    return data


def product_json_ld(
    product: Product,
    *,
    story: Story,
    share: ShareTags,
    certificate: CertificateState,
    issuer: str,
    gtins: list[str],
) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": share.url + "#product",
        "name": story.name,
        "description": plain(story.html, 5000) or story.short_description or story.name,
        "url": share.url,
        "image": [share.image],
        "inLanguage": story.language,
        "category": product.category.name_vi,
        "brand": {"@type": "Brand", "name": product.entity.legal_name},
        "manufacturer": _organization(product.entity),
    }
    if product.code:
        data["productID"] = product.code
    if gtins:
        data["gtin"] = gtins[0]
    if certificate.stars and certificate.is_good:
        data["hasCertification"] = _certification(certificate, issuer)
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.number})"
    low, high = product.price_min_vnd, product.price_max_vnd
    if low or high:
        offer: dict = {
            "@type": "AggregateOffer",
            "priceCurrency": "VND",
            "lowPrice": low or high,
            "highPrice": high or low,
            "url": share.url,
        }
        data["offers"] = offer
    return data


def producer_json_ld(entity: Entity, share: ShareTags, products: list[tuple[str, str]]) -> dict:
    data = _organization(entity)
    data["@context"] = "https://schema.org"
    if entity.description:
        data["description"] = plain(entity.description, 5000)
    if entity.founded_year:
        data["foundingDate"] = str(entity.founded_year)
    data["makesOffer"] = [
        {"@type": "Offer", "itemOffered": {"@type": "Product", "name": name, "url": url}}
        for name, url in products
    ]
    return {"@context": data.pop("@context"), **data}


# --- the card image ---------------------------------------------------------------------------------


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(settings.OCOP_FONT_BOLD if bold else settings.OCOP_FONT_REGULAR), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int) -> list[str]:
    """Words onto at most `lines` lines of `width` pixels; a word longer than a line (or a language
    written without spaces) is broken between characters; the last line ends with … when cut."""
    out: list[str] = []
    line = ""
    tokens = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    for token in tokens:
        candidate = f"{line}{joiner}{token}" if line else token
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            out.append(line)
        line = token
        while draw.textlength(line, font=font) > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and draw.textlength(line[:cut], font=font) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def card_png(*, title: str, subtitle: str, stars: int = 0) -> bytes:
    """A 1200×630 PNG: the name large on the programme's green, the producer and place below, the
    stars in gold. Text is NFC-normalised first: the font has precomposed Vietnamese letters, and a
    decomposed "ế" (e + two combining marks) would be drawn with misplaced marks."""
    title, subtitle = nfc(title), nfc(subtitle)
    image = Image.new("RGB", CARD_SIZE, (31, 111, 67))
    draw = ImageDraw.Draw(image)
    margin = 72
    width = CARD_SIZE[0] - 2 * margin
    draw.rectangle([0, CARD_SIZE[1] - 24, CARD_SIZE[0], CARD_SIZE[1]], fill=(201, 150, 43))
    draw.text((margin, 56), "★ OCOP Hub", font=_font(True, 40), fill=(255, 255, 255))
    y = 150
    if stars:
        draw.text((margin, y), "★" * stars, font=_font(True, 64), fill=(240, 196, 80))
        y += 96
    title_font = _font(True, 68)
    for line in _wrap(draw, title, title_font, width, 3 if not stars else 2):
        draw.text((margin, y), line, font=title_font, fill=(255, 255, 255))
        y += 84
    sub_font = _font(False, 36)
    for line in _wrap(draw, subtitle, sub_font, width, 2):
        draw.text((margin, y + 12), line, font=sub_font, fill=(226, 240, 232))
        y += 48
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
