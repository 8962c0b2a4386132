"""Label sheets without Django: QR symbols encoded on every core, written into a print-ready PDF (an A4
sheet or a roll), a ZIP of one SVG/PNG per label, or a CSV. The job service (labels.services) and the
bench (bench.labels_bench) both call `output_write`, so the bench measures the path users take.

Decisions (measured on the machine that runs `make bench`, see README "Printing labels"):

- **Error correction M, never boosted.** Labels get scuffed and folded; L (7 %) saves one version but
  a scratch across a small label then loses the code. M (15 %) is the usual label level; level and
  version stay what the job page says (segno's `boost_error` would raise the level silently).
- **Uppercase scheme and host** (`HTTPS://OCOP.EXAMPLE.VN/01/…`): RFC 3986 makes both
  case-insensitive, traceability.digital_link accepts them, phones lower-case the host; the path keeps
  its case. The serial alphabet is uppercase digits and letters and percent-escapes are uppercase hex,
  so the whole URI fits QR's alphanumeric mode (5.5 bits a character instead of 8): a 72-character
  Digital Link is version 4 (33 × 33 modules) instead of 5 (37 × 37) at level M, so each module is
  about 12 % bigger on the same label. A lot code with lowercase letters falls back to byte mode.
- **Automatic masking** (the standard's penalty rules, segno's default). A fixed mask encodes ~5×
  faster, but the penalty rules exist to keep finder-like patterns and large blocks out of the data
  area, which is what makes a worn or badly lit label readable; 100,000 labels still render in a few
  minutes on two cores, so speed does not justify giving that up.
- **Vector modules, snapped to 300 dpi.** Each symbol is drawn as filled rectangles (horizontal runs
  merged with the identical runs of the rows below), written as raw PDF operators by the worker that
  encoded it. The module side is a whole number of 300-dpi printer dots and every symbol starts on the
  dot grid, so a 300-dpi printer gives every module the same width (no resampling, no blur at any
  zoom). A 1-bit image per symbol would be smaller but viewers smooth small images when zoomed.
- **4-module quiet zone** (ISO/IEC 18004 §6.3.8) inside the QR box: nothing else is drawn there.
- The text every label of a job shares (product name, star badge, lot, expiry) is one PDF form
  XObject drawn by reference; only the QR and the short code differ from label to label.
"""

import csv
import io
import math
import multiprocessing
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice

import segno
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ocop_hub.text import nfc

QR_ERROR = "M"
QR_QUIET_ZONE = 4  # modules, ISO/IEC 18004 §6.3.8
PRINTER_DPI = 300
MIN_MODULE_DOTS = 3  # below 3 dots (0.25 mm) a 300-dpi thermal printer blurs modules together
A4_MM = (210.0, 297.0)
PT_PER_MM = 72 / 25.4
DOT_PT = 72 / PRINTER_DPI
CHUNK = 500  # labels a worker encodes per round trip: big enough to hide the pickling
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
MIN_TEXT_COLUMN_MM = 12.0  # narrower, a product name breaks after every few letters
MIN_QR_BOX_MM = 10.0  # a version 4 symbol and its quiet zone at 3 dots a module need 10.4 mm
FORMATS = ("pdf", "zip_svg", "zip_png", "csv")
# Documented columns for printers' own software (not translated): the serial, the canonical Digital
# Link, the exact text the platform's QR codes carry, the short code printed under the QR, lot, expiry.
CSV_HEADER = ["serial", "uri", "qr_text", "short_code", "lot", "expiry"]

_DARK_RUN = re.compile(rb"\x01+")


@dataclass(frozen=True)
class Sheet:
    """Where labels sit: an A4 sheet in columns and rows, or a roll (one label per page, the
    label's own size, as roll printers' drivers expect)."""

    roll: bool
    label_w_mm: float
    label_h_mm: float
    margin_left_mm: float = 0.0
    margin_top_mm: float = 0.0
    gap_x_mm: float = 0.0
    gap_y_mm: float = 0.0
    padding_mm: float = 1.5

    @property
    def page_mm(self) -> tuple[float, float]:
        return (self.label_w_mm, self.label_h_mm) if self.roll else A4_MM

    @property
    def columns(self) -> int:
        if self.roll:
            return 1
        usable = A4_MM[0] - 2 * self.margin_left_mm + self.gap_x_mm
        return max(0, int(usable // (self.label_w_mm + self.gap_x_mm + 1e-9) if usable > 0 else 0))

    @property
    def rows(self) -> int:
        if self.roll:
            return 1
        usable = A4_MM[1] - 2 * self.margin_top_mm + self.gap_y_mm
        return max(0, int(usable // (self.label_h_mm + self.gap_y_mm + 1e-9) if usable > 0 else 0))

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin_mm(self, index: int) -> tuple[float, float]:
        """Bottom-left corner of the label at `index` on its page (PDF coordinates, y up)."""
        if self.roll:
            return 0.0, 0.0
        column, row = index % self.columns, index // self.columns
        x = self.margin_left_mm + column * (self.label_w_mm + self.gap_x_mm)
        top = A4_MM[1] - self.margin_top_mm - row * (self.label_h_mm + self.gap_y_mm)
        return x, top - self.label_h_mm


@dataclass(frozen=True)
class Face:
    """What a label shows besides its QR code; the texts are the same on every label of a job."""

    show_name: bool = True
    show_stars: bool = True
    show_lot: bool = True
    show_expiry: bool = True
    show_code: bool = True
    product_name: str = ""
    stars: int = 0
    lot: str = ""
    expiry: str = ""  # already formatted, dd/mm/yyyy

    @property
    def has_text_column(self) -> bool:
        return self.show_name or self.show_stars or self.show_lot or self.show_expiry


@dataclass(frozen=True)
class Box:
    """The label's inner geometry in millimetres from its bottom-left corner."""

    qr_x: float
    qr_y: float
    qr_side: float  # the QR box, quiet zone included
    code_y: float
    code_size_pt: float
    text_x: float
    text_w: float


def box_of(sheet: Sheet, face: Face) -> Box:
    """QR at the left (or alone), the short code under it, the shared texts in a column at its right."""
    pad = sheet.padding_mm
    w, h = sheet.label_w_mm, sheet.label_h_mm
    code_size = 6.0 if h < 25 else 7.0
    code_h = code_size / PT_PER_MM * 1.25 if face.show_code else 0.0
    room = w - 2 * pad - ((MIN_TEXT_COLUMN_MM + pad) if face.has_text_column else 0.0)
    side = max(0.0, min(h - 2 * pad - code_h, room))
    text_x = pad + side + pad
    return Box(
        qr_x=pad,
        qr_y=h - pad - side,
        qr_side=side,
        code_y=pad + code_h * 0.2,
        code_size_pt=code_size,
        text_x=text_x,
        text_w=max(0.0, w - text_x - pad),
    )


def module_dots(sheet: Sheet, face: Face, symbol_modules: int) -> int:
    """Printer dots per module: the largest whole number for which the symbol and its quiet zone fit."""
    side_dots = box_of(sheet, face).qr_side * PT_PER_MM / DOT_PT
    return int(side_dots // (symbol_modules + 2 * QR_QUIET_ZONE))


def layout_problems(sheet: Sheet, face: Face) -> list[str]:
    """What is wrong with a template, as codes (labels.services words them): empty when it can print."""
    problems = []
    numbers = (
        sheet.label_w_mm,
        sheet.label_h_mm,
        sheet.margin_left_mm,
        sheet.margin_top_mm,
        sheet.gap_x_mm,
        sheet.gap_y_mm,
        sheet.padding_mm,
    )
    if any(not math.isfinite(n) for n in numbers):
        return ["not_a_number"]
    if sheet.label_w_mm < 10 or sheet.label_h_mm < 10:
        problems.append("label_too_small")
    if min(sheet.margin_left_mm, sheet.margin_top_mm, sheet.gap_x_mm, sheet.gap_y_mm, sheet.padding_mm) < 0:
        problems.append("negative")
    if sheet.roll:
        if sheet.label_w_mm > A4_MM[0] or sheet.label_h_mm > A4_MM[1]:
            problems.append("roll_too_wide")
    elif sheet.per_page < 1:
        problems.append("does_not_fit")
    if not problems and box_of(sheet, face).qr_side < MIN_QR_BOX_MM:
        problems.append("no_room_for_text" if face.has_text_column else "label_too_small")
    return problems


# --- QR content and encoding (runs in worker processes) ----------------------------------------------


def qr_text(uri: str, *, uppercase_host: bool = True) -> str:
    """What the QR carries: the URI with its scheme and host in capitals (see the module docstring)."""
    if not uppercase_host:
        return uri
    scheme, sep, rest = uri.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.upper()}{sep}{host.upper()}{slash}{path}"


def encode(text: str) -> segno.QRCode:
    return segno.make(text, error=QR_ERROR, micro=False, boost_error=False)


def vector_ops(matrix) -> str:
    """The symbol's dark modules as PDF rectangles in module units, origin at its bottom-left corner:
    each horizontal run, merged with the same run on the rows below it."""
    size = len(matrix)
    ops: list[str] = []
    open_runs: dict[tuple[int, int], int] = {}
    for row_index, row in enumerate(matrix):
        runs = {(m.start(), m.end() - m.start()) for m in _DARK_RUN.finditer(bytes(row))}
        for run in [r for r in open_runs if r not in runs]:
            start = open_runs.pop(run)
            ops.append(f"{run[0]} {size - row_index} {run[1]} {row_index - start} re")
        for run in runs:
            open_runs.setdefault(run, row_index)
    for run, start in open_runs.items():
        ops.append(f"{run[0]} 0 {run[1]} {size - start} re")
    ops.append("f")
    return " ".join(ops)


def _encode_vector(texts: list[str]) -> list[tuple[int, str, int, str]]:
    out = []
    for text in texts:
        qr = encode(text)
        out.append((int(qr.version), str(qr.error), len(qr.matrix), vector_ops(qr.matrix)))
    return out


def _encode_files(args: tuple[list[str], str, int]) -> list[tuple[int, str, int, bytes]]:
    texts, kind, dots = args
    out = []
    for text in texts:
        qr = encode(text)
        buffer = io.BytesIO()
        if kind == "svg":
            # Physical size in millimetres, one module = `dots` printer dots, like the PDF.
            qr.save(buffer, kind="svg", scale=dots * 25.4 / PRINTER_DPI, unit="mm", border=QR_QUIET_ZONE)
        else:
            qr.save(buffer, kind="png", scale=dots, border=QR_QUIET_ZONE, dpi=PRINTER_DPI)
        out.append((int(qr.version), str(qr.error), len(qr.matrix), buffer.getvalue()))
    return out


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _encoded(fn, payloads: Iterator, workers: int) -> Iterator[list]:
    """fn over the payloads, results in order: on `workers` processes (forkserver: clean children
    that import segno only, never a copy of a web worker or its database connections), with a
    bounded number in flight so memory stays flat for a million labels."""
    if workers <= 1:
        yield from map(fn, payloads)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: list = []
        for payload in payloads:
            pending.append(pool.submit(fn, payload))
            if len(pending) >= 3 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def workers_for(total: int, setting: int, chunk: int = CHUNK) -> int:
    """All cores (or the setting) for a job of more than one chunk; one process for a small one,
    which then starts no pool at all."""
    cores = setting if setting > 0 else (os.cpu_count() or 1)
    return 1 if total <= chunk else max(1, cores)


# --- outputs -----------------------------------------------------------------------------------------


@dataclass
class Result:
    labels: int = 0
    pages: int = 0
    version: int = 0
    error: str = QR_ERROR
    modules: int = 0
    module_dots: int = 0
    problems: list[str] = field(default_factory=list)


def fonts_register(regular: str, bold: str) -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, regular))
        pdfmetrics.registerFont(TTFont(BOLD, bold))


def _star_path(c: Canvas, cx: float, cy: float, radius: float) -> None:
    path = c.beginPath()
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382  # the regular pentagram's inner radius
        angle = math.pi / 2 + i * math.pi / 5
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        if i == 0:
            path.moveTo(x, y)
        else:
            path.lineTo(x, y)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(text, font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _face_form(c: Canvas, sheet: Sheet, face: Face, text_x_mm: float) -> None:
    """The shared texts, once, as a form XObject named "face" (label coordinates, points), in a
    column from `text_x_mm` (just right of the QR's quiet zone) to the padding."""
    width_mm = sheet.label_w_mm - text_x_mm - sheet.padding_mm
    c.beginForm(
        "face", lowerx=0, lowery=0, upperx=sheet.label_w_mm * PT_PER_MM, uppery=sheet.label_h_mm * PT_PER_MM
    )
    if face.has_text_column and width_mm >= MIN_TEXT_COLUMN_MM:
        x = text_x_mm * PT_PER_MM
        width = width_mm * PT_PER_MM
        y = (sheet.label_h_mm - sheet.padding_mm) * PT_PER_MM
        size = 6.5 if sheet.label_h_mm >= 25 else 5.5
        c.setFillGray(0)
        if face.show_name and face.product_name:
            c.setFont(BOLD, size + 0.5)
            for line in _fit_lines(nfc(face.product_name), BOLD, size + 0.5, width, 3):
                y -= (size + 0.5) * 1.15
                c.drawString(x, y, line)
            y -= size * 0.4
        if face.show_stars and face.stars:
            badge = pdfmetrics.stringWidth("OCOP", BOLD, size)
            radius = min(size * 0.55, (width - badge - 2) / (face.stars * 2.2))
            y -= max(radius * 2, size)
            c.setFillColorRGB(0.83, 0.63, 0.09)  # the OCOP gold of the certificate
            for i in range(face.stars):
                _star_path(c, x + radius + i * radius * 2.2, y + radius * 0.9, radius)
            c.setFillGray(0)
            c.setFont(BOLD, size)
            c.drawString(x + face.stars * radius * 2.2 + 1, y + radius * 0.3, "OCOP")
            y -= size * 0.3
        c.setFont(REGULAR, size)
        for shown, caption, value in (
            (face.show_lot, "Lô", face.lot),
            (face.show_expiry, "HSD", face.expiry),
        ):
            if shown and value:
                for line in _fit_lines(nfc(f"{caption}: {value}"), REGULAR, size, width, 2):
                    y -= size * 1.2
                    c.drawString(x, y, line)
    c.endForm()


def _pdf(
    path: str,
    sheet: Sheet,
    face: Face,
    items: Iterable[tuple[str, str]],
    workers: int,
    chunk: int,
    progress: Callable[[int], None] | None,
) -> Result:
    result = Result()
    box = box_of(sheet, face)
    page_w, page_h = (d * PT_PER_MM for d in sheet.page_mm)
    c = Canvas(path, pagesize=(page_w, page_h), pageCompression=1, invariant=1)
    c.setTitle("OCOP Hub labels")
    c.setCreator("OCOP Hub")
    per_page = sheet.per_page
    label_index = 0
    face_ready = False
    module_pt = 0.0
    qr_mm = 0.0
    for chunk_items in _chunks_with(items, chunk, workers, _encode_vector, lambda texts: texts):
        for (code, _text), (version, error, modules, ops) in chunk_items:
            if not face_ready:
                result.version, result.error, result.modules = version, error, modules
                result.module_dots = module_dots(sheet, face, modules)
                module_pt = result.module_dots * DOT_PT
                qr_mm = module_pt * (modules + 2 * QR_QUIET_ZONE) / PT_PER_MM
                _face_form(c, sheet, face, box.qr_x + qr_mm + 0.5)
                face_ready = True
            slot = label_index % per_page
            if slot == 0 and label_index:
                c.showPage()
            ox, oy = sheet.origin_mm(slot)
            c.saveState()
            c.translate(ox * PT_PER_MM, oy * PT_PER_MM)
            c.doForm("face")
            c.restoreState()
            # The QR box's top-left corner; the symbol inside its quiet zone, on the 300-dpi dot grid
            # (the page origin is on it too).
            left = (ox + box.qr_x) * PT_PER_MM + QR_QUIET_ZONE * module_pt
            bottom = (oy + box.qr_y + box.qr_side - qr_mm) * PT_PER_MM + QR_QUIET_ZONE * module_pt
            left = round(left / DOT_PT) * DOT_PT
            bottom = round(bottom / DOT_PT) * DOT_PT
            c.addLiteral(f"q 0 g {module_pt:.4f} 0 0 {module_pt:.4f} {left:.4f} {bottom:.4f} cm {ops} Q")
            if face.show_code:
                c.setFont(REGULAR, box.code_size_pt)
                c.drawCentredString(
                    (ox + box.qr_x + qr_mm / 2) * PT_PER_MM, (oy + box.code_y) * PT_PER_MM, nfc(code)
                )
            label_index += 1
        if progress:
            progress(label_index)
    result.labels = label_index
    result.pages = math.ceil(label_index / per_page) if label_index else 0
    if label_index:
        c.showPage()
    c.save()
    return result


def _chunks_with(items, chunk: int, workers: int, fn, payload_of) -> Iterator[list]:
    """Chunks of items, each zipped with what `fn` made of its QR texts in a worker."""
    held: list[list] = []

    def payloads():
        for group in _chunks(items, chunk):
            held.append(group)
            yield payload_of([text for _code, text in group])

    for encoded in _encoded(fn, payloads(), workers):
        yield list(zip(held.pop(0), encoded, strict=True))


def _zip(
    path: str,
    kind: str,
    sheet: Sheet,
    face: Face,
    items: Iterable[tuple[str, str]],
    workers: int,
    chunk: int,
    progress: Callable[[int], None] | None,
    dots: int,
) -> Result:
    result = Result()
    compression = zipfile.ZIP_DEFLATED if kind == "svg" else zipfile.ZIP_STORED  # PNG is compressed
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for group in _chunks_with(items, chunk, workers, _encode_files, lambda texts: (texts, kind, dots)):
            for (code, _text), (version, error, modules, data) in group:
                if not result.labels:
                    result.version, result.error, result.modules = version, error, modules
                    result.module_dots = dots
                archive.writestr(f"{code}.{kind}", data)
                result.labels += 1
            if progress:
                progress(result.labels)
    return result


def _csv(
    path: str, rows: Iterable[tuple[str, str, str]], face: Face, uppercase_host: bool, progress
) -> Result:
    result = Result()
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:  # BOM: spreadsheets read UTF-8
        writer = csv.writer(stream)
        writer.writerow(CSV_HEADER)
        for serial, uri, code in rows:
            writer.writerow(
                [serial, uri, qr_text(uri, uppercase_host=uppercase_host), code, face.lot, face.expiry]
            )
            result.labels += 1
            if progress and result.labels % CHUNK == 0:
                progress(result.labels)
    if progress:
        progress(result.labels)
    return result


def output_write(
    path: str,
    *,
    output_format: str,
    sheet: Sheet,
    face: Face,
    labels: Iterable[tuple[str, str, str]],
    workers: int = 1,
    uppercase_host: bool = True,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Write one output file. `labels` yields (serial, canonical URI, short code) in print order."""
    if output_format == "csv":
        return _csv(path, labels, face, uppercase_host, progress)
    iterator = iter(labels)
    first = next(iterator, None)
    if first is None:
        return Result()
    items = (
        (code, qr_text(uri, uppercase_host=uppercase_host)) for _serial, uri, code in chain([first], iterator)
    )
    if output_format == "pdf":
        return _pdf(path, sheet, face, items, workers, chunk, progress)
    kind = "svg" if output_format == "zip_svg" else "png"
    dots = probe(sheet, face, qr_text(first[1], uppercase_host=uppercase_host)).module_dots
    return _zip(path, kind, sheet, face, items, workers, chunk, progress, dots)


def probe(sheet: Sheet, face: Face, text: str) -> Result:
    """The symbol one QR text gives on this template (a job's texts all have the same length, so
    the same version): what the job page shows and what services check before a job starts."""
    qr = encode(text)
    modules = len(qr.matrix)
    return Result(
        version=int(qr.version),
        error=str(qr.error),
        modules=modules,
        module_dots=module_dots(sheet, face, modules),
    )
