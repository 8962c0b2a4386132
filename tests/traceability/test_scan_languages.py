"""The scan page and its report page speak the six content languages (locale/ja, fr, zh, ko hold
only their words): each of those messages is still used by the code (it is in the Vietnamese
catalogue, which makemessages keeps) and keeps the msgid's placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from tests.traceability import test_scan_page
from tests.traceability.test_scan_page import _page

# The scan page tests' product (a story in vi, en and ja) and lot, as fixtures of this module too.
product = test_scan_page.product
lot = test_scan_page.lot
_fresh_cache = test_scan_page._fresh_cache

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po)


@pytest.mark.parametrize("language", ["ja", "fr", "zh", "ko"])
def test_every_scan_page_message_is_still_used_and_keeps_its_placeholders(language):
    used = {message.id if isinstance(message.id, str) else message.id[0] for message in _catalogue("vi")}
    messages = [message for message in _catalogue(language) if message.id]
    assert len(messages) >= 75
    for message in messages:
        singular = message.id if isinstance(message.id, str) else message.id[0]
        assert singular in used, f"{language}: no longer used: {singular!r}"
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert form, f"{language}: untranslated: {singular!r}"
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(singular)), (language, form)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["L'histoire", "Écouter", "Signaler une possible contrefaçon", "Où acheter et visiter"]),
        ("zh", ["产品故事", "收听", "举报疑似假冒"]),
        ("ko", ["이야기", "듣기", "위조 의심 신고"]),
    ],
)
def test_the_scan_page_speaks_the_visitors_language(client, product, lot, language, words):
    _response, page = _page(client, f"?lang={language}")
    for word in words:
        assert word.replace("'", "&#x27;") in page or word in page, (language, word)
    assert "The story" not in page and "Listen" not in page


@pytest.mark.django_db
def test_the_report_page_keeps_the_scan_pages_language(client, product, lot):
    code = f"/01/0{test_scan_page.GTIN}/10/2026-11-A"
    response = client.get("/scans/report/", {"code": code, "lang": "ko"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "신고 보내기" in page and "무엇이 문제인가요?" in page
