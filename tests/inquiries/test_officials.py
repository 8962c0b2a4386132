"""Officials: buyers of their province to verify, and demand vs declared capacity by product type."""

import pytest

from audit.models import AuditEvent
from inquiries.models import BuyerProfile
from inquiries.services_answers import offer_share_accept
from registry.models import Role
from tests.factories import commune, make_entity, make_user, province, with_role
from tests.inquiries.conftest import START, certified, entity_member, make_buyer, submit

pytestmark = pytest.mark.django_db

MONTH = START.strftime("%Y-%m")


def _official(name: str):
    return with_role(make_user(), Role.Kind.PROVINCE, province=province(name))


# --- verifying buyers ----------------------------------------------------------------------------------


def test_a_province_official_verifies_a_buyer_of_its_province(client, english):
    lao_cai_buyer = make_buyer(verified=False, province_name="Lào Cai", organisation="Cửa hàng Sa Pa")
    make_buyer(verified=False, province_name="Hà Nội", organisation="Siêu thị Hà Nội")
    official = _official("Lào Cai")
    client.force_login(official)

    text = client.get("/buyers/").content.decode()
    assert "Cửa hàng Sa Pa" in text and "Siêu thị Hà Nội" not in text

    response = client.post(f"/buyers/{lao_cai_buyer.pk}/verify/", follow=True)

    assert "Cửa hàng Sa Pa is verified." in response.content.decode()
    lao_cai_buyer.refresh_from_db()
    assert lao_cai_buyer.verified_by == official and lao_cai_buyer.verified_at is not None
    assert AuditEvent.objects.filter(action="buyer.verify", actor=official).count() == 1
    assert "No buyers match." in client.get("/buyers/?state=waiting").content.decode()


def test_a_forged_verification_of_another_provinces_buyer_is_not_found(client):
    hanoi_buyer = make_buyer(verified=False, province_name="Hà Nội")
    client.force_login(_official("Lào Cai"))

    assert client.post(f"/buyers/{hanoi_buyer.pk}/verify/").status_code == 404

    hanoi_buyer.refresh_from_db()
    assert hanoi_buyer.verified_at is None
    assert not AuditEvent.objects.filter(action="buyer.verify").exists()


def test_only_officials_see_the_buyers(client):
    client.force_login(entity_member(make_entity()))
    assert client.get("/buyers/").status_code == 403


def test_a_national_official_sees_every_provinces_buyers(client):
    make_buyer(verified=False, province_name="Lào Cai", organisation="Cửa hàng Sa Pa")
    make_buyer(verified=False, province_name="Hà Nội", organisation="Siêu thị Hà Nội")
    client.force_login(with_role(make_user(), Role.Kind.NATIONAL))
    text = client.get("/buyers/").content.decode()
    assert "Cửa hàng Sa Pa" in text and "Siêu thị Hà Nội" in text
    assert BuyerProfile.objects.filter(verified_at__isnull=True).count() == 2


# --- demand vs capacity ----------------------------------------------------------------------------------


@pytest.fixture
def market():
    """Lào Cai: tea 1,000 kg + 2 tấn a month, herbal tea 200 hộp; Hà Nội: tea 500 kg. Inquiries to Lào
    Cai: 1,500 kg (accepted) and 1 tấn; to Hà Nội: 700 kg (proposed to Lào Cai's 1,000 kg tea)."""
    lao_cai_tea = certified(capacity=1000)
    big_tea = certified(capacity=2, unit="tấn", entity=make_entity(commune_obj=commune("Lào Cai", "Mù Cang")))
    certified(capacity=200, unit="hộp", category="QD26-12")
    certified(capacity=500, entity=make_entity(commune_obj=commune("Hà Nội")))
    buyer = make_buyer()
    lao_cai = province("Lào Cai")
    first = submit(buyer, quantity=1500, destination_province=lao_cai)
    share = first.shares.get()
    assert share.product_id == big_tea.pk
    offer_share_accept(actor=entity_member(big_tea.entity), share=share)
    second = submit(buyer, quantity=1, unit="tấn", destination_province=lao_cai)
    assert second.shares.get().product_id == lao_cai_tea.pk
    third = submit(buyer, quantity=700)  # to Hà Nội
    assert third.shares.get().product_id == lao_cai_tea.pk


def _rows(text: str) -> list[str]:
    import re

    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r'<tr data-testid="demand-(?:row|total)".*?</tr>', text, re.S)
    ]


def test_a_province_official_sees_its_provinces_demand_against_capacity(client, english, market):
    client.force_login(_official("Lào Cai"))

    text = client.get(f"/demand/?month_from={MONTH}&month_to={MONTH}").content.decode()

    rows = _rows(text)
    # type, unit, inquiries, asked, accepted, accepted from Lào Cai, unmet, declared capacity (1 month);
    # the 700 kg to Hà Nội counts: it was proposed to a Lào Cai producer.
    assert rows[0].startswith("QD26-11 ") and rows[0].endswith(" kg 3 3.200 1.500 1.500 0 3.000")
    assert rows[1].startswith("QD26-12 ") and rows[1].endswith(" hộp 0 0 0 0 0 200")
    assert len(rows) == 4  # two rows and a total per unit (kg and hộp do not add up)
    assert "Total hộp 0 0 0 0 0 200" in rows and "Total kg 3 3.200 1.500 1.500 0 3.000" in rows


def test_it_multiplies_the_declared_capacity_by_the_months_of_the_period(client, english, market):
    client.force_login(_official("Lào Cai"))
    following = START.replace(day=1).replace(
        month=START.month % 12 + 1, year=START.year + (START.month == 12)
    )
    text = client.get(f"/demand/?month_from={MONTH}&month_to={following:%Y-%m}").content.decode()
    assert "Declared capacity (2 months)" in text
    assert _rows(text)[0].endswith("kg 3 3.200 1.500 1.500 0 6.000")


def test_a_national_official_sees_every_province_and_can_filter_one(client, english, market):
    client.force_login(with_role(make_user(), Role.Kind.NATIONAL))

    everything = _rows(client.get(f"/demand/?month_from={MONTH}&month_to={MONTH}").content.decode())
    hanoi = _rows(
        client.get(
            f"/demand/?month_from={MONTH}&month_to={MONTH}&province={province('Hà Nội').code}"
        ).content.decode()
    )

    assert everything[0].endswith("kg 3 3.200 1.500 1.500 0 3.500")
    assert hanoi[0].endswith("kg 1 700 0 0 0 500")  # delivered to Hà Nội, proposed to Lào Cai


def test_a_province_official_cannot_read_another_provinces_demand(client, market):
    client.force_login(_official("Lào Cai"))
    assert client.get(f"/demand/?province={province('Hà Nội').code}").status_code == 403


def test_only_officials_see_demand(client, market):
    for user in (entity_member(make_entity()), make_buyer().user):
        client.force_login(user)
        assert client.get("/demand/").status_code == 403


def test_it_says_when_the_period_has_no_demand_and_no_capacity(client, english):
    client.force_login(_official("Lào Cai"))
    assert "No inquiries and no declared capacity in this period." in client.get("/demand/").content.decode()


def test_it_explains_a_bad_period_and_shows_a_valid_one(client, english, market):
    client.force_login(_official("Lào Cai"))
    text = client.get("/demand/?month_from=2026-13&month_to=x").content.decode()
    assert "Choose the months as year and month, e.g. 2026-12." in text
    reversed_period = client.get(f"/demand/?month_from={MONTH}&month_to=2020-01").content.decode()
    assert "The last month cannot be before the first" in reversed_period


def test_the_service_refuses_verification_by_anyone_but_an_official_of_the_province():
    from django.core.exceptions import PermissionDenied

    from inquiries.services_buyers import buyer_verify

    buyer = make_buyer(verified=False, province_name="Hà Nội")
    for actor in (_official("Lào Cai"), entity_member(make_entity()), buyer.user):
        with pytest.raises(PermissionDenied):
            buyer_verify(actor=actor, buyer=buyer)
    buyer.refresh_from_db()
    assert buyer.verified_at is None


def test_the_admin_shows_inquiries_read_only(client, buyer):
    certified(capacity=1000)
    inquiry = submit(buyer, quantity=10)
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get("/admin/inquiries/inquiry/").status_code == 200
    assert client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").status_code == 200
    assert client.get("/admin/inquiries/buyerprofile/").status_code == 200
    assert client.get("/admin/inquiries/inquiry/add/").status_code == 403
