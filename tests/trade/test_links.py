"""The link rules of sales channels and websites: https only, a real host, the platform's own domain."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from trade.links import shop_url_clean, website_clean


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("tiktok", "https://www.tiktok.com/@htxsuoigiang"),
        ("tiktok", "https://vt.tiktok.com/ZS8abc/"),
        ("facebook", "https://www.facebook.com/htxchesuoigiang"),
        ("facebook", "https://fb.com/htx"),
        ("zalo", "https://zalo.me/3121212"),
        ("zalo", "https://oa.zalo.me/home"),
        ("shopee", "https://shopee.vn/che-shan-tuyet-i.1.2"),
        ("lazada", "https://www.lazada.vn/products/che-i123.html"),
        ("tiki", "https://tiki.vn/che-shan-p123.html"),
        ("own_shop", "https://chesuoigiang.vn/cua-hang"),
        ("marketplace", "https://postmart.vn/shop/123"),
        ("website", "https://htx.example.org:8443/"),
    ],
)
def test_it_accepts_a_link_on_the_platforms_domain(kind, url):
    assert shop_url_clean(f"  {url} ", kind=kind) == url


@pytest.mark.parametrize(
    ("kind", "url", "message"),
    [
        ("website", "http://htx.example.org/", "must start with https://"),
        ("website", "javascript:alert(1)", "must start with https://, not “javascript:”"),
        ("website", "data:text/html;base64,PHNjcmlwdD4=", "not “data:”"),
        ("website", "https://203.0.113.7/shop", "not a numeric IP address"),
        ("website", "https://[2001:db8::1]/shop", "not a numeric IP address"),
        ("website", "https://user:pass@shopee.vn/x", "must not contain a user name or password"),
        ("shopee", "https://shopee.vn@evil.example/x", "must not contain a user name or password"),
        (
            "shopee",
            "https://shopee.vn.evil.example/x",
            "A Shopee link must be on shopee.vn, not on shopee.vn.evil.example",
        ),
        ("tiktok", "https://nottiktok.com/@x", "must be on tiktok.com"),
        ("facebook", "https://facebook.co/htx", "must be on facebook.com / fb.com"),
        ("zalo", "https://zalo.vn/oa", "must be on zalo.me"),
        ("lazada", "https://lazada.com.my/x", "must be on lazada.vn"),
        ("tiki", "https://tiki.com/x", "must be on tiki.vn"),
        ("website", "https://", "has no website name"),
        ("website", "https://bad host.vn/", "not a valid web address"),
        ("website", "", "Give the link"),
        ("website", "https://x.vn/" + "a" * 600, "too long"),
    ],
)
def test_it_refuses_a_link_with_a_message_saying_what_to_fix(kind, url, message):
    with pytest.raises(ValidationError) as caught:
        shop_url_clean(url, kind=kind)
    assert message in caught.value.message_dict["url"][0]


def test_it_allows_an_empty_optional_website_and_checks_a_given_one():
    assert website_clean("   ") == ""
    with pytest.raises(ValidationError) as caught:
        website_clean("ftp://files.example.org/")
    assert "must start with https://" in caught.value.message_dict["website"][0]
