"""What the trade app adds to the consumer scan page (traceability.scan_page, through
OCOP_SCAN_PAGE_SECTIONS): where to buy the product, online and in shops."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from trade.selectors import where_to_buy


def where_to_buy_html(*, product, language: str) -> SafeString:
    html = render_to_string("trade/_where_to_buy.html", {"where_to_buy": where_to_buy(product)})
    return mark_safe(html)  # noqa: S308 (a rendered template: its values are escaped)
