"""Lào Cai's province official opens the reports dashboard on 18 August 2025 (the day of the seed
article), reads the province's figures (604 products: 2 five-star, 49 four-star, 553 three-star, 3
potential four-star, 82 communes), drills down to a commune and comes back up (issue 9).

Vietnamese is the default UI language and its catalogue may be incomplete, so the test matches on
data and test ids, not on UI strings. The charts (inline SVG, reports.charts) are checked against the
same numbers as the tables, and screenshotted."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Role
from tests.factories import make_user, with_role
from tests.reports.records import LAO_CAI_ON, lao_cai
from tests.reports.test_map import load_squares

pytestmark = pytest.mark.browser


def test_a_province_official_reads_the_figures_and_drills_to_a_commune(page, live_server, log_in, artifacts):
    url = live_server.url
    data = lao_cai()
    official = with_role(make_user(), Role.Kind.PROVINCE, province=data["province"])
    first = data["communes"][0]

    log_in(page, official)
    page.goto(f"{url}/reports/?on={LAO_CAI_ON.isoformat()}")
    expect(page.get_by_test_id("current")).to_have_text("604")
    expect(page.get_by_test_id("stars-5")).to_have_text("2")
    expect(page.get_by_test_id("stars-4")).to_have_text("49")
    expect(page.get_by_test_id("stars-3")).to_have_text("553")
    expect(page.get_by_test_id("potential")).to_have_text("3")
    expect(page.get_by_test_id("communes")).to_have_text("82")
    expect(page.get_by_test_id("row")).to_have_count(82)
    page.screenshot(path=str(artifacts / "reports-01-province.png"), full_page=True)

    page.locator(f'[data-testid="row"][data-key="{first.code}"] a').click()
    expect(page).to_have_url(re.compile(rf"commune={first.code}"))
    expect(page.locator("h1")).to_contain_text(first.name)
    expect(page.get_by_test_id("current")).to_have_text("8")
    page.screenshot(path=str(artifacts / "reports-02-commune.png"), full_page=True)

    page.get_by_test_id("report-up").click()
    expect(page.get_by_test_id("current")).to_have_text("604")

    # The charts, drawn by the server as inline SVG: 40 of the 82 communes, the star totals in the
    # legend, a column per year of certificate events and per month of certificates ending.
    areas = page.get_by_test_id("chart-areas")
    expect(areas).to_be_visible()
    expect(areas.locator("g.chart-row")).to_have_count(40)
    expect(areas.locator('g.legend-item[data-series="3"]')).to_contain_text("553")
    expect(areas.locator('g.legend-item[data-series="4"]')).to_contain_text("49")
    expect(areas.locator('g.legend-item[data-series="5"]')).to_contain_text("2")
    expect(page.get_by_test_id("chart-events").locator("g.chart-col")).to_have_count(5)
    expect(page.get_by_test_id("chart-expiring").locator("g.chart-col")).to_have_count(12)
    # reports/charts.css is loaded (the CSP allows no inline style): the figure gets its border.
    figure = page.locator("figure.chart-figure").first
    assert figure.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    page.screenshot(path=str(artifacts / "reports-03-charts.png"), full_page=True)


def test_the_dashboard_draws_the_commune_map_and_downloads_the_pdf(page, live_server, log_in, artifacts):
    """60 of Lào Cai's communes with a loaded boundary (synthetic squares: the test's own file), the
    map shading each by its count, equal to the map's table; the PDF downloads from the page."""
    data = lao_cai()
    load_squares(data["communes"][:60])
    official = with_role(make_user(), Role.Kind.PROVINCE, province=data["province"])
    log_in(page, official)
    page.goto(f"{live_server.url}/reports/?on={LAO_CAI_ON.isoformat()}")
    svg = page.get_by_test_id("map-communes")
    expect(svg).to_be_visible()
    shapes = svg.locator("path.map-shape")
    expect(shapes).to_have_count(60)
    first = data["communes"][0]
    drawn = svg.locator(f'path.map-shape[data-code="{first.code}"]').get_attribute("data-value")
    row = page.locator(f'[data-testid="map-row"][data-key="{first.code}"] td').nth(1)
    assert row.text_content() == drawn == "8"
    expect(page.get_by_test_id("map-note")).to_contain_text("22")  # 22 communes with products undrawn
    svg.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "reports-04-map.png"), full_page=False)

    with page.expect_download() as download_info:
        page.get_by_test_id("export-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"ocop-report-{data['province'].code}-2025-08-18.pdf"
    path = artifacts / "reports-05-report.pdf"
    download.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF")
