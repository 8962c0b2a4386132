"""/api/inquiries/: a buyer reads its own inquiries (session or token); officials read their demand."""

import pytest

from registry.models import Role
from registry.services_people import api_token_create
from tests.factories import commune, make_entity, make_user, province, with_role
from tests.inquiries.conftest import START, certified, entity_member, make_buyer, submit

pytestmark = pytest.mark.django_db

MONTH = START.strftime("%Y-%m")


@pytest.fixture
def two_buyers(buyer):
    a = certified(capacity=1000, stars=5)
    certified(capacity=800, stars=4)
    mine = submit(buyer, quantity=1500)
    theirs = submit(make_buyer(), quantity=100)
    return buyer, mine, theirs, a


def test_it_lists_only_the_callers_inquiries_with_their_shares(client, two_buyers):
    buyer, mine, theirs, a = two_buyers
    client.force_login(buyer.user)

    body = client.get("/api/inquiries/mine").json()

    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["quantity"], item["status"], item["unmet_quantity"]) == (
        mine.pk,
        1500,
        "offered",
        0,
    )
    assert [(s["product_id"], s["quantity"], s["status"]) for s in item["shares"]][0] == (
        a.pk,
        1000,
        "proposed",
    )
    assert item["proposed_quantity"] == 1500 and item["accepted_quantity"] == 0
    assert "phone" not in str(item)  # contacts are for the pages' verified parties, not the API


def test_it_reads_with_a_personal_token(client, two_buyers):
    buyer, mine, _, _ = two_buyers
    _, key = api_token_create(actor=buyer.user, name="ERP")
    body = client.get(f"/api/inquiries/mine/{mine.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["id"] == mine.pk


def test_another_buyers_inquiry_is_not_found(client, two_buyers):
    buyer, _, theirs, _ = two_buyers
    client.force_login(buyer.user)
    assert client.get(f"/api/inquiries/mine/{theirs.pk}").status_code == 404


def test_an_anonymous_caller_is_refused(client, two_buyers):
    assert client.get("/api/inquiries/mine").status_code == 403
    assert client.get("/api/inquiries/demand").status_code == 403


def test_someone_without_a_buyer_profile_reads_an_empty_list(client, two_buyers):
    client.force_login(make_user())
    assert client.get("/api/inquiries/mine").json()["count"] == 0


def test_an_official_reads_the_demand_of_its_province_only(client, buyer):
    certified(capacity=1000)
    certified(capacity=500, entity=make_entity(commune_obj=commune("Hà Nội")))
    submit(buyer, quantity=300, destination_province=province("Lào Cai"))
    submit(buyer, quantity=200)  # to Hà Nội
    client.force_login(with_role(make_user(), Role.Kind.PROVINCE, province=province("Lào Cai")))

    body = client.get(f"/api/inquiries/demand?month_from={MONTH}&month_to={MONTH}").json()

    assert body["months"] == 1 and body["provinces"] == [province("Lào Cai").code]
    row = body["rows"][0]
    assert (row["category_id"], row["unit"], row["inquiries"], row["demanded"], row["capacity"]) == (
        "QD26-11",
        "kg",
        1,
        300,
        1000,
    )
    assert body["totals"][0]["demanded"] == 300
    forged = client.get(f"/api/inquiries/demand?province={province('Hà Nội').code}")
    assert forged.status_code == 403


def test_a_producer_cannot_read_demand(client):
    client.force_login(entity_member(make_entity()))
    assert client.get("/api/inquiries/demand").status_code == 403


def test_it_explains_a_bad_month(client):
    client.force_login(with_role(make_user(), Role.Kind.NATIONAL))
    response = client.get("/api/inquiries/demand?month_from=2026-13")
    assert response.status_code == 422
    assert "Give months as YYYY-MM" in str(response.json())
