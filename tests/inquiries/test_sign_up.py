"""A buyer without an account opens one and registers its organisation in one step (/buyers/register/
for an anonymous visitor): every problem said at once and nothing written, a honeypot, a rate limit."""

import pytest
from django.contrib.auth import get_user_model

from inquiries.models import BuyerProfile
from tests.factories import make_user, province

pytestmark = pytest.mark.django_db
User = get_user_model()


def _sign_up(client, *, ip="203.0.113.50", **fields):
    data = {
        "username": "bigc_thanglong",
        "password": "mua-hang-OCOP-2026",
        "password_again": "mua-hang-OCOP-2026",
        "organisation": "Siêu thị Big C Thăng Long",
        "kind": "supermarket",
        "tax_code": "0101234567",
        "phone": "024 3784 5555",
        "email": "muahang@bigc.example",
        "province": province("Hà Nội").pk,
        "website": "",
    }
    data.update(fields)
    return client.post("/buyers/register/", data, REMOTE_ADDR=ip, HTTP_USER_AGENT="Mozilla/5.0 Firefox/140")


def test_it_offers_an_anonymous_visitor_the_sign_up_form(client, english):
    response = client.get("/buyers/register/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page and 'name="password_again"' in page and 'name="organisation"' in page
    assert "Already have one?" in page


def test_it_opens_the_account_registers_the_buyer_and_logs_in(client, english):
    response = _sign_up(client)
    assert response.status_code == 302 and response.url == "/inquiries/"
    buyer = BuyerProfile.objects.select_related("user").get()
    assert buyer.user.username == "bigc_thanglong" and buyer.user.check_password("mua-hang-OCOP-2026")
    assert buyer.verified_at is None and len(buyer.signup_visitor) == 64
    page = client.get("/inquiries/").content.decode()
    assert "bigc_thanglong" in page  # logged in: the menu names the account


@pytest.mark.parametrize(
    ("fields", "field_message"),
    [
        ({"password_again": "something-else-2026"}, "The two passwords differ."),
        ({"password": "123", "password_again": "123"}, "This password is too short."),
        ({"username": "bad name!"}, "Enter a valid username."),
        ({"tax_code": "12ab"}, "tax code"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"organisation": "<b>Shop</b>"}, "HTML"),
    ],
)
def test_bad_input_is_said_and_nothing_is_written(client, english, fields, field_message):
    response = _sign_up(client, **fields)
    assert response.status_code == 400
    assert field_message.lower() in response.content.decode().lower()
    assert not User.objects.filter(username="bigc_thanglong").exists()
    assert not BuyerProfile.objects.exists()


def test_a_taken_username_and_a_bad_phone_are_said_together(client, english):
    make_user("bigc_thanglong")
    response = _sign_up(client, phone="<b>024</b>")
    page = response.content.decode()
    assert response.status_code == 400
    assert "This username is taken." in page and "phone" in page.lower()
    assert User.objects.filter(username="bigc_thanglong").count() == 1
    assert not BuyerProfile.objects.exists()


def test_a_filled_honeypot_keeps_nothing(client, english):
    response = _sign_up(client, website="http://spam.example")
    assert response.status_code == 302
    assert not User.objects.filter(username="bigc_thanglong").exists()


def _log_out(client, settings):
    client.logout()  # the test client drops every cookie: the language one comes back
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_many_sign_ups_from_one_visitor_are_refused(client, english, settings):
    settings.OCOP_BUYER_SIGNUPS_PER_HOUR = 2
    for n in range(2):
        _log_out(client, settings)
        response = _sign_up(client, username=f"buyer{n}", tax_code=f"010123456{n}")
        assert response.status_code == 302
    _log_out(client, settings)
    response = _sign_up(client, username="buyer9", tax_code="0101234569")
    assert response.status_code == 429
    assert "Several accounts were opened from this device" in response.content.decode()
    assert not User.objects.filter(username="buyer9").exists()
    # Another visitor is not held back.
    assert _sign_up(client, ip="198.51.100.77", username="buyer8", tax_code="0101234568").status_code == 302
