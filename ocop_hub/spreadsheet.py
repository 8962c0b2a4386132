"""Text that a person will open in a spreadsheet (CSV feeds and exports, open data, report workbooks)."""

# A cell opening with one of these is a formula (or becomes one) in Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text opening like a formula gets an apostrophe in front, as OWASP advises for CSV exports, so a
    producer's or buyer's text cannot run as a formula; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
