"""Identifier checks shared by forms, the API and importers (all reach them through the services)."""

import re

from biip import ParseError
from biip.gln import Gln
from biip.gtin import Gtin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def clean_tax_code(value: str, *, field: str = "tax_code") -> str:
    value = (value or "").strip().replace(" ", "")
    if not TAX_CODE.match(value):
        message = _(
            "A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch (e.g. %(example)s)."
        )
        raise ValidationError({field: message % {"example": "5300123456-001"}})
    return value


def clean_gtin(value: str, *, field: str = "gtin") -> str:
    """Any GTIN-8/12/13/14 with a correct check digit, stored as GTIN-14 (the Digital Link form)."""
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise ValidationError({field: _("A GTIN has 8, 12, 13 or 14 digits.")})
    try:
        gtin = Gtin.parse(value)
    except ParseError as exc:
        raise ValidationError(
            {field: _("The GTIN %(gtin)s has a wrong check digit.") % {"gtin": value}}
        ) from exc
    return gtin.as_gtin_14()


def clean_gln(value: str, *, field: str = "gln") -> str:
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    if not value.isdigit() or len(value) != 13:
        raise ValidationError({field: _("A GLN has 13 digits.")})
    try:
        Gln.parse(value)
    except ParseError as exc:
        raise ValidationError(
            {field: _("The GLN %(gln)s has a wrong check digit.") % {"gln": value}}
        ) from exc
    return value
