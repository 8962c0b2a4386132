"""The buyer's pages: registering, sending an inquiry (each bad input refused with its message and
nothing kept; honeypot; rate limit), the combined answer with contacts only for verified buyers."""

from datetime import timedelta

import pytest

from audit.models import AuditEvent
from inquiries.models import BuyerProfile, Inquiry, OfferShare
from inquiries.services_answers import offer_share_accept
from tests.factories import make_user, province
from tests.inquiries.conftest import END, START, TODAY, certified, entity_member, make_buyer, submit

pytestmark = pytest.mark.django_db


def _post(client, follow=False, **fields):
    data = {
        "category": "QD26-11",
        "keywords": "",
        "quantity": "1500",
        "unit": "kg",
        "delivery_start": START.isoformat(),
        "delivery_end": END.isoformat(),
        "destination_province": province("Hà Nội").code,
        "destination_address": "Số 1 Tràng Tiền",
        "note": "",
        "website": "",
    }
    data.update(fields)
    return client.post("/inquiries/new/", data, follow=follow)


# --- registering --------------------------------------------------------------------------------------


def test_it_registers_a_buyer_waiting_for_verification(client, english):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/buyers/register/",
        {
            "organisation": "Vietnam Airlines Catering",
            "kind": "airline",
            "tax_code": "0100107518",
            "phone": "024 3827 2289",
            "email": "mua@vna.example",
            "province": province("Hà Nội").code,
        },
        follow=True,
    )
    assert "Your organisation is registered" in response.content.decode()
    assert "waiting for verification" in response.content.decode()
    buyer = BuyerProfile.objects.get(user=user)
    assert (buyer.organisation, buyer.kind, buyer.verified_at) == (
        "Vietnam Airlines Catering",
        "airline",
        None,
    )
    assert AuditEvent.objects.filter(action="buyer.register").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_code", "12345", "A tax code has 10 digits"),
        ("email", "not-an-address", "Enter a valid email address."),
        ("organisation", "<b>Shop</b>", "HTML is not allowed in this field; write plain text."),
    ],
)
def test_it_refuses_a_bad_buyer_registration_and_keeps_nothing(client, english, field, value, message):
    client.force_login(make_user())
    data = {
        "organisation": "Cửa hàng Quà Việt",
        "kind": "shop",
        "tax_code": "0100107518",
        "phone": "0912 000 111",
        "email": "shop@example.vn",
        "province": province("Hà Nội").code,
        field: value,
    }
    response = client.post("/buyers/register/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BuyerProfile.objects.exists()


def test_it_sends_someone_without_a_buyer_profile_to_register(client):
    client.force_login(make_user())
    assert client.get("/inquiries/new/").url == "/buyers/register/"


def test_it_sends_an_anonymous_visitor_to_log_in(client):
    for url in ("/inquiries/", "/inquiries/new/", "/buyer-requests/", "/demand/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


# --- sending an inquiry ---------------------------------------------------------------------------------


def test_it_sends_an_inquiry_and_shows_the_proposed_shares(client, english, buyer):
    product = certified(capacity=2000, stars=4)
    client.force_login(buyer.user)

    response = _post(client, quantity="1.500", note="Giao tại kho lạnh")

    inquiry = Inquiry.objects.get()
    assert response.url == f"/inquiries/{inquiry.pk}/"
    assert (inquiry.quantity, inquiry.note) == (1500, "Giao tại kho lạnh")
    text = client.get(response.url).content.decode()
    assert product.entity.legal_name in text
    assert "4★" in text and "1.500 kg" in text
    assert "Shown when the producer accepts." in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": "0"}, "The quantity must be at least 1."),
        ({"quantity": "-5"}, "The quantity must be at least 1."),
        ({"quantity": "abc"}, "Enter the quantity as a whole number, e.g. 500."),
        ({"quantity": "1.5"}, "Enter the quantity as a whole number, e.g. 500."),
        (
            {"delivery_start": START.isoformat(), "delivery_end": (START - timedelta(days=1)).isoformat()},
            "The last day of delivery cannot be before the first.",
        ),
        (
            {"delivery_start": (TODAY - timedelta(days=1)).isoformat()},
            "Delivery cannot start in the past",
        ),
        ({"delivery_end": (TODAY + timedelta(days=800)).isoformat()}, "at most two years ahead"),
        ({"delivery_start": "31/02/2027"}, "Enter a date, e.g. 31/12/2026."),
        (
            {"note": "<script>alert(1)</script>Cần gấp"},
            "HTML is not allowed in this field; write plain text.",
        ),
        ({"destination_address": ""}, "This field is required."),
        ({"unit": ""}, "This field is required."),
    ],
)
def test_it_refuses_a_bad_inquiry_with_its_message_and_keeps_nothing(client, english, buyer, fields, message):
    certified(capacity=2000)
    client.force_login(buyer.user)

    response = _post(client, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Inquiry.objects.exists() and not OfferShare.objects.exists()
    assert not AuditEvent.objects.filter(action="inquiry.submit").exists()


def test_it_shows_html_in_a_refused_note_as_text(client, english, buyer):
    client.force_login(buyer.user)
    text = _post(client, note="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text


def test_it_thanks_a_robot_that_filled_the_honeypot_and_keeps_nothing(client, english, buyer):
    certified(capacity=2000)
    client.force_login(buyer.user)

    response = _post(client, website="http://spam.example", follow=True)

    assert response.status_code == 200
    assert "Your inquiry was sent." in response.content.decode()
    assert not Inquiry.objects.exists() and not OfferShare.objects.exists()


def test_the_form_carries_a_hidden_honeypot(client, buyer):
    client.force_login(buyer.user)
    text = client.get("/inquiries/new/").content.decode()
    assert '<div hidden aria-hidden="true">' in text and 'name="website"' in text


def test_it_limits_inquiries_per_buyer_per_day(client, english, buyer, settings):
    settings.OCOP_INQUIRIES_PER_DAY = 2
    client.force_login(buyer.user)
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302

    response = _post(client)

    assert response.status_code == 429
    assert "You have sent 2 inquiries in the last 24 hours, the most we accept." in response.content.decode()
    assert Inquiry.objects.count() == 2


# --- the combined answer ---------------------------------------------------------------------------------


def test_a_verified_buyer_sees_the_contacts_of_producers_who_accepted(client, english, buyer):
    from tests.factories import make_entity

    a = certified(
        capacity=1000, stars=5, entity=make_entity(phone="0214 3 888 999", email="htx-a@example.vn")
    )
    certified(capacity=800, stars=4, entity=make_entity(phone="0205 3 777 666", email="htx-b@example.vn"))
    inquiry = submit(buyer, quantity=1500)
    offer_share_accept(actor=entity_member(a.entity), share=inquiry.shares.get(product=a))
    client.force_login(buyer.user)

    text = client.get(f"/inquiries/{inquiry.pk}/").content.decode()

    assert "0214 3 888 999" in text and "htx-a@example.vn" in text
    assert "0205 3 777 666" not in text  # b has not accepted yet
    assert 'data-testid="total-accepted">1.000 kg' in text
    assert 'data-testid="total-proposed">500 kg' in text


def test_an_unverified_buyer_does_not_see_contacts_even_when_accepted(client, english):
    from tests.factories import make_entity

    buyer = make_buyer(verified=False)
    a = certified(capacity=1000, entity=make_entity(phone="0214 3 888 999", email="htx-a@example.vn"))
    inquiry = submit(buyer, quantity=500)
    offer_share_accept(actor=entity_member(a.entity), share=inquiry.shares.get())
    client.force_login(buyer.user)

    text = client.get(f"/inquiries/{inquiry.pk}/").content.decode()

    assert "0214 3 888 999" not in text and "htx-a@example.vn" not in text
    assert "Shown once your organisation is verified." in text


def test_it_says_how_much_of_a_partly_covered_inquiry_is_offered(client, english, buyer):
    certified(capacity=1000)
    inquiry = submit(buyer, quantity=5000)
    client.force_login(buyer.user)

    text = client.get(f"/inquiries/{inquiry.pk}/").content.decode()

    assert "Partly covered: 1.000 of 5.000 kg." in text
    assert 'data-testid="total-unmet">4.000 kg' in text


def test_it_lists_the_buyers_inquiries_and_says_when_there_are_none(client, english, buyer):
    client.force_login(buyer.user)
    assert "No inquiries yet." in client.get("/inquiries/").content.decode()
    submit(buyer, quantity=10)
    assert "No inquiries yet." not in client.get("/inquiries/").content.decode()


def test_it_hides_another_buyers_inquiry_and_refuses_to_cancel_it(client, buyer):
    inquiry = submit(buyer, quantity=10)
    client.force_login(make_buyer().user)

    assert client.get(f"/inquiries/{inquiry.pk}/").status_code == 404
    assert client.post(f"/inquiries/{inquiry.pk}/cancel/").status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN
    assert not AuditEvent.objects.filter(action="inquiry.cancel").exists()


def test_the_buyer_cancels_its_inquiry(client, english, buyer):
    certified(capacity=1000)
    inquiry = submit(buyer, quantity=10)
    client.force_login(buyer.user)

    response = client.post(f"/inquiries/{inquiry.pk}/cancel/", {"reason": "Đổi kế hoạch"}, follow=True)

    assert "The inquiry was cancelled" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CANCELLED
    assert inquiry.shares.get().status == OfferShare.Status.WITHDRAWN
    again = client.post(f"/inquiries/{inquiry.pk}/cancel/", follow=True).content.decode()
    assert "This inquiry is already Cancelled." in again


def test_it_pages_a_long_list_of_inquiries(client, english, buyer, settings):
    settings.PAGE_SIZE = 2
    for quantity in (11, 12, 13):
        submit(buyer, quantity=quantity)
    client.force_login(buyer.user)
    first = client.get("/inquiries/").content.decode()
    second = client.get("/inquiries/?page=2").content.decode()
    assert "13 kg" in first and "12 kg" in first and "11 kg" not in first
    assert "11 kg" in second and "Page 2 of 2" in second
