"""The demo buyer: verified, with one inquiry consolidated from the demo's tea producers; idempotent."""

import pytest
from django.contrib.auth import authenticate

from inquiries.demo import BUYER_USERNAME, load_inquiries_demo
from inquiries.models import BuyerProfile, Inquiry, OfferShare
from tests.factories import commune, make_entity
from tests.inquiries.conftest import certified

pytestmark = pytest.mark.django_db


def test_it_loads_a_verified_buyer_with_a_consolidated_inquiry_once(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    certified(capacity=1500, unit="kg", stars=4)
    certified(capacity=900, unit="kg", stars=4, entity=make_entity(commune_obj=commune("Lào Cai", "Mù Cang")))
    path = tmp_path / "logins.txt"

    login = load_inquiries_demo(logins_path=path)

    buyer = BuyerProfile.objects.get(user__username=BUYER_USERNAME)
    assert buyer.is_verified
    inquiry = Inquiry.objects.get(buyer=buyer)
    assert (inquiry.quantity, inquiry.unit, inquiry.status) == (2000, "kg", Inquiry.Status.OFFERED)
    assert sorted(inquiry.shares.values_list("quantity", flat=True)) == [500, 1500]
    assert authenticate(username=BUYER_USERNAME, password=login.password) is not None
    assert login.password in path.read_text(encoding="utf-8")

    again = load_inquiries_demo(logins_path=path)

    assert again.password == login.password
    assert Inquiry.objects.count() == 1 and BuyerProfile.objects.count() == 1
    assert OfferShare.objects.count() == inquiry.shares.count()
