"""A verified buyer (an airline's caterer in Hà Nội) asks for 1,500 kg of tea, more than any one
producer declares; the platform proposes a consolidated offer from two Lào Cai cooperatives (1,000 +
500 kg); each producer logs in and accepts its share; the buyer sees the inquiry covered with both
producers' contacts; Lào Cai's province official sees the demand row against the province's declared
capacity (issue 8: "a buyer inquiry consolidated from two producers and accepted").

Vietnamese is the default UI language and its catalogue may be incomplete, so the test matches on
data, test ids and data attributes, not on UI strings."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry, OfferShare
from registry.models import Role
from tests.factories import commune, make_entity, make_user, province, with_role
from tests.inquiries.conftest import certified, make_buyer

pytestmark = pytest.mark.browser

COOP_A = "Hợp tác xã Chè Suối Giàng"
COOP_B = "Hợp tác xã Chè Mù Cang Chải"
PHONE_A = "0216 3 888 111"
PHONE_B = "0216 3 777 222"


def test_it_consolidates_a_big_inquiry_from_two_producers_who_both_accept(
    page, live_server, log_in, artifacts
):
    url = live_server.url
    coop_a = make_entity(legal_name=COOP_A, phone=PHONE_A, email="suoigiang@example.vn")
    coop_b = make_entity(
        legal_name=COOP_B,
        phone=PHONE_B,
        email="mucangchai@example.vn",
        commune_obj=commune("Lào Cai", "Mù Cang"),
    )
    tea_a = certified(entity=coop_a, capacity=1000, stars=5, name="Chè Shan Tuyết Suối Giàng")
    tea_b = certified(entity=coop_b, capacity=800, stars=4, name="Hồng trà Mù Cang Chải")
    member_a = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=coop_a)
    member_b = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=coop_b)
    buyer = make_buyer(organisation="Suất ăn Hàng không Nội Bài", kind="airline", phone="024 3886 5000")
    official = with_role(make_user(), Role.Kind.PROVINCE, province=province("Lào Cai"))
    start = dt.date.today() + dt.timedelta(days=10)
    end = start + dt.timedelta(days=29)

    # 1. The buyer asks for 1,500 kg of tea delivered to Hà Nội within a month.
    log_in(page, buyer.user)
    page.goto(f"{url}/inquiries/new/")
    page.select_option("#id_category", "QD26-11")
    page.fill("#id_quantity", "1500")
    page.fill("#id_unit", "kg")
    page.fill("#id_delivery_start", start.isoformat())
    page.fill("#id_delivery_end", end.isoformat())
    page.select_option("#id_destination_province", province("Hà Nội").code)
    page.fill("#id_destination_address", "Kho suất ăn, Sân bay Nội Bài")
    page.fill("#id_note", "Đóng gói 500 g cho suất ăn trên máy bay.")
    expect(page.locator("#id_website")).to_be_hidden()
    page.screenshot(path=str(artifacts / "inquiry-01-form.png"), full_page=True)
    page.get_by_test_id("inquiry-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/inquiries/\d+/$"))
    inquiry = Inquiry.objects.get()
    expect(page.get_by_test_id("inquiry-status")).to_have_attribute("data-status", "offered")
    shares = page.get_by_test_id("share")
    expect(shares).to_have_count(2)
    expect(shares.nth(0)).to_contain_text(COOP_A)
    expect(shares.nth(0)).to_contain_text("1.000 kg")
    expect(shares.nth(1)).to_contain_text(COOP_B)
    expect(shares.nth(1)).to_contain_text("500 kg")
    expect(page.get_by_test_id("share-contact")).to_have_count(0)
    page.screenshot(path=str(artifacts / "inquiry-02-consolidated-offer.png"), full_page=True)

    # 2. Each producer logs in and accepts its share.
    for n, (member, product) in enumerate(((member_a, tea_a), (member_b, tea_b)), start=3):
        page.context.clear_cookies()
        log_in(page, member)
        page.goto(f"{url}/buyer-requests/")
        request = page.get_by_test_id("request")
        expect(request).to_have_count(1)
        expect(request).to_have_attribute("data-status", "proposed")
        expect(request).to_contain_text("Suất ăn Hàng không Nội Bài")
        request.get_by_test_id("accept").click()
        expect(page.locator(".messages li.success")).to_be_visible()
        expect(page.get_by_test_id("request")).to_have_attribute("data-status", "accepted")
        expect(page.get_by_test_id("buyer-contact")).to_contain_text("024 3886 5000")
        page.screenshot(path=str(artifacts / f"inquiry-0{n}-producer-accepted.png"), full_page=True)
        assert OfferShare.objects.get(inquiry=inquiry, product=product).status == OfferShare.Status.ACCEPTED

    # 3. The buyer sees the inquiry covered, both shares accepted, and both producers' contacts.
    page.context.clear_cookies()
    log_in(page, buyer.user)
    page.goto(f"{url}/inquiries/{inquiry.pk}/")
    expect(page.get_by_test_id("inquiry-status")).to_have_attribute("data-status", "covered")
    expect(page.locator("[data-testid=share][data-status=accepted]")).to_have_count(2)
    contacts = page.get_by_test_id("share-contact")
    expect(contacts).to_have_count(2)
    expect(contacts.nth(0)).to_contain_text(PHONE_A)
    expect(contacts.nth(1)).to_contain_text(PHONE_B)
    expect(page.get_by_test_id("total-accepted")).to_contain_text("1.500 kg")
    expect(page.get_by_test_id("total-unmet")).to_contain_text("0 kg")
    page.screenshot(path=str(artifacts / "inquiry-05-buyer-covered.png"), full_page=True)

    # 4. Lào Cai's OCOP office sees the demand its cooperatives were asked for: one inquiry, 1,500 kg
    # asked and accepted from its producers, none unmet, against 1,800 kg of declared capacity.
    page.context.clear_cookies()
    log_in(page, official)
    month = start.strftime("%Y-%m")
    page.goto(f"{url}/demand/?month_from={month}&month_to={month}")
    row = page.locator("[data-testid=demand-row][data-category='QD26-11'][data-unit=kg]")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("inquiries")).to_have_text("1")
    expect(row.get_by_test_id("demanded")).to_have_text("1.500")
    expect(row.get_by_test_id("accepted")).to_have_text("1.500")
    expect(row.get_by_test_id("accepted-here")).to_have_text("1.500")
    expect(row.get_by_test_id("unmet")).to_have_text("0")
    expect(row.get_by_test_id("capacity")).to_have_text("1.800")
    page.screenshot(path=str(artifacts / "inquiry-06-province-demand.png"), full_page=True)
