from fractions import Fraction

from django import template

register = template.Library()


@register.filter
def qty(value) -> str:
    """1500 → "1.500" (Vietnamese thousands separator); a fraction (prorated capacity) is rounded."""
    if value is None or value == "":
        return ""
    return f"{round(Fraction(value)):,}".replace(",", ".")
