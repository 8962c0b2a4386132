"""Cell values the way provinces write them in Excel: dates as dd/mm/yyyy, yyyy-mm-dd or Excel serial
numbers, numbers with Vietnamese thousands separators ("1.250.000") or a decimal comma ("85,5").
Each parser returns a clean value or raises CellError with a message in the user's language."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ocop_hub.text import nfc

# Excel's day 0 (its 1900 leap-year bug makes serials from 61 on count from 30 Dec 1899).
EXCEL_EPOCH = date(1899, 12, 30)
# Serials for 1 Jan 1990 .. 31 Dec 2100: outside that, a bare number is not a date.
SERIAL_RANGE = (32874, 73415)

_GROUPED = re.compile(r"^-?\d{1,3}([.,\s]\d{3})+$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


class CellError(ValueError):
    pass


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a tax code or phone typed in a number cell: 105212345.0
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def integer(value) -> int | None:
    """Whole numbers: 1250000, "1.250.000", "1,250,000", "1 250 000", 12.0."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Enter a whole number."))
    raw = str(value).strip().replace("\u00a0", " ")
    if _GROUPED.match(raw):
        raw = re.sub(r"[.,\s]", "", raw)
    try:
        return int(raw)
    except ValueError:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from None


def decimal(value) -> Decimal | None:
    """Decimals with a point or a Vietnamese decimal comma: 85.5, "85,5"; "1.250,5" too."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    if isinstance(value, int | float):
        return Decimal(str(value))
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if "," in raw and "." in raw:
        raw = (
            raw.replace(".", "").replace(",", ".")
            if raw.rfind(",") > raw.rfind(".")
            else raw.replace(",", "")
        )
    elif "," in raw:
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
    return number


def day(value) -> date | None:
    """A date cell, dd/mm/yyyy (Vietnamese order, never mm/dd), yyyy-mm-dd, or an Excel serial."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value, str(value))
    raw = str(value).strip()
    try:
        if match := _DMY.match(raw):
            d, m, y = (int(g) for g in match.groups())
            return date(y, m, d)
        if match := _YMD.match(raw):
            y, m, d = (int(g) for g in match.groups())
            return date(y, m, d)
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": raw}) from None
    if re.fullmatch(r"\d{5}(\.\d+)?", raw):
        return _serial(float(raw), raw)
    raise CellError(
        _("“%(value)s” is not a date: write it as dd/mm/yyyy (e.g. 25/03/2024) or yyyy-mm-dd.")
        % {"value": raw}
    )


def _serial(number: float, raw: str) -> date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CellError(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy (e.g. 25/03/2024) or yyyy-mm-dd.")
            % {"value": raw}
        )
    return EXCEL_EPOCH + timedelta(days=int(number))
