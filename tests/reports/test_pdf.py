"""The dashboard as a PDF report (reports.pdf, reports.pdf_charts, reports.views_pdf): the seed
figures read back from the file with poppler's pdftotext, the bundled font embedded, the charts drawn
from the tables' rows, long tables flowing over pages, and the dashboard's permissions."""

import re
import subprocess
import unicodedata
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from places.models import Province
from registry.models import Role
from reports import pdf_charts
from reports.figures import STARS
from reports.figures_activity import EVENT_KINDS, expiring_per_month
from reports.jurisdiction import Jurisdiction
from reports.models import Target
from reports.summary import summary
from tests.factories import make_user, with_role
from tests.reports.records import (
    LANG_SON_ON,
    LAO_CAI_ON,
    certify,
    communes,
    lang_son,
    lao_cai,
    products_in,
    province,
)

pytestmark = pytest.mark.django_db

URL = "reports:dashboard_pdf"


@pytest.fixture
def lc():
    return lao_cai()


def _official(client, place: Province):
    client.force_login(with_role(make_user(), Role.Kind.PROVINCE, province=place))


def _poppler(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    """A poppler tool (pdftotext, pdffonts: `make browsers` installs them) on the downloaded file."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    command = [f"/usr/bin/{tool}", *args, str(path), *(["-"] if tool == "pdftotext" else [])]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def _download(client, **params) -> bytes:
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _figure(text: str, label: str) -> str:
    """The number on the line of the headline table that starts with `label`."""
    match = re.search(rf"^\s*{re.escape(label)}\s+(\S+)\s*$", text, re.M)
    assert match, label
    return match.group(1)


def test_it_prints_the_seed_figures_of_lao_cai_in_vietnamese(client, lc, tmp_path):
    _official(client, lc["province"])
    response = client.get(reverse(URL), {"on": LAO_CAI_ON.isoformat()})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="ocop-report-{lc["province"].code}-2025-08-18.pdf"'
    )
    text = _poppler("pdftotext", response.content, tmp_path, "-layout")
    assert "Báo cáo OCOP: Tỉnh Lào Cai" in text
    assert "Ngày tính số liệu: 18/08/2025" in text
    assert "Số liệu chính" in text and "Sản phẩm còn hiệu lực theo xã/phường" in text
    figures = [
        ("Sản phẩm OCOP còn hiệu lực", "604"),
        ("5 sao", "2"),
        ("4 sao", "49"),
        ("3 sao", "553"),
        ("Số xã/phường có ít nhất một sản phẩm OCOP còn hiệu lực", "82"),
        ("Tiềm năng lên hạng sao", "3"),
        ("Hết hạn, chưa đánh giá lại", "10"),
    ]
    assert [_figure(text, label) for label, _v in figures] == [v for _l, v in figures]
    # Every one of the 82 communes is a line of the table, with its numbers; then the total line.
    s = summary(Jurisdiction(province=lc["province"]), LAO_CAI_ON)
    assert len(s.rows) == 82
    for row in s.rows:
        assert re.search(
            rf"^\s*{re.escape(row.label)}\s+{r'\s+'.join(map(str, [*row.per_star, row.total]))}\s*$",
            text,
            re.M,
        ), row.label
    assert re.search(r"^\s*Tổng\s+553\s+49\s+2\s+604\s*$", text, re.M)


def test_it_embeds_the_bundled_font_and_no_other(client, lc, tmp_path):
    _official(client, lc["province"])
    fonts = _poppler("pdffonts", _download(client, on=LAO_CAI_ON.isoformat()), tmp_path).splitlines()[2:]
    assert sorted(line.split()[0].split("+")[-1] for line in fonts) == ["DejaVuSans", "DejaVuSans-Bold"]
    assert all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column


@pytest.mark.parametrize("language, percents", [("en", ["358.3%", "153.6%"]), ("vi", ["358,3%", "153,6%"])])
def test_it_prints_the_targets_percentages_as_the_dashboard_shows_them(client, language, percents, tmp_path):
    data = lang_son()
    ls = data["province"]
    source = unicodedata.normalize("NFD", 'Quyết định 12 & <kế hoạch> "A\'B"')  # decomposed marks, markup
    for end, value in ((2025, 60), (2030, 140)):
        Target.objects.create(
            province=ls,
            kind=Target.Kind.FIRST_CERTIFIED,
            start_year=2021,
            end_year=end,
            value=value,
            source=source,
        )
    _official(client, ls)
    client.cookies["django_language"] = language
    with translation.override(language):
        page = client.get(reverse("reports:dashboard"), {"on": LANG_SON_ON.isoformat()}).content.decode()
        text = _poppler("pdftotext", _download(client, on=LANG_SON_ON.isoformat()), tmp_path, "-layout")
    assert re.findall(r'data-testid="target-percent">([^<]*)<', page) == percents
    lines = [line for line in text.splitlines() if "2021–20" in line and "%" in line]
    assert [re.search(r"(\S+%)", line).group(1) for line in lines] == percents
    assert re.search(r"215\s+60\s+358", lines[0]) and re.search(r"215\s+140\s+153", lines[1])
    assert text.count('Quyết định 12 & <kế hoạch> "A\'B"') == 2


def test_the_charts_draw_the_numbers_of_the_tables(client, english, lc):
    s = summary(Jurisdiction(province=lc["province"]), LAO_CAI_ON)
    areas = pdf_charts.stars_by_area(s.rows, width=500)
    drawn = s.rows[: pdf_charts.MAX_BARS]
    assert len(drawn) == 40 < len(s.rows)
    assert areas.chart.data == [[r.stars[n] for r in drawn] for n in STARS]
    assert areas.chart.categoryAxis.categoryNames[:2] == [r.label for r in drawn[:2]]
    assert [text for _fill, text in areas.legend.colorNamePairs] == [
        "3 stars: 553",
        "4 stars: 49",
        "5 stars: 2",
    ]
    assert [bar.fillColor.hexval() for bar in (areas.chart.bars[i] for i in range(3))] == [
        "0x" + pdf_charts.STAR_FILLS[n][1:] for n in STARS
    ]

    events = pdf_charts.events_per_year(s.events, width=500)
    assert events.chart.categoryAxis.categoryNames == ["2021", "2022", "2023", "2024", "2025"]
    assert events.chart.data == [[s.events[year][kind] for year in s.events] for kind in EVENT_KINDS]
    assert sum(map(sum, events.chart.data)) == sum(sum(k.values()) for k in s.events.values()) > 600

    months = expiring_per_month(s.area, s.on)
    expiring = pdf_charts.expiring_per_month(months, width=500)
    assert expiring.chart.categoryAxis.categoryNames[0] == "08/2025"
    assert expiring.chart.data == [[count for _m, count in months]]
    assert sum(expiring.chart.data[0]) > 0


def test_an_area_without_products_says_there_is_nothing_to_draw(client, english, tmp_path):
    cao_bang = province("Cao Bằng")
    s = summary(Jurisdiction(province=cao_bang), date(2025, 8, 18))
    assert pdf_charts.stars_by_area(s.rows, width=500) is None
    assert pdf_charts.events_per_year(s.events, width=500) is None
    assert pdf_charts.expiring_per_month(expiring_per_month(s.area, s.on), width=500) is None
    _official(client, cao_bang)
    text = _poppler("pdftotext", _download(client, on="2025-08-18"), tmp_path, "-layout")
    assert "OCOP report: Tỉnh Cao Bằng" in text
    assert "No current OCOP products on this date: nothing to draw." in text
    assert "No certificate events in these years: nothing to draw." in text


def test_a_province_of_150_communes_flows_over_pages_with_every_commune(client, english, tmp_path):
    thanh_hoa = province("Thanh Hóa")
    places = communes(thanh_hoa)[:150]
    certify(products_in(places, 150), stars=3, decided=date(2024, 1, 15))
    _official(client, thanh_hoa)
    text = _poppler("pdftotext", _download(client, on="2025-08-18"), tmp_path, "-layout")
    pages = text.rstrip("\f").split("\f")
    assert len(pages) >= 5
    for place in places:
        assert re.search(rf"^\s*{re.escape(place.name)}\s+1\s+0\s+0\s+1\s*$", text, re.M), place.name
    # The table's header is repeated on each page it runs over; every page has its footer.
    headers = [p for p in pages if re.search(r"^\s*Name\s+3 stars\s+4 stars\s+5 stars\s+Total\s*$", p, re.M)]
    assert len(headers) >= 3
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"OCOP report: Tỉnh Thanh Hóa\s+Page {number}\s*$", page.rstrip(), re.M), number
    assert "The chart draws the first 40 of 150; all of them are in the table." in text


def test_it_refuses_another_province_and_unknown_codes(client, english):
    hanoi = province("Hà Nội")
    _official(client, province("Lào Cai"))
    for params, status in (
        ({"province": hanoi.code}, 403),
        ({"commune": hanoi.communes.order_by("code")[0].code}, 403),
        ({"province": "99"}, 404),
    ):
        response = client.get(reverse(URL), params)
        assert response.status_code == status
        assert response["Content-Type"] != "application/pdf"


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "login" in response["Location"]
