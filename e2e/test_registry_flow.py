"""An entity member registers a product in a real browser; officials see it only in their province.

Vietnamese is the default UI language. The project's Vietnamese catalogue is build output (`make
messages`) and may be missing or still being written, so Vietnamese UI strings are matched loosely
(the English msgid is accepted too) and links are found by where they go; what the language switch
changes is asserted on <html lang> and on the English strings.
"""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from registry.models import Product, ProductImage, Role
from tests.factories import commune, make_entity, make_product, make_user, province, with_role

pytestmark = pytest.mark.browser

VI_NAME_REQUIRED = re.compile(r"Tên tiếng Việt là bắt buộc\.|The Vietnamese name is required\.")


def _member(entity):
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)


def _png(path, *, size=(640, 480), color=(31, 111, 67)):
    Image.new("RGB", size, color).save(path, format="PNG")
    return path


def _choose_language(page, code: str) -> None:
    page.locator("#lang-select").select_option(code)
    with page.expect_navigation():
        page.get_by_test_id("lang-submit").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_it_lets_a_member_register_a_product_with_a_photo(page, live_server, log_in, artifacts, tmp_path):
    entity = make_entity(legal_name="Hợp tác xã Chè Suối Giàng")
    member = _member(entity)

    log_in(page, member, screenshot=artifacts / "01-login.png")
    # After logging in, a member lands on their product list (the dashboard redirects there).
    expect(page).to_have_url(re.compile(r"/my/products/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    heading_vi = page.locator("h1").inner_text()
    expect(page.get_by_role("link", name=entity.legal_name)).to_be_visible()
    page.screenshot(path=str(artifacts / "02-my-products.png"), full_page=True)

    page.locator(f"main a[href='/entities/{entity.pk}/products/new/']").click()
    expect(page).to_have_url(re.compile(rf"/entities/{entity.pk}/products/new/$"))
    page.locator("#id_category").select_option("QD26-11")
    page.locator("#id_name_vi").fill("Chè Shan Tuyết Suối Giàng")
    page.locator("#id_name_en").fill("Suoi Giang Shan Tuyet tea")
    page.locator("#id_story_vi").fill("Chè hái từ cây cổ thụ trên 300 năm tuổi.")
    page.screenshot(path=str(artifacts / "03-product-form.png"), full_page=True)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/products/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Chè Shan Tuyết Suối Giàng")
    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.get_by_text("Chè hái từ cây cổ thụ trên 300 năm tuổi.")).to_be_visible()
    product = Product.objects.get(entity=entity)
    assert product.translation("en").name == "Suoi Giang Shan Tuyet tea"
    page.screenshot(path=str(artifacts / "04-product-created.png"), full_page=True)

    page.locator("#id_image").set_input_files(str(_png(tmp_path / "che.png")))
    page.locator("#id_alt_text").fill("Búp chè Shan Tuyết")
    page.locator("form[action$='/images/'] button[type=submit]").click()
    photo = page.locator(".gallery img[alt='Búp chè Shan Tuyết']")
    expect(photo).to_be_visible()
    expect(page.locator(".messages li.error")).to_have_count(0)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert photo.evaluate("img => img.naturalWidth") == 640
    assert ProductImage.objects.filter(product=product).count() == 1
    page.screenshot(path=str(artifacts / "05-product-image.png"), full_page=True)

    page.locator("header nav a[href='/my/products/']").click()
    expect(page).to_have_url(re.compile(r"/my/products/$"))
    row = page.locator("table tbody tr", has=page.locator(f"a[href='/products/{product.pk}/']"))
    expect(row).to_have_count(1)
    expect(row.get_by_role("link")).to_have_text("Chè Shan Tuyết Suối Giàng")
    thumb = row.locator("img.thumb")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    page.screenshot(path=str(artifacts / "06-my-products-list.png"), full_page=True)

    _choose_language(page, "en")
    expect(page).to_have_url(re.compile(r"/my/products/$"))
    expect(page.locator("h1")).to_have_text("My products")
    expect(page.get_by_role("link", name="New product")).to_be_visible()
    # Product content follows the UI language, falling back to Vietnamese.
    expect(row.get_by_role("link")).to_have_text("Suoi Giang Shan Tuyet tea")
    page.screenshot(path=str(artifacts / "07-my-products-en.png"), full_page=True)

    _choose_language(page, "vi")
    expect(page.locator("h1")).to_have_text(heading_vi)
    expect(row.get_by_role("link")).to_have_text("Chè Shan Tuyết Suối Giàng")
    page.screenshot(path=str(artifacts / "08-my-products-vi.png"), full_page=True)


def test_it_hides_a_product_from_officials_of_another_province(
    page, mobile_page, live_server, log_in, artifacts
):
    entity = make_entity(commune_obj=commune("Lào Cai"))
    product = make_product(entity=entity, name="Chè Shan Tuyết Bản Liền")
    make_product(entity=make_entity(commune_obj=commune("Hà Nội")), name="Gốm Bát Tràng")
    outsider = with_role(make_user(), Role.Kind.PROVINCE, province=province("Hà Nội"))
    insider = with_role(make_user(), Role.Kind.PROVINCE, province=province("Lào Cai"))

    log_in(page, outsider)
    response = page.goto(f"{live_server.url}/products/{product.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text("Chè Shan Tuyết Bản Liền")).to_have_count(0)
    page.screenshot(path=str(artifacts / "09-other-province-404.png"), full_page=True)
    page.goto(f"{live_server.url}/products/")
    expect(page.get_by_role("link", name="Gốm Bát Tràng")).to_be_visible()
    expect(page.get_by_text("Chè Shan Tuyết Bản Liền")).to_have_count(0)

    log_in(mobile_page, insider)
    mobile_page.goto(f"{live_server.url}/products/")
    expect(mobile_page.get_by_role("link", name="Chè Shan Tuyết Bản Liền")).to_be_visible()
    expect(mobile_page.get_by_text("Gốm Bát Tràng")).to_have_count(0)
    mobile_page.screenshot(path=str(artifacts / "10-product-list-mobile.png"), full_page=True)


def test_it_fits_the_product_list_on_a_phone(mobile_page, live_server, log_in):
    official = with_role(make_user(), Role.Kind.PROVINCE, province=province("Lào Cai"))
    make_product(entity=make_entity(commune_obj=commune("Lào Cai")), name="Chè Shan Tuyết Bản Liền")

    log_in(mobile_page, official)
    mobile_page.goto(f"{live_server.url}/products/")
    expect(mobile_page.get_by_role("link", name="Chè Shan Tuyết Bản Liền")).to_be_visible()
    # clientWidth is the 390 px layout viewport; innerWidth grows with the content on a mobile viewport.
    widths = mobile_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"


def test_it_refuses_a_product_without_a_vietnamese_name(page, live_server, log_in, artifacts):
    entity = make_entity()
    member = _member(entity)

    log_in(page, member)
    page.goto(f"{live_server.url}/entities/{entity.pk}/products/new/")
    page.locator("#id_category").select_option("QD26-11")
    page.locator("#id_name_en").fill("Tea without a Vietnamese name")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/entities/{entity.pk}/products/new/$"))
    expect(page.locator(".errorlist")).to_have_text(VI_NAME_REQUIRED)
    # What the member typed is kept.
    expect(page.locator("#id_name_en")).to_have_value("Tea without a Vietnamese name")
    page.screenshot(path=str(artifacts / "11-product-form-error.png"), full_page=True)
    assert Product.objects.filter(entity=entity).count() == 0
