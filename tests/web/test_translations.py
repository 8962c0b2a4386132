"""The interface catalogues: Vietnamese (the default language) is complete, keeps every placeholder,
compiles with Babel (as `make install` does), and the pages really come out in Vietnamese or English."""

import contextlib
import gettext
import io
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.test.signals import setting_changed

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
VI_PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"

NAMED = re.compile(r"%\((\w+)\)[sdifr]")
POSITIONAL = re.compile(r"%[sdifr]")
BRACED = re.compile(r"\{[^{}]*\}")  # literal {seq:03d}-style tokens a message shows the user
TAG = re.compile(r"<[^<>]+>")  # markup inside a message (a link, a literal <token>) must survive as is


def _read(po_path: Path) -> Catalog:
    with po_path.open("rb") as f:
        return read_po(f, locale=po_path.parent.parent.name)


def _compile_if_stale(po_path: Path) -> bool:
    """Compile a catalogue next to its .po when the .mo is missing or older, as `pybabel compile` would.
    Written to a temporary file and moved into place, so pytest-xdist workers never see half a file."""
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    buffer = io.BytesIO()
    write_mo(buffer, _read(po_path))
    fd, tmp = tempfile.mkstemp(dir=po_path.parent, prefix=".django-", suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(buffer.getvalue())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a compiled catalogue is readable like pybabel's
        os.replace(tmp, mo_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """`make test` compiles the catalogues first; this makes a bare `pytest` run safe too."""
    compiled = [_compile_if_stale(po) for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))]
    if any(compiled):
        # Make Django forget any catalogue this process loaded before the .mo existed.
        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(scope="module")
def vi_catalog() -> Catalog:
    return _read(VI_PO)


def _messages(catalog: Catalog):
    return [m for m in catalog if m.id]  # the header has an empty msgid


def _strings(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def _placeholders(text: str) -> tuple[set[str], int, set[str], list[str]]:
    text = text.replace("%%", "")
    named, braced, tags = NAMED.findall(text), BRACED.findall(text), sorted(TAG.findall(text))
    return set(named), len(POSITIONAL.findall(text)), set(braced), tags


def test_it_has_a_vietnamese_catalogue_with_one_plural_form(vi_catalog):
    assert vi_catalog.num_plurals == 1
    assert vi_catalog.plural_expr == "0"
    assert len(_messages(vi_catalog)) > 100


def test_it_translates_every_message_and_leaves_none_fuzzy(vi_catalog):
    untranslated = [m.id for m in _messages(vi_catalog) if not all(s.strip() for s in _strings(m))]
    fuzzy = [m.id for m in _messages(vi_catalog) if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_it_writes_vietnamese_in_composed_unicode(vi_catalog):
    decomposed = [
        m.id for m in _messages(vi_catalog) if any(unicodedata.normalize("NFC", s) != s for s in _strings(m))
    ]
    assert decomposed == []


def test_it_keeps_every_placeholder(vi_catalog):
    wrong = []
    for m in _messages(vi_catalog):
        # For a plural, the (single) Vietnamese form stands for the plural source, which names the count.
        source = m.id[-1] if m.pluralizable else m.id
        for translated in _strings(m):
            if _placeholders(translated) != _placeholders(source):
                wrong.append((source, translated))
    assert wrong == []


def test_it_keeps_the_translations_other_tests_rely_on(vi_catalog):
    expected = {
        "This file is not a valid image (JPEG, PNG, WebP or GIF).": (
            "Tệp này không phải là ảnh hợp lệ (JPEG, PNG, WebP hoặc GIF)."
        ),
        "My products": "Sản phẩm của tôi",
        "No products match.": "Không có sản phẩm nào phù hợp.",
        "Page %(n)s of %(total)s": "Trang %(n)s / %(total)s",
        "The Vietnamese name is required.": "Tên tiếng Việt là bắt buộc.",
        "Log in": "Đăng nhập",
    }
    for msgid, msgstr in expected.items():
        assert vi_catalog[msgid].string == msgstr, msgid
    tax_code = [m.string for m in _messages(vi_catalog) if str(m.id).startswith("A tax code has")]
    assert len(tax_code) == 1 and "10 chữ số" in tax_code[0]


def test_it_compiles_with_babel(vi_catalog, tmp_path):
    mo_path = tmp_path / "django.mo"
    with mo_path.open("wb") as f:
        write_mo(f, vi_catalog)
    with mo_path.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert compiled.gettext("My products") == "Sản phẩm của tôi"
    assert compiled.ngettext("%(counter)s result", "%(counter)s results", 1) == "%(counter)s kết quả"
    assert compiled.ngettext("%(counter)s result", "%(counter)s results", 5) == "%(counter)s kết quả"


@pytest.mark.django_db
def test_it_shows_the_login_page_in_vietnamese_by_default():
    page = Client().get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Log in" not in page


@pytest.mark.django_db
def test_it_shows_the_login_page_in_english_when_asked():
    by_header = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in by_header
    assert "Log in" in by_header and "Đăng nhập" not in by_header

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_cookie = client.get("/accounts/login/").content.decode()
    assert "Log in" in by_cookie and "Đăng nhập" not in by_cookie
