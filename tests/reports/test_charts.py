"""The dashboard's inline SVG charts (reports.charts) draw the numbers of the tables next to them: the
Lào Cai seed records (604 products: 2 five-star, 49 four-star, 553 three-star in 82 communes), read
back from the page's <svg> elements and compared with the page's tables."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date

import pytest

from places.models import Commune
from registry.models import Role
from reports import charts, figures
from reports.figures import StarRow
from reports.figures_activity import EVENT_KINDS, expiring_per_month
from reports.jurisdiction import Jurisdiction
from tests.factories import make_user, with_role
from tests.reports.records import LAO_CAI_ON, lao_cai, province

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def lc():
    return lao_cai()


def _page(client, place, **params) -> str:
    client.force_login(with_role(make_user(), Role.Kind.PROVINCE, province=place))
    response = client.get("/reports/", {"on": LAO_CAI_ON.isoformat(), **params})
    assert response.status_code == 200
    return response.content.decode()


def _svg(page: str, testid: str) -> ET.Element:
    match = re.search(rf'<svg[^>]*data-testid="{testid}".*?</svg>', page, re.S)
    assert match, testid
    # The page this test just rendered, not untrusted input; well-formed XML, or this raises.
    svg = ET.fromstring(match.group(0))  # noqa: S314
    assert svg.get("role") == "img"
    assert svg.get("aria-label")
    for bar in svg.iter(f"{SVG}rect"):
        if "bar" in (bar.get("class") or "").split():
            title = bar.find(f"{SVG}title")
            assert title is not None and (title.text or "").endswith(f": {bar.get('data-value')}")
    return svg


def _bars(g: ET.Element) -> list[ET.Element]:
    return [r for r in g.iter(f"{SVG}rect") if "bar" in (r.get("class") or "").split()]


def _cell(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert match, testid
    return match.group(1).strip()


def _table_rows(page: str) -> list[tuple[str, list[int], int]]:
    """(key, [3★, 4★, 5★], total) of the "current products by area" table."""
    found = re.findall(
        r'data-testid="row" data-key="([^"]+)"><td>.*?</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>'
        r'<td data-testid="row-total">(\d+)</td>',
        page,
    )
    return [(key, [int(a), int(b), int(c)], int(total)) for key, a, b, c, total in found]


def _chart_rows(svg: ET.Element) -> list[tuple[str, list[int], int]]:
    rows = []
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") != "chart-row":
            continue
        stars = {int(r.get("data-star", "")): int(r.get("data-value", "")) for r in g.iter(f"{SVG}rect")}
        texts = [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "chart-value"]
        assert texts == [g.get("data-total")]  # the total is written, not only hovered
        rows.append(
            (g.get("data-key", ""), [stars.get(n, 0) for n in figures.STARS], int(g.get("data-total", "")))
        )
    return rows


def test_the_area_chart_draws_the_first_40_rows_of_the_table_and_the_star_totals(client, english, lc):
    page = _page(client, lc["province"])
    table = _table_rows(page)
    assert len(table) == 82
    svg = _svg(page, "chart-areas")
    drawn = _chart_rows(svg)
    assert drawn == table[:40]
    assert all(sum(stars) == total for _key, stars, total in drawn)
    # The legend gives every star's total: the headline's 553 / 49 / 2.
    legend = {
        g.get("data-series"): g.find(f"{SVG}text").text
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "legend-item"
    }
    assert legend == {"3": "3 stars: 553", "4": "4 stars: 49", "5": "5 stars: 2"}
    assert [_cell(page, f"stars-{n}") for n in (3, 4, 5)] == ["553", "49", "2"]
    assert sum(stars[2] for _k, stars, _t in table) == 2 and sum(stars[1] for _k, stars, _t in table) == 49
    assert "553 three-star, 49 four-star and 2 five-star" in svg.get("aria-label")
    assert (
        _cell(page, "chart-areas-note") == "The chart draws the first 40 of 82; all of them are in the table."
    )
    # The chart is above its table.
    assert page.index('data-testid="chart-areas"') < page.index('data-testid="rows"')


def test_the_events_chart_draws_the_per_year_table(client, english, lc):
    page = _page(client, lc["province"])
    svg = _svg(page, "chart-events")
    chart = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") != "chart-col":
            continue
        values = {r.get("data-series"): int(r.get("data-value")) for r in g.iter(f"{SVG}rect")}
        assert sum(values.values()) == int(g.get("data-total"))
        chart[int(g.get("data-key"))] = [values.get(kind, 0) for kind in EVENT_KINDS]
    table = {
        int(year): [int(c) for c in re.findall(r"<td>(\d+)</td>", cells)]
        for year, cells in re.findall(r'data-testid="events-(\d+)"><td>\d+</td>(.*?)</tr>', page)
    }
    assert list(table) == [2021, 2022, 2023, 2024, 2025]
    assert chart == table
    # The seed: the 604 current certificates and the superseded 2020 one were issued; 10 products of
    # 2021 lapsed in 2024; one revoked in 2025; the 2025-09 issue is after the reference date but in
    # the year's table too.
    assert sum(row[0] for row in table.values()) == 604 + 10 + 1 + 1
    assert table[2024][5] == 10 and table[2025][4] == 1


def test_the_expiring_chart_draws_the_per_month_table(client, english, lc):
    page = _page(client, lc["province"])
    svg = _svg(page, "chart-expiring")
    chart = [
        (
            g.get("data-key"),
            int(g.get("data-total")),
            sum(int(r.get("data-value")) for r in g.iter(f"{SVG}rect")),
        )
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "chart-col"
    ]
    table = [
        (key, int(count))
        for key, count in re.findall(
            r'data-testid="expiring-month" data-key="([^"]+)"><td>[^<]*</td><td>(\d+)</td>', page
        )
    ]
    assert [(k, t) for k, t, _s in chart] == table
    assert all(t == s for _k, t, s in chart)
    assert [k for k, _c in table][:2] == ["2025-08", "2025-09"] and len(table) == 12
    # The same numbers, counted another way: the current certificates' last days in Aug 2025–Jul 2026.
    ends = figures.current_certificates(Jurisdiction(province=lc["province"]), LAO_CAI_ON).values_list(
        "valid_until", flat=True
    )
    expected = Counter(f"{d:%Y-%m}" for d in ends if d < date(2026, 8, 1))
    assert {k: c for k, c in table if c} == dict(expected)
    assert sum(expected.values()) > 50


def test_expiring_per_month_is_one_query_and_gives_every_month(lc, django_assert_num_queries):
    with django_assert_num_queries(1):
        months = expiring_per_month(Jurisdiction(province=lc["province"]), date(2025, 11, 20), months=12)
    assert [m for m, _c in months][0] == date(2025, 11, 1)
    assert [m for m, _c in months][-1] == date(2026, 10, 1)
    assert len(months) == 12
    # Consistent with "expiring in the next 90 days" (20 Nov 2025 – 18 Feb 2026): it holds the
    # November–January months and part of February.
    expiring_90 = figures.expiring(Jurisdiction(province=lc["province"]), date(2025, 11, 20)).count()
    by_january = sum(c for m, c in months if m <= date(2026, 1, 1))
    assert 0 < by_january <= expiring_90 <= by_january + dict(months)[date(2026, 2, 1)]


def test_labels_with_html_characters_are_escaped(client, english, lc):
    place = lc["communes"][0]
    Commune.objects.filter(pk=place.pk).update(name='Xã <b>Hoa</b> & "Mai"')
    page = _page(client, lc["province"])
    area_svg = re.search(r'<svg[^>]*data-testid="chart-areas".*?</svg>', page, re.S).group(0)
    assert "<b>Hoa" not in area_svg
    assert "&lt;b&gt;Hoa&lt;/b&gt; &amp; &quot;Mai&quot;" in area_svg
    svg = _svg(page, "chart-areas")
    labels = {
        g.get("data-key"): g.get("data-label") for g in svg.iter(f"{SVG}g") if g.get("class") == "chart-row"
    }
    assert labels[place.code] == 'Xã <b>Hoa</b> & "Mai"'  # read back as the text it is
    # And the pure function on its own: nothing passes unescaped, not even in the summary.
    drawn = str(
        charts.stars_by_area([StarRow(key='"><script>', label="<script>alert(1)</script>")], title="<i>")
    )
    assert "<script>" not in drawn and "<i>" not in drawn
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in drawn


def test_a_province_without_products_shows_sentences_instead_of_charts(client, english, lc):
    page = _page(client, province("Cao Bằng"))
    assert _cell(page, "current") == "0"
    assert "<svg" not in page
    assert _cell(page, "chart-areas-empty") == "No current OCOP products on this date: nothing to draw."
    assert _cell(page, "chart-events-empty") == "No certificate events in these years: nothing to draw."
    assert (
        _cell(page, "chart-expiring-empty")
        == "No certificate of a current product ends in these months: nothing to draw."
    )


def test_the_charts_carry_no_inline_style_or_script(client, english, lc):
    page = _page(client, lc["province"])
    for testid in ("chart-areas", "chart-events", "chart-expiring"):
        svg = re.search(rf'<svg[^>]*data-testid="{testid}".*?</svg>', page, re.S).group(0)
        assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert "/static/reports/charts.css" in page
