"""What the scan page says about a code's authenticity, as HTML: the first-check sentence, the
"potential suspect — not a verdict" box, the button to check the code by place. Built in Python,
not a template: it is the per-request half of a page served thousands of times a second
(traceability.scan_page). The fixed sentences are translated and escaped once per language and
process; only the code, the dates and the reasons are escaped per request."""

from functools import cache, lru_cache

from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _


@cache
def _fixed(language: str | None) -> dict[str, str]:
    """The verdict's fixed parts in `language` (the active one), escaped."""
    return {
        "css": escape(static("scans/scans.css")),
        "js": escape(static("scans/locate.js")),
        "label": escape(_("Authenticity check")),
        "advice": escape(
            _(
                "If you bought this package as new and have not checked it before, ask the seller: "
                "a copied code is checked on many packages."
            )
        ),
        "first": escape(_("This is the first check of this code.")),
        "suspect": escape(_("Potential suspect — not a verdict")),
        "unusual": escape(_("We found something unusual about this code:")),
        "review": escape(
            _(
                "This does not mean the product is fake. The province's OCOP office and the producer "
                "will review it. If you think it is fake, please report it below."
            )
        ),
        "denied": escape(_("Your location was not shared; nothing was recorded.")),
        "failed": escape(_("The check could not be completed; please try again later.")),
        "share": escape(_("Share my location to check this code")),
        "consent": escape(
            _(
                "Only if you press the button and your browser agrees. The place is rounded to about "
                "1 km, kept with this code only, and compared with other checks of it."
            )
        ),
    }


@lru_cache(maxsize=1024)
def _day(day, language: str | None) -> str:
    return formats.date_format(day, "d/m/Y")


def verdict_html(scan: dict) -> SafeString:
    """`scan`: what scans.services.scan_observe returned (suspect reasons possibly merged by the page)."""
    if not scan:
        return mark_safe("")  # noqa: S308 (empty)
    t = _fixed(get_language())
    parts = [
        f'<link rel="stylesheet" href="{t["css"]}">',
        f'<section class="scan-verdict" data-testid="scan-verdict" aria-label="{t["label"]}">',
    ]
    if scan.get("serialised"):
        if scan.get("first_seen"):
            day = _day(timezone.localdate(scan["first_seen"]), get_language())
            sentence = _(
                "This code was first checked on %(day)s. This is check number %(n)s of this code."
            ) % {
                "day": day,
                "n": scan["scan_count"],
            }
            parts.append(
                f'<p class="first-seen" data-testid="scan-first-seen">{escape(sentence)} {t["advice"]}</p>'
            )
        else:
            parts.append(f'<p class="first-seen" data-testid="scan-first-check">{t["first"]}</p>')
    if scan.get("suspect"):
        reasons = "".join(f"<li>{escape(reason)}</li>" for reason in scan["suspect_reasons"])
        parts.append(
            f'<div class="suspect" role="alert" data-testid="scan-suspect"><h2>{t["suspect"]}</h2>'
            f"<p>{t['unusual']}</p><ul>{reasons}</ul><p>{t['review']}</p></div>"
        )
    if scan.get("serialised"):
        parts.append(
            f'<form method="post" action="{escape(scan["locate_url"])}" class="scan-locate" data-scan-locate '
            f'hidden data-denied="{t["denied"]}" data-failed="{t["failed"]}">'
            f'<input type="hidden" name="code" value="{escape(scan["code_path"])}">'
            '<input type="hidden" name="latitude" value=""><input type="hidden" name="longitude" value="">'
            f'<button type="submit" class="btn secondary">{t["share"]}</button>'
            f'<p class="muted">{t["consent"]}</p><p data-locate-result role="status" aria-live="polite"></p>'
            f'</form><script src="{t["js"]}" defer></script>'
        )
    parts.append("</section>")
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)
