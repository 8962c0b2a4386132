"""The public statistics API: the page's counts as JSON, no login, only public figures."""

import pytest
from django.utils import timezone

from reports import figures
from reports.jurisdiction import NATION
from tests.reports.records import LAO_CAI_ON, lao_cai

pytestmark = pytest.mark.django_db


@pytest.fixture
def lc():
    return lao_cai()


def test_it_gives_the_nation_by_province_and_group_without_login(client, lc):
    response = client.get("/api/statistics/", {"on": LAO_CAI_ON.isoformat()})
    assert response.status_code == 200
    data = response.json()
    assert data["areas_by"] == "province"
    [row] = [r for r in data["areas"] if r["code"] == lc["province"].code]
    assert (row["name"], row["total"], row["stars"]) == (
        lc["province"].name,
        604,
        {"3": 553, "4": 49, "5": 2},
    )
    assert data["total"] == sum(r["total"] for r in data["areas"]) == sum(g["total"] for g in data["groups"])
    assert data["total"] == figures.current_total(NATION, LAO_CAI_ON)


def test_it_gives_a_province_by_commune(client, lc):
    code = lc["province"].code
    data = client.get(f"/api/statistics/provinces/{code}", {"on": LAO_CAI_ON.isoformat()}).json()
    assert (data["area_code"], data["total"], data["areas_by"]) == (code, 604, "commune")
    assert len(data["areas"]) == data["communes_with_products"] == 82
    assert all(set(r) == {"code", "name", "stars", "total"} for r in data["areas"])


def test_it_holds_no_names_of_products_or_entities(client, lc):
    body = client.get("/api/statistics/", {"on": LAO_CAI_ON.isoformat()}).content.decode()
    assert "Sản phẩm" not in body and "HTX" not in body
    assert "expir" not in body and "revok" not in body


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("20/11/2025", "Give the date as year-month-day"),
        ("2999-01-01", "between 2008-01-01 and today"),
        ("1990-01-01", "between 2008-01-01 and today"),
    ],
)
def test_it_refuses_a_bad_date_with_a_message(client, english, on, message):
    client.cookies["django_language"] = "en"
    response = client.get("/api/statistics/", {"on": on})
    assert response.status_code == 422
    assert message in response.json()["detail"]["on"][0]


def test_an_unknown_province_is_not_found(client):
    assert client.get("/api/statistics/provinces/99").status_code == 404


def test_today_is_the_default(client, lc):
    data = client.get("/api/statistics/").json()
    today = timezone.localdate()
    assert data["on"] == today.isoformat()
    assert data["total"] == figures.current_total(NATION, today)
