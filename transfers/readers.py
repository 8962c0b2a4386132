"""Reading the files provinces have: XLSX (one sheet per kind) and CSV (one file per kind) in
whatever encoding and delimiter Excel gave them. Streams rows so a national file stays memory-flat;
refuses what is not a spreadsheet (old .xls, a zip bomb named .xlsx) with a message, never a trace."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries

from transfers.columns import KINDS, Kind, header_key

HEADER_SEARCH_ROWS = 12
GUIDE_SHEETS = {"huong dan", "guide", "instructions", "readme"}
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_FORMULA = re.compile(rb"<f[\s>/]")


class FileRefused(ValueError):
    """The whole file cannot be read; the message says what to do."""


@dataclass
class Sheet:
    name: str
    kind: Kind | None
    header_row: int = 0
    columns: dict[int, str] = field(default_factory=dict)  # position -> column key
    ignored: list[str] = field(default_factory=list)  # headers we do not use
    missing: list[str] = field(default_factory=list)  # required columns not found
    headers: list[str] = field(default_factory=list)  # the header row as written
    notices: list[str] = field(default_factory=list)
    rows: Iterator[tuple[int, dict[str, object]]] = field(default_factory=lambda: iter(()))


def _limit_error(size: int) -> FileRefused:
    return FileRefused(
        _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
        % {"size": round(size / 1e6, 1), "limit": round(settings.OCOP_IMPORT_MAX_BYTES / 1e6, 1)}
    )


def file_format(head: bytes, size: int) -> str:
    if size > settings.OCOP_IMPORT_MAX_BYTES:
        raise _limit_error(size)
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or as CSV UTF-8.")
        )
    if head.startswith(b"%PDF") or head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1"):
        raise FileRefused(_("This is not a spreadsheet. Upload an .xlsx file or a CSV file."))
    return "csv"


# --- kinds ------------------------------------------------------------------------------------------


def _match_headers(kind: Kind, headers: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup: dict[str, str] = {}
    for column in kind.columns:
        for spelling in column.spellings():
            lookup.setdefault(spelling, column.key)
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        key = lookup.get(header_key(header))
        if key and key not in mapping.values():
            mapping[position] = key
        elif header.strip():
            ignored.append(header.strip())
    return mapping, ignored


def kind_for(headers: list[str], *, sheet_name: str = "", hint: str = "") -> tuple[Kind | None, dict, list]:
    """The kind a sheet holds: the one its name says, else the one whose columns its headers match best."""
    candidates = list(KINDS.values())
    if hint in KINDS:
        candidates = [KINDS[hint]]
    else:
        named = [k for k in candidates if header_key(sheet_name) in k.sheet_spellings()]
        if named:
            candidates = named
    best: tuple[int, int, Kind | None, dict, list] = (-1, -1, None, {}, [])
    for kind in candidates:
        mapping, ignored = _match_headers(kind, headers)
        required = sum(1 for c in kind.columns if c.required and c.key in mapping.values())
        score = (required, len(mapping))
        if score > best[:2]:
            best = (*score, kind, mapping, ignored)
    _, matched, found, mapping, ignored = best
    if found is None or matched < 2:
        return None, {}, []
    return found, mapping, ignored


def _sheet_from(name: str, raw_rows: Iterator[tuple[int, list]], hint: str) -> Sheet | None:
    """Find the header row (provinces put titles above it), then map the columns."""
    seen = []
    for row_no, values in raw_rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        headers = ["" if v is None else str(v) for v in values]
        kind, mapping, ignored = kind_for(headers, sheet_name=name, hint=hint)
        if kind is not None:
            sheet = Sheet(
                name=name, kind=kind, header_row=row_no, columns=mapping, ignored=ignored, headers=headers
            )
            present = set(mapping.values())
            sheet.missing = [c.vi for c in kind.columns if c.required and c.key not in present]
            positions = sorted(mapping.items())

            def rows(positions=positions) -> Iterator[tuple[int, dict[str, object]]]:
                for number, cells in raw_rows:
                    record = {key: cells[i] if i < len(cells) else None for i, key in positions}
                    if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
                        continue  # blank rows (and rows with data only in unused columns)
                    yield number, record

            sheet.rows = rows()
            return sheet
        seen.append(row_no)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    return None


# --- CSV --------------------------------------------------------------------------------------------


def csv_encoding(head: bytes) -> tuple[str, str]:
    """(codec, notice). Excel on Windows writes CSV as UTF-8 with BOM ("CSV UTF-8"), UTF-16
    ("Unicode text") or the Vietnamese code page 1258; anything else we ask the user to re-save."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", _("The file was read as UTF-16 (Excel's “Unicode text”).")
    sample = head[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        odd = sample[1::2].count(b"\x00")
        even = sample[0::2].count(b"\x00")
        codec = "utf-16-le" if odd > even else "utf-16-be"
        return codec, _("The file was read as UTF-16 (Excel's “Unicode text”).")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8", ""
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1258")
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "The file's text encoding is not recognised. "
                "In Excel choose Save As → “CSV UTF-8 (Comma delimited)”."
            )
        ) from None
    return "cp1258", _("The file was read as Windows-1258 (Vietnamese); saving as “CSV UTF-8” is safer.")


def _csv_rows(stream: IO[bytes], codec: str, delimiter: str) -> Iterator[tuple[int, list]]:
    text = io.TextIOWrapper(stream, encoding=codec, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "Part of the file is not valid %(codec)s text (near line %(line)s). In Excel choose "
                "Save As → “CSV UTF-8 (Comma delimited)”."
            )
            % {"codec": codec.upper(), "line": reader.line_num + 1}
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            _("The CSV file is malformed near line %(line)s (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        ) from None


def csv_sheet(stream: IO[bytes], *, name: str, hint: str = "") -> Sheet:
    head = stream.read(65536)
    stream.seek(0)
    codec, notice = csv_encoding(head)
    first = head.decode(codec, errors="ignore").lstrip("\ufeff").splitlines()[0] if head else ""
    # Excel writes ";" where the decimal separator is a comma (Vietnamese regional settings).
    delimiter = max([",", ";", "\t"], key=first.count)
    sheet = _sheet_from(name, _csv_rows(stream, codec, delimiter), hint)
    if sheet is None:
        raise FileRefused(_header_help())
    if notice:
        sheet.notices.append(notice)
    if delimiter != ",":
        sheet.notices.append(
            _("Columns are separated by “%(delimiter)s”.")
            % {"delimiter": "Tab" if delimiter == "\t" else delimiter}
        )
    return sheet


def _header_help() -> str:
    return _(
        "No header row found. The first rows must hold the column names of the template, e.g. "
        "“Mã số thuế”, “Tên chủ thể” for entities or “Mã số thuế chủ thể”, “Tên sản phẩm”, “Bộ tiêu chí” "
        "for products. Download a template from this page."
    )


# --- XLSX -------------------------------------------------------------------------------------------


def _zip_check(stream: IO[bytes]) -> None:
    """An .xlsx is a zip: refuse one that would inflate far beyond any real spreadsheet (a zip bomb)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise FileRefused(_("This zip file is not an Excel workbook (.xlsx)."))
            total = sum(i.file_size for i in infos)
            worst = max(
                (i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1_000_000), default=0
            )
    except zipfile.BadZipFile:
        raise FileRefused(
            _("The Excel file is damaged or incomplete; save it again and re-upload.")
        ) from None
    finally:
        stream.seek(0)
    if total > settings.OCOP_IMPORT_MAX_UNZIPPED_BYTES or worst > settings.OCOP_IMPORT_MAX_ZIP_RATIO:
        raise FileRefused(
            _(
                "The workbook would expand to %(size)s MB when opened, far more than a spreadsheet of this "
                "size holds; it is refused for safety. Save the data again in a new workbook."
            )
            % {"size": round(total / 1e6)}
        )


def _scan_sheet_xml(archive: zipfile.ZipFile, path: str) -> tuple[list[tuple[int, int, int, int]], bool]:
    merges: list[tuple[int, int, int, int]] = []
    formulas = False
    tail = b""
    with archive.open(path) as member:
        while chunk := member.read(1 << 20):
            block = tail + chunk
            if not formulas and _FORMULA.search(block):
                formulas = True
            for ref in _MERGE.findall(block):
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
                merges.append((min_row, min_col, max_row, max_col))
            tail = block[-64:]
    return sorted(set(merges)), formulas


def _merged(rows: Iterator[tuple[int, list]], merges: list) -> Iterator[tuple[int, list]]:
    """Provinces merge an entity's cells over its product rows: each row reads the merged value."""
    if not merges:
        yield from rows
        return
    captured: dict[tuple[int, int, int, int], object] = {}
    for number, values in rows:
        for merge in merges:
            min_row, min_col, max_row, max_col = merge
            if min_row == number:
                captured[merge] = values[min_col - 1] if min_col - 1 < len(values) else None
            elif min_row < number <= max_row and merge in captured:
                width = max_col
                if len(values) < width:
                    values = list(values) + [None] * (width - len(values))
                else:
                    values = list(values)
                for col in range(min_col, max_col + 1):
                    values[col - 1] = captured[merge]
        yield number, values


def _formula_cells(path, sheet_name: str) -> set[tuple[int, int]]:
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        cells = set()
        for row in workbook[sheet_name].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    cells.add((cell.row, cell.column))
        return cells
    finally:
        workbook.close()


def _xlsx_rows(worksheet, formulas: set[tuple[int, int]], max_rows: int) -> Iterator[tuple[int, list]]:
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise FileRefused(
                _("A sheet has more than %(rows)s rows; split the file.") % {"rows": f"{max_rows:,}"}
            )
        if formulas:
            values = list(values)
            for col, value in enumerate(values, start=1):
                if (number, col) in formulas and value is None:
                    values[col - 1] = FormulaWithoutValue(f"{get_column_letter(col)}{number}")
        yield number, list(values)


class FormulaWithoutValue(str):
    """A formula cell saved without its computed value (written by a program, not by Excel)."""


def xlsx_sheets(stream: IO[bytes], *, hint: str = "") -> Iterator[Sheet]:
    _zip_check(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on damaged parts
        raise FileRefused(
            _("The Excel file is damaged or incomplete; save it again and re-upload.")
        ) from None
    found = False
    try:
        for worksheet in workbook.worksheets:
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                continue
            if header_key(worksheet.title) in GUIDE_SHEETS:  # the template's own explanations
                continue
            merges, has_formulas = _scan_sheet_xml(workbook._archive, worksheet._worksheet_path)
            formulas = _formula_cells(stream, worksheet.title) if has_formulas else set()
            rows = _merged(_xlsx_rows(worksheet, formulas, settings.OCOP_IMPORT_MAX_ROWS), merges)
            sheet = _sheet_from(worksheet.title, rows, hint)
            if sheet is None:
                continue
            found = True
            data_merges = [m for m in merges if m[2] > sheet.header_row and m[0] != m[2]]
            if data_merges:
                refs = ", ".join(
                    f"{get_column_letter(m[1])}{m[0]}:{get_column_letter(m[3])}{m[2]}"
                    for m in data_merges[:5]
                )
                sheet.notices.append(
                    _("Merged cells (%(refs)s) were read as the same value on each of their rows.")
                    % {"refs": refs}
                )
            if formulas:
                sheet.notices.append(
                    _("Cells with formulas were read as the values Excel computed for them.")
                )
            yield sheet
    finally:
        workbook.close()
    if not found:
        raise FileRefused(_header_help())


def sheets(stream: IO[bytes], *, name: str, size: int, hint: str = "") -> Iterator[Sheet]:
    head = stream.read(8)
    stream.seek(0)
    if file_format(head, size) == "xlsx":
        yield from xlsx_sheets(stream, hint=hint)
    else:
        yield csv_sheet(stream, name=name, hint=hint)
