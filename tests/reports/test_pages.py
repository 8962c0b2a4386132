"""The officials' dashboard (scoped drill-down), its exports, the target form and public statistics."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from registry.models import Recognition, Role
from reports import figures
from reports.jurisdiction import NATION, Jurisdiction
from reports.models import Target
from reports.summary import plan_period
from scans.models import DailyScanRollup
from tests.factories import make_entity, make_user, with_role
from tests.reports.records import (
    LANG_SON_ON,
    LAO_CAI_ON,
    certify,
    communes,
    lang_son,
    lao_cai,
    products_in,
    province,
    scan_rollups,
)

pytestmark = pytest.mark.django_db


def _official(client, kind=Role.Kind.PROVINCE, **scope):
    user = with_role(make_user(), kind, **scope)
    client.force_login(user)
    return user


def _cell(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert match, testid
    return match.group(1).strip()


@pytest.fixture
def lc():
    return lao_cai()


def test_it_shows_a_province_official_the_seed_figures_of_the_province(client, english, lc):
    _official(client, province=lc["province"])
    page = client.get("/reports/", {"on": LAO_CAI_ON.isoformat()}).content.decode()
    assert "OCOP report: Tỉnh Lào Cai" in page
    assert [
        _cell(page, t) for t in ("current", "stars-5", "stars-4", "stars-3", "communes", "potential")
    ] == [
        "604",
        "2",
        "49",
        "553",
        "82",
        "3",
    ]
    assert _cell(page, "expired") == "10"
    assert page.count('data-testid="row"') == 82
    first = lc["communes"][0]
    assert f"commune={first.code}" in page  # the drill-down link to each commune


def test_it_drills_down_to_a_commune_and_back_up(client, english, lc):
    _official(client, province=lc["province"])
    first = lc["communes"][0]
    page = client.get(
        "/reports/", {"province": lc["province"].code, "commune": first.code, "on": LAO_CAI_ON.isoformat()}
    ).content.decode()
    assert f"OCOP report: {first.name}" in page
    assert _cell(page, "current") == "8"
    assert 'data-testid="report-up"' in page


def test_a_national_official_starts_from_the_nation(client, english, lc):
    _official(client, kind=Role.Kind.NATIONAL)
    page = client.get("/reports/", {"on": LAO_CAI_ON.isoformat()}).content.decode()
    assert "OCOP report: Vietnam" in page
    assert _cell(page, "current") == "609"
    assert f"province={lc['province'].code}" in page


def test_a_commune_official_sees_the_commune_only(client, english, lc):
    place = lc["communes"][0]
    _official(client, kind=Role.Kind.COMMUNE, commune=place)
    page = client.get("/reports/", {"on": LAO_CAI_ON.isoformat()}).content.decode()
    assert _cell(page, "current") == "8"
    assert 'data-testid="report-up"' not in page
    assert client.get("/reports/", {"province": lc["province"].code}).status_code == 403
    assert client.get("/reports/", {"commune": lc["communes"][1].code}).status_code == 403


@pytest.mark.parametrize(
    "params, status",
    [
        ({"province": "PROVINCE_OF_HANOI"}, 403),
        ({"commune": "COMMUNE_OF_HANOI"}, 403),
        ({"province": "LC", "commune": "COMMUNE_OF_HANOI"}, 404),
        ({"province": "99"}, 404),
        ({"commune": "99999"}, 404),
    ],
)
def test_it_refuses_another_province_and_unknown_codes(client, english, lc, params, status):
    hanoi = province("Hà Nội")
    codes = {
        "PROVINCE_OF_HANOI": hanoi.code,
        "COMMUNE_OF_HANOI": hanoi.communes.order_by("code")[0].code,
        "LC": lc["province"].code,
    }
    _official(client, province=lc["province"])
    for url in ("/reports/", "/reports/export.csv", "/reports/export.xlsx"):
        response = client.get(url, {k: codes.get(v, v) for k, v in params.items()})
        assert response.status_code == status
        if status == 403:
            assert "outside your jurisdiction" in response.content.decode()


def test_it_is_for_officials_only(client, english):
    assert client.get("/reports/").status_code == 302  # to the login page
    member = make_user()
    with_role(member, Role.Kind.ENTITY_MEMBER, entity=make_entity())
    client.force_login(member)
    response = client.get("/reports/")
    assert response.status_code == 403
    assert "Reports are for commune, province and national officials." in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"on": "20/11/2025"}, "Give the reference date as year-month-day"),
        ({"on": "2999-01-01"}, "The reference date cannot be in the future"),
        ({"from": "2025", "to": "2021"}, "Give the period as two years, the first not after the last"),
        ({"from": "abc"}, "Give the period as two years"),
        ({"since": "19"}, "Give the first year of the cumulative count"),
    ],
)
def test_it_explains_bad_options_and_shows_the_defaults(client, english, lc, params, message):
    _official(client, province=lc["province"])
    response = client.get("/reports/", params)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    today = timezone.localdate()
    assert f'name="on" value="{today.isoformat()}"' in page
    assert _cell(page, "current") == str(figures.current_total(Jurisdiction(province=lc["province"]), today))
    # The plan period holding the reference date (today: 2026–2030, not the seed's 2021–2025).
    first, last = plan_period(today.year)
    assert f"Products first certified in {first}–{last}" in page


def test_the_csv_export_has_the_tables_numbers(client, english, lc):
    _official(client, province=lc["province"])
    response = client.get("/reports/export.csv", {"on": LAO_CAI_ON.isoformat()})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="ocop-report-{lc["province"].code}-2025-08-18.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Commune", "Code", "3 stars", "4 stars", "5 stars", "Total"]
    assert len([r for r in rows[1:83] if r and r[1]]) == 82
    assert rows[83] == ["Total", "", "553", "49", "2", "604"]
    figures = {r[0]: r[1] for r in rows[85:] if len(r) >= 2}
    assert figures["Communes with at least one current product"] == "82"
    assert figures["Potential next star"] == "3"


def test_the_xlsx_export_opens_with_the_same_numbers(client, vietnamese, lc):
    _official(client, province=lc["province"])
    response = client.get("/reports/export.xlsx", {"on": LAO_CAI_ON.isoformat()})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert (rows[0][0], rows[0][-1]) == ("Xã/phường", "Tổng")  # Vietnamese headers
    assert rows[83][2:] == [553, 49, 2, 604]
    assert rows[1][0].startswith(("Phường", "Xã"))


def test_a_province_official_sets_a_target_and_sees_the_percentage(client, english):
    data = lang_son()
    ls = data["province"]
    user = _official(client, province=ls)
    for end, value in ((2025, 60), (2030, 140)):
        response = client.post(
            "/reports/targets/",
            {
                "province": ls.code,
                "kind": "first_certified",
                "start_year": "2021",
                "end_year": str(end),
                "value": str(value),
                "source": f"Quyết định kế hoạch OCOP đến {end}",
            },
            follow=True,
        )
        assert (
            f"Target saved: Products first certified in the period 2021–{end} = {value}."
            in response.content.decode()
        )
    page = client.get("/reports/", {"on": LANG_SON_ON.isoformat()}).content.decode()
    assert re.findall(r'data-testid="target-percent">([^<]*)<', page) == ["358.3%", "153.6%"]
    assert _cell(page, "first-certified") == "215"
    assert _cell(page, "recognised-since") == "235"
    assert _cell(page, "expired") == "72"
    assert AuditEvent.objects.filter(action="target.set", actor=user).count() == 2


def test_it_refuses_a_target_for_another_province_and_keeps_nothing(client, english):
    _official(client, province=province("Lạng Sơn"))
    response = client.post(
        "/reports/targets/",
        {
            "province": province("Hà Nội").code,
            "kind": "first_certified",
            "start_year": "2021",
            "end_year": "2025",
            "value": "60",
            "source": "x",
        },
    )
    assert response.status_code == 403
    assert Target.objects.count() == 0


def test_it_explains_a_bad_target_and_keeps_nothing(client, english):
    ls = province("Lạng Sơn")
    _official(client, province=ls)
    response = client.post(
        "/reports/targets/",
        {
            "province": ls.code,
            "kind": "first_certified",
            "start_year": "2025",
            "end_year": "2021",
            "value": "-3",
            "source": "",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The last year cannot be before the first year." in page
    assert "Enter the target as a whole number above zero." in page
    assert "Give the decision that sets this target" in page
    assert Target.objects.count() == 0


def test_the_public_statistics_show_counts_by_province_and_star_only(client, english):
    data = lao_cai()
    today = timezone.localdate()
    expected = figures.current_per_star(Jurisdiction(province=data["province"]), today)
    page = client.get("/statistics/").content.decode()
    row = re.search(rf'data-key="{data["province"].code}">(.*?)</tr>', page, re.S)
    assert row is not None
    assert re.findall(r"<td>(\d+)</td>", row.group(1)) == [str(expected[n]) for n in (3, 4, 5)] + [
        str(sum(expected.values()))
    ]
    national = sum(figures.current_per_star(NATION, today).values())
    assert f"{national} OCOP products" in page
    # Nothing private: no entity names, no product names, no expiries.
    assert "HTX Báo cáo" not in page and "Sản phẩm" not in page and "Expired" not in page


def test_the_dashboard_shows_recognitions_and_scans_of_the_area(client, english, lc):
    product = lc["products"][0]
    Recognition.objects.create(entity=product.entity, product=product, kind=Recognition.Kind.GOLDEN_BRAND)
    scan_rollups(DailyScanRollup(product=product, day=date(2025, 7, 3), scans=41, visitors=17))
    scan_rollups(DailyScanRollup(product=product, day=date(2025, 5, 31), scans=99, visitors=1))  # too early
    _official(client, province=lc["province"])
    page = client.get("/reports/", {"on": LAO_CAI_ON.isoformat()}).content.decode()
    recognitions = re.search(r'data-testid="recognitions">(.*?)</table>', page, re.S).group(1)
    assert "<th>Vietnam Golden Agricultural Brand</th><td>1</td>" in recognitions
    scans = re.search(r'data-testid="scans">(.*?)</table>', page, re.S).group(1)
    assert f"<td>07/2025</td><td>Sản phẩm {product.pk}</td><td>41</td><td>17</td>" in scans
    assert "99" not in scans


def test_the_province_dashboard_takes_a_fixed_number_of_queries(
    client, english, django_assert_max_num_queries, django_assert_num_queries
):
    data = lang_son()
    _official(client, province=data["province"])
    client.get("/reports/")  # the session and the user's roles, once
    # session, user, roles + the figures, the details (export markets, demand, scans: one per month), the
    # map: none per product
    with django_assert_max_num_queries(30):
        response = client.get("/reports/", {"on": LANG_SON_ON.isoformat()})
    assert _cell(response.content.decode(), "current") == "162"
    first = data["expiring"][0]
    Recognition.objects.create(entity_id=first.entity_id, kind=Recognition.Kind.EXPORT_MARKET, note="EU")
    with CaptureQueriesContext(connection) as before:
        client.get("/reports/", {"on": LANG_SON_ON.isoformat()})
    more = products_in(communes(data["province"])[:30], 60)
    certify(more, stars=4, decided=date(2024, 3, 1))
    Recognition.objects.bulk_create(
        [
            Recognition(
                entity_id=p.entity_id, product=p, kind=Recognition.Kind.EXPORT_MARKET, note="Nhật Bản"
            )
            for p in more
        ]
    )
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get("/reports/", {"on": LANG_SON_ON.isoformat()})
    assert _cell(response.content.decode(), "current") == "222"
