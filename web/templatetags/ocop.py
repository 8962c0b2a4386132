from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def vnd(value) -> str:
    """12500000 → "12.500.000 ₫" (Vietnamese thousands separator)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".") + " ₫"


@register.simple_tag
def product_name(product, language: str | None = None) -> str:
    tr = product.translation(language or get_language() or "vi")
    return tr.name if tr else ""


@register.simple_tag(takes_context=True)
def querystring_page(context, page: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = page
    return "?" + params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
