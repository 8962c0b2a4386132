"""Demonstration data for buyer inquiries: a verified buyer (an airline caterer in Hà Nội) and one
inquiry for 2 tấn of tea, more than any one demo producer declares, so the demo shows a consolidated
offer. Runs after registry.demo.demo_load (it needs the demo producers and, for the offer, valid
certificates of their certified products).

Idempotent: found again by username and tax code; the sample inquiry is made only while the buyer has
none. The buyer's password is random and kept in its own logins file (registry.demo's file is
rewritten from its own list of accounts on every run)."""

import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from inquiries.models import BuyerProfile, Inquiry
from inquiries.services import inquiry_submit
from inquiries.services_buyers import buyer_register, buyer_verify
from places.models import Province
from registry.demo import DemoLogin, demo_logins_read, demo_logins_write
from registry.models import ProductCategory
from registry.services_people import user_create, user_password_set

BUYER_USERNAME = "nguoimua_noibai"
BUYER_LOGINS_FILE_NAME = "demo-logins-buyers.txt"
BUYER = {
    "organisation": "Công ty Suất ăn Hàng không Nội Bài (dữ liệu trình diễn)",
    "kind": BuyerProfile.Kind.AIRLINE,
    # A made-up number in the valid format (10 digits); no real enterprise is named.
    "tax_code": "0109999901",
    "phone": "024 3000 0000",
    "email": "nguoimua_noibai@example.org",
}


def load_inquiries_demo(*, logins_path: Path | None = None) -> DemoLogin:
    """Create whatever is missing of the demo buyer and its sample inquiry; return its login."""
    path = logins_path or Path(settings.VAR_DIR) / BUYER_LOGINS_FILE_NAME
    hanoi = Province.objects.get(name__endswith="Hà Nội")
    password = demo_logins_read(path=path).get(BUYER_USERNAME)
    with transaction.atomic():
        user = get_user_model().objects.filter(username=BUYER_USERNAME).first()
        fresh = password is None
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user = user_create(
                actor=None,
                username=BUYER_USERNAME,
                password=password,
                email=BUYER["email"],
                first_name="Thu Hương",
                last_name="Đặng",
            )
        elif fresh:
            user_password_set(actor=None, user=user, password=password)
        buyer = BuyerProfile.objects.filter(user=user).first() or buyer_register(
            actor=user, province=hanoi, **BUYER
        )
        if not buyer.is_verified:
            buyer = buyer_verify(actor=None, buyer=buyer)
        if not Inquiry.objects.filter(buyer=buyer).exists():
            start = timezone.localdate() + timedelta(days=14)
            inquiry_submit(
                actor=user,
                buyer=buyer,
                category=ProductCategory.objects.get(code="QD26-11"),
                # In kg, not tấn: shares are whole units of the inquiry's unit (inquiries.matching).
                quantity=2000,
                unit="kg",
                delivery_start=start,
                delivery_end=start + timedelta(days=29),
                destination_province=hanoi,
                destination_address="Kho suất ăn, Cảng hàng không quốc tế Nội Bài, Sóc Sơn",
                note="Chè túi lọc 2 g cho suất ăn trên máy bay; cần giấy chứng nhận OCOP còn hiệu lực.",
            )
    login = DemoLogin(
        username=BUYER_USERNAME, role="buyer (verified): airline caterer, Hà Nội", password=password
    )
    if fresh:
        demo_logins_write(path=path, logins=[login])
    return login
