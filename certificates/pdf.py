"""The printable certificate: one A4 landscape page in Vietnamese (the document's language), with the
stars drawn as vector polygons and a QR code of the public verification URL.

Decision 26/2026 prescribes no certificate template (its Annex III has Mẫu 01-03 only), so the page
follows the usual layout of an administrative document: issuer and national motto at the top, title,
then the recognised facts. Every string is NFC-normalised first: reportlab draws code points as they
come and does not compose a base letter with a combining mark."""

import io
import math
from datetime import date
from decimal import Decimal

import segno
from django.conf import settings
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from certificates.models import Certificate
from certificates.selectors import verification_url
from certificates.services import CENTRAL_ISSUER_VI
from ocop_hub.text import nfc

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

GREEN = HexColor("#1f6b3a")
GOLD = HexColor("#d4a017")
GOLD_DARK = HexColor("#9c7410")
INK = HexColor("#1d2321")
MUTED = HexColor("#5b6661")
BLACK = Color(0, 0, 0)

PAGE_W, PAGE_H = landscape(A4)
QR_QUIET_ZONE = 4  # modules, as ISO/IEC 18004 requires around the symbol
QR_MODULE = 2.4  # points per module: a version 3-4 code is 3 cm wide with its quiet zone


def _fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(settings.OCOP_FONT_REGULAR)))
        pdfmetrics.registerFont(TTFont(BOLD, str(settings.OCOP_FONT_BOLD)))


def _date_vi(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _score_vi(score: Decimal | None) -> str:
    if score is None:
        return ""
    return f"{score.normalize():f}".replace(".", ",")


def _place_vi(certificate: Certificate) -> str:
    if certificate.issuer_vi == CENTRAL_ISSUER_VI:
        return "Hà Nội"  # the Ministry's seat
    return certificate.entity.province.short_name


class _Page:
    """A canvas with the few text operations the certificate needs, all NFC-normalised."""

    def __init__(self, canvas: Canvas):
        self.c = canvas

    def text(self, x: float, y: float, text: str, *, font=REGULAR, size=11.0, color=INK, align="center"):
        text = nfc(text)
        self.c.setFillColor(color)
        self.c.setFont(font, size)
        if align == "center":
            self.c.drawCentredString(x, y, text)
        elif align == "right":
            self.c.drawRightString(x, y, text)
        else:
            self.c.drawString(x, y, text)

    def lines(
        self, x: float, y: float, text: str, *, width: float, size=11.0, leading=None, max_lines=2, **kw
    ) -> float:
        """Wrapped text, cut with an ellipsis after `max_lines`; returns the y below the last line."""
        font = kw.get("font", REGULAR)
        leading = leading or size * 1.35
        lines = simpleSplit(nfc(text), font, size, width)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while last and pdfmetrics.stringWidth(last + " …", font, size) > width:
                last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
            lines[-1] = last.rstrip() + " …"
        for line in lines:
            self.text(x, y, line, size=size, **kw)
            y -= leading
        return y

    def fitted(
        self, x: float, y: float, text: str, *, width: float, size: float, least: float, **kw
    ) -> float:
        """A heading shrunk to fit one line, wrapped on two at the smallest size; returns the y below."""
        font = kw.get("font", REGULAR)
        text = nfc(text)
        while size > least and pdfmetrics.stringWidth(text, font, size) > width:
            size -= 0.5
        return self.lines(x, y, text, width=width, size=size, leading=size * 1.2, **kw)


def _star(c: Canvas, cx: float, cy: float, radius: float) -> None:
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
    c.setFillColor(GOLD)
    c.setStrokeColor(GOLD_DARK)
    c.setLineWidth(0.8)
    c.drawPath(path, fill=1, stroke=1)


def _stars(c: Canvas, cx: float, cy: float, count: int, *, radius=15.0, gap=8.0) -> None:
    step = 2 * radius + gap
    first = cx - step * (count - 1) / 2
    for i in range(count):
        _star(c, first + i * step, cy, radius)


def _qr(c: Canvas, x: float, y: float, data: str) -> float:
    """The QR code with its quiet zone, bottom-left corner at (x, y), as vector squares (one rectangle
    per run of dark modules). Error level M, as printed labels get scuffed. Returns its side."""
    qr = segno.make(data, error="m", micro=False, boost_error=False)
    rows = list(qr.matrix_iter(scale=1, border=QR_QUIET_ZONE))
    side = len(rows) * QR_MODULE
    c.setFillColor(white)
    c.rect(x, y, side, side, stroke=0, fill=1)
    c.setFillColor(BLACK)
    for r, row in enumerate(rows):
        top = y + side - (r + 1) * QR_MODULE
        start = None
        for col, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                c.rect(x + start * QR_MODULE, top, (col - start) * QR_MODULE, QR_MODULE, stroke=0, fill=1)
                start = None
    return side


def certificate_pdf_render(certificate: Certificate) -> bytes:
    _fonts()
    buffer = io.BytesIO()
    # invariant: the same certificate gives the same bytes (no creation time, fixed document id).
    c = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=True, pageCompression=1, initialFontName=REGULAR)
    product_name = certificate.product.name_vi
    entity = certificate.entity
    c.setTitle(nfc(f"Giấy chứng nhận sản phẩm OCOP {certificate.number}"))
    c.setSubject(nfc(product_name))
    c.setAuthor(nfc(certificate.issuer_vi))
    c.setCreator("OCOP Hub")
    page = _Page(c)
    mid = PAGE_W / 2

    # Frame: a green rule and a thin gold one inside it.
    c.setStrokeColor(GREEN)
    c.setLineWidth(3)
    c.rect(18, 18, PAGE_W - 36, PAGE_H - 36)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(26, 26, PAGE_W - 52, PAGE_H - 52)

    # Heading: issuer on the left, national name and motto on the right.
    left, right, top = PAGE_W * 0.26, PAGE_W * 0.70, PAGE_H - 62
    y = page.lines(left, top, certificate.issuer_vi.upper(), width=300, size=10.5, font=BOLD)
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(left - 40, y + 6, left + 40, y + 6)
    page.text(right, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=10.5, font=BOLD)
    page.text(right, top - 14.5, "Độc lập - Tự do - Hạnh phúc", size=10.5, font=BOLD)
    motto = pdfmetrics.stringWidth(nfc("Độc lập - Tự do - Hạnh phúc"), BOLD, 10.5)
    c.line(right - motto / 2, top - 18.5, right + motto / 2, top - 18.5)

    # Title and number.
    page.text(mid, PAGE_H - 140, "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP", size=27, font=BOLD, color=GREEN)
    page.text(mid, PAGE_H - 158, "OCOP PRODUCT CERTIFICATE", size=9.5, color=MUTED)
    page.text(mid, PAGE_H - 180, f"Số: {certificate.number}", size=12)

    # What is recognised, and whose it is.
    page.text(mid, PAGE_H - 214, "Chứng nhận sản phẩm", size=11, color=MUTED)
    y = page.fitted(mid, PAGE_H - 244, product_name, width=PAGE_W - 200, size=24, least=16, font=BOLD)
    y = page.lines(mid, y - 2, f"Chủ thể: {entity.legal_name}", width=PAGE_W - 220, size=12.5, font=BOLD)
    address = ", ".join(part for part in (entity.address, entity.commune.name, entity.province.name) if part)
    y = page.lines(mid, y, f"Địa chỉ: {address}", width=PAGE_W - 240, size=10.5, color=MUTED)

    # The stars and the score.
    stars_y = y - 24
    _stars(c, mid, stars_y, certificate.stars)
    rank = f"Đạt hạng {certificate.stars} sao"
    if certificate.score is not None:
        rank += f" · {_score_vi(certificate.score)} điểm"
    page.text(mid, stars_y - 34, rank, size=13, font=BOLD, color=GREEN)
    y = stars_y - 54
    page.text(
        mid, y, f"theo Bộ tiêu chí ban hành kèm theo Quyết định số {certificate.release.decision}", size=10.5
    )
    y -= 16
    page.text(
        mid,
        y,
        f"Quyết định công nhận số {certificate.decision_no} ngày {_date_vi(certificate.decision_date)}",
        size=10.5,
    )
    y -= 20
    page.text(
        mid, y, f"Giấy chứng nhận có giá trị đến ngày {_date_vi(certificate.valid_until)}", size=12, font=BOLD
    )

    # Bottom left: the QR code of the public verification page, with the code for typing by hand.
    url = verification_url(certificate)
    qr_x, qr_y = 48, 44
    side = _qr(c, qr_x, qr_y, url)
    text_x = qr_x + side + 6
    page.text(text_x, qr_y + side - 22, "Quét mã để kiểm tra giấy chứng nhận", size=9, align="left")
    page.text(text_x, qr_y + side - 34, "Scan to verify this certificate", size=8, color=MUTED, align="left")
    page.text(
        text_x,
        qr_y + side - 52,
        f"Mã xác thực: {certificate.verification_code}",
        size=9.5,
        font=BOLD,
        align="left",
    )
    page.lines(text_x, qr_y + side - 66, url, width=230, size=7.5, color=MUTED, align="left", leading=9.5)

    # Bottom right: place and date of the decision, the issuer.
    sign_x, sign_y = PAGE_W * 0.74, 104
    d = certificate.decision_date
    page.text(
        sign_x,
        sign_y,
        f"{_place_vi(certificate)}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
        size=10.5,
    )
    page.lines(sign_x, sign_y - 18, certificate.issuer_vi.upper(), width=260, size=10, font=BOLD)
    page.text(
        mid,
        34,
        "Bản in từ OCOP Hub: tính xác thực được kiểm tra bằng mã QR hoặc mã xác thực.",
        size=7.5,
        color=MUTED,
    )
    c.showPage()
    c.save()
    return buffer.getvalue()
