"""The printed certificate. pypdf is not a dependency, so the text is checked where reportlab receives
it (every line drawn) and the file itself by its structure: one A4 landscape page, the bundled font."""

import re
import unicodedata
from decimal import Decimal

import pytest
import segno
from reportlab.pdfgen.textobject import PDFTextObject

from certificates import pdf
from certificates.pdf import QR_MODULE, QR_QUIET_ZONE, certificate_pdf_render
from registry.models import ProductTranslation
from tests.certificates.factories import make_certificate
from tests.factories import make_entity, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    lines: list[str] = []
    original = PDFTextObject.textLine

    def spy(self, text="", *args, **kwargs):
        lines.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(PDFTextObject, "textLine", spy)
    return lines


def test_it_renders_one_landscape_a4_page_in_the_bundled_font():
    content = certificate_pdf_render(make_certificate())
    assert content.startswith(b"%PDF-")
    assert content.count(b"/Type /Page\n") == 1
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content
    fonts = set(re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([A-Za-z-]+)", content))
    assert fonts == {b"DejaVuSans", b"DejaVuSans-Bold"}  # embedded subsets; no Helvetica fallback


def test_it_prints_the_certificate_facts_in_vietnamese(drawn):
    entity = make_entity(legal_name="Hợp tác xã Chè Suối Giàng", address="Thôn Pang Cáng")
    product = make_product(entity=entity, name="Trà Shan Tuyết Suối Giàng")
    certificate = make_certificate(product=product, stars=4)
    certificate_pdf_render(certificate)
    text = "\n".join(drawn)
    for expected in [
        "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
        f"Số: {certificate.number}",
        "Trà Shan Tuyết Suối Giàng",
        "Chủ thể: Hợp tác xã Chè Suối Giàng",
        f"Địa chỉ: Thôn Pang Cáng, {entity.commune.name}, {entity.province.name}",
        "Đạt hạng 4 sao · 78,5 điểm",
        "theo Bộ tiêu chí ban hành kèm theo Quyết định số 26/2026/QĐ-TTg",
        f"Quyết định công nhận số {certificate.decision_no} ngày 01/07/2026",
        "Giấy chứng nhận có giá trị đến ngày 01/07/2029",
        f"Mã xác thực: {certificate.verification_code}",
        certificate.issuer_vi.upper(),
    ]:
        assert expected in text


def test_it_composes_decomposed_marks_before_drawing(drawn):
    certificate = make_certificate()
    decomposed = unicodedata.normalize("NFD", "Mắm tôm Hậu Lộc")
    ProductTranslation.objects.filter(product=certificate.product).update(name=decomposed)
    certificate.product.refresh_from_db()
    certificate_pdf_render(certificate)
    assert "Mắm tôm Hậu Lộc" in drawn
    assert all(unicodedata.is_normalized("NFC", line) for line in drawn)


@pytest.mark.parametrize("stars", [3, 4])
def test_it_draws_one_gold_star_per_star(monkeypatch, stars):
    drawn_stars = []
    monkeypatch.setattr(pdf, "_star", lambda c, cx, cy, radius: drawn_stars.append((cx, cy)))
    certificate_pdf_render(make_certificate(stars=stars))
    assert len(drawn_stars) == stars
    assert len({y for _x, y in drawn_stars}) == 1


def test_the_qr_code_holds_the_public_verification_url_at_level_m(monkeypatch, settings):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.example.vn/"
    made = []
    original = segno.make

    def spy(content, **kwargs):
        made.append((content, kwargs))
        return original(content, **kwargs)

    monkeypatch.setattr(pdf.segno, "make", spy)
    certificate = make_certificate()
    certificate_pdf_render(certificate)
    content, kwargs = made[0]
    assert content == f"https://ocop.example.vn/verify/{certificate.verification_code}"
    assert kwargs["error"] == "m" and kwargs["boost_error"] is False and kwargs["micro"] is False


class _RectRecorder:
    def __init__(self):
        self.rects: list[tuple[float, float, float, float]] = []

    def setFillColor(self, color):
        pass

    def rect(self, x, y, width, height, stroke=0, fill=0):
        self.rects.append((x, y, width, height))


def test_the_qr_code_is_drawn_upright_with_its_quiet_zone():
    url = "http://127.0.0.1:8000/verify/ABCDEFGH23"
    recorder = _RectRecorder()
    side = pdf._qr(recorder, 10, 20, url)
    expected = [
        [bool(v) for v in row]
        for row in segno.make(url, error="m", micro=False, boost_error=False).matrix_iter(
            scale=1, border=QR_QUIET_ZONE
        )
    ]
    size = len(expected)
    assert side == pytest.approx(size * QR_MODULE)
    background, *runs = recorder.rects
    assert background == (10, 20, side, side)
    seen = [[False] * size for _i in range(size)]
    for x, y, width, height in runs:
        assert height == QR_MODULE  # one module row per rectangle
        row = round((20 + side - y) / QR_MODULE) - 1
        first = round((x - 10) / QR_MODULE)
        for col in range(first, first + round(width / QR_MODULE)):
            seen[row][col] = True
    assert seen == expected
    assert not any(
        seen[r][c] for r in range(size) for c in range(size) if min(r, c, size - 1 - r, size - 1 - c) < 4
    )


def test_the_same_certificate_gives_the_same_bytes():
    certificate = make_certificate()
    assert certificate_pdf_render(certificate) == certificate_pdf_render(certificate)


def test_a_score_is_printed_with_a_decimal_comma():
    assert pdf._score_vi(Decimal("78.50")) == "78,5"
    assert pdf._score_vi(Decimal("90.00")) == "90"
