"""What the scan page says about a code's authenticity, as HTML: the first-check sentence, the
"potential suspect — not a verdict" box, the button to check the code by place. Built in Python,
not a template: it is the per-request half of a page served thousands of times a second
(traceability.scan_page), and a template's nodes cost more than the query behind it."""

from functools import cache

from django.templatetags.static import static as static_url
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@cache
def static(path: str) -> str:
    """A static file's URL, worked out once per process (storage and manifest lookups per scan)."""
    return static_url(path)


def verdict_html(scan: dict) -> SafeString:
    """`scan`: what scans.services.scan_observe returned (suspect reasons possibly merged by the page)."""
    if not scan:
        return mark_safe("")  # noqa: S308 (empty)
    parts = [
        format_html('<link rel="stylesheet" href="{}">', static("scans/scans.css")),
        format_html(
            '<section class="scan-verdict" data-testid="scan-verdict" aria-label="{}">',
            _("Authenticity check"),
        ),
    ]
    if scan.get("serialised"):
        if scan.get("first_seen"):
            day = formats.date_format(timezone.localtime(scan["first_seen"]), "d/m/Y")
            sentence = _(
                "This code was first checked on %(day)s. This is check number %(n)s of this code."
            ) % {
                "day": day,
                "n": scan["scan_count"],
            }
            advice = _(
                "If you bought this package as new and have not checked it before, ask the seller: "
                "a copied code is checked on many packages."
            )
            parts.append(
                format_html('<p class="first-seen" data-testid="scan-first-seen">{} {}</p>', sentence, advice)
            )
        else:
            parts.append(
                format_html(
                    '<p class="first-seen" data-testid="scan-first-check">{}</p>',
                    _("This is the first check of this code."),
                )
            )
    if scan.get("suspect"):
        reasons = format_html_join("", "<li>{}</li>", ((reason,) for reason in scan["suspect_reasons"]))
        parts.append(
            format_html(
                '<div class="suspect" role="alert" data-testid="scan-suspect"><h2>{}</h2><p>{}</p><ul>{}</ul>'
                "<p>{}</p></div>",
                _("Potential suspect — not a verdict"),
                _("We found something unusual about this code:"),
                reasons,
                _(
                    "This does not mean the product is fake. The province's OCOP office and the producer "
                    "will review it. If you think it is fake, please report it below."
                ),
            )
        )
    if scan.get("serialised"):
        parts.append(
            format_html(
                '<form method="post" action="{}" class="scan-locate" data-scan-locate hidden '
                'data-denied="{}" data-failed="{}"><input type="hidden" name="code" value="{}">'
                '<input type="hidden" name="latitude" value="">'
                '<input type="hidden" name="longitude" value="">'
                '<button type="submit" class="btn secondary">{}</button><p class="muted">{}</p>'
                '<p data-locate-result role="status" aria-live="polite"></p></form>'
                '<script src="{}" defer></script>',
                scan["locate_url"],
                _("Your location was not shared; nothing was recorded."),
                _("The check could not be completed; please try again later."),
                scan["code_path"],
                _("Share my location to check this code"),
                _(
                    "Only if you press the button and your browser agrees. The place is rounded to about "
                    "1 km, kept with this code only, and compared with other checks of it."
                ),
                static("scans/locate.js"),
            )
        )
    parts.append(mark_safe("</section>"))  # noqa: S308 (a constant)
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
