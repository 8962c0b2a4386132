"""Demonstration data for development machines: the producers and products named in the two seed
articles (Lào Cai's Suối Giàng tea, Sa Pa salmon and Mông brocade; Lạng Sơn's custard apples,
macadamia, sausages, roast duck, honey, black jelly, persimmons and teas), demo logins for every role,
and an optional national-scale set of generated products for load tests.

Curated rows go through the registry services with actor=None (the platform), like any importer.
Everything is found again by natural keys (tax code, entity + Vietnamese name, username, GTIN), so a
second run writes nothing. The generated set is bulk-inserted by `demo_scale_generate` because 20,000
service calls would take minutes; it writes one audit event for the whole batch.
"""

import io
import os
import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from biip.checksums import gs1_standard_check_digit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from audit.services import audit_record
from ocop_hub.text import fold, nfc
from places.models import Commune, Province
from places.selectors import communes_list, provinces_list
from registry.models import (
    Entity,
    Evidence,
    Packaging,
    Product,
    ProductCategory,
    ProductTranslation,
    Recognition,
    Role,
)
from registry.services import (
    entity_create,
    packaging_add,
    product_create,
    product_image_add,
    product_set_status,
)
from registry.services_categories import categories_load
from registry.services_evidence import evidence_upload, recognition_create
from registry.services_people import role_grant, user_create, user_password_set

LOGINS_FILE_NAME = "demo-logins.txt"
DEMO_PASSWORD_ITERATIONS = 20_000

DEMO_DUPLICATE_REASON = (
    "Dữ liệu trình diễn (load_demo): các sản phẩm có thật trong bài báo nguồn, của hai chủ thể khác nhau."
)

CERTIFIED = Product.Status.CERTIFIED
REGISTERED = Product.Status.REGISTERED
DRAFT = Product.Status.DRAFT


def _tr(name: str, short: str, story: str, ingredients: str, usage: str) -> dict[str, str]:
    return {
        "name": name,
        "short_description": short,
        "story": story,
        "ingredients": ingredients,
        "usage": usage,
    }


# --- curated data (from the seed articles) -----------------------------------------------------------
# Each entity names its province and a commune query that places.selectors.communes_list understands
# (current or former name, without diacritics): "Suoi Giang" finds today's Xã Văn Chấn.
# Tax codes and GS1 company prefixes are made up; the GTINs get real check digits (GS1 Vietnam: 893).

DEMO_ENTITIES: list[dict[str, Any]] = [
    {
        "key": "htx_suoigiang",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Chè Suối Giàng",
        "tax_code": "5200512349",
        "representative": "Vàng A Chu",
        "address": "Bản Pang Cáng",
        "province": "Lào Cai",
        "commune": "Suoi Giang",
        "founded_year": 2012,
        "members_count": 42,
        "workers_count": 56,
        "women_count": 31,
        "ethnic_minority_count": 54,
        "description": "Hợp tác xã của đồng bào Mông ở vùng chè Suối Giàng (nay thuộc xã Văn Chấn), chăm sóc "
        "và chế biến chè từ những cây Shan tuyết cổ thụ trên độ cao 1.300–1.400 m.",
        "gs1_prefix": "89399101",
        "products": [
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 540,
                "price": (150_000, 450_000),
                "capacity": (1_500, "kg"),
                "packagings": [
                    ("100", "g", "0001", "Hộp giấy 100 g"),
                    ("500", "g", "0002", "Túi hút chân không 500 g"),
                ],
                "vi": _tr(
                    "Chè Shan tuyết Suối Giàng",
                    "Chè xanh búp từ cây Shan tuyết cổ thụ trên núi Suối Giàng: nước xanh ánh vàng, vị chát "
                    "dịu, hậu ngọt sâu.",
                    "<p>Ở độ cao trên 1.300 m, giữa mây núi Suối Giàng, hàng vạn cây chè Shan tuyết hàng "
                    "trăm năm tuổi mọc tự nhiên. Búp non phủ lớp lông tơ trắng như tuyết, nên người ta gọi "
                    "là chè “tuyết”.</p><p>Đồng bào Mông hái một tôm hai lá bằng tay vào sáng sớm và sao chè "
                    "trên chảo gang theo cách cha ông để lại. Năm dòng chè Suối Giàng đã đạt OCOP 4 sao, có "
                    "mặt ở các siêu thị lớn trong nước, ở Nhật Bản và châu Âu.</p>",
                    "100% búp chè Shan tuyết cổ thụ Suối Giàng.",
                    "Tráng ấm bằng nước sôi, cho 5–7 g chè, hãm với nước 85–90 °C trong 2–3 phút; pha được "
                    "4–5 lần nước. Bảo quản nơi khô ráo, tránh ánh nắng.",
                ),
                "en": _tr(
                    "Suối Giàng Shan Tuyết Green Tea",
                    "Green bud tea from ancient Shan Tuyết trees on Suối Giàng mountain: a golden-green cup, "
                    "gentle astringency and a long sweet finish.",
                    "<p>Above 1,300 m, in the clouds of Suối Giàng, tens of thousands of Shan Tuyết tea "
                    "trees, some hundreds of years old, grow wild. Their young buds wear a white down like "
                    "snow (tuyết), which gives the tea its name.</p><p>Hmong families pick one bud and two "
                    "leaves by hand at dawn and roast them in cast-iron pans as their parents taught them. "
                    "Five Suối Giàng tea lines hold 4-star OCOP ratings and are sold in national "
                    "supermarkets, in Japan and in Europe.</p>",
                    "100% buds of ancient Shan Tuyết tea trees from Suối Giàng.",
                    "Rinse the pot with boiling water, add 5–7 g of tea and steep in water at 85–90 °C for "
                    "2–3 minutes; good for 4–5 infusions. Keep dry and out of sunlight.",
                ),
                "ja": _tr(
                    "スオイザン・シャントゥエット緑茶",
                    "スオイザン山の古木シャントゥエット茶の新芽から作る緑茶。金色がかった緑の水色"
                    "、やさしい渋みと長い甘い余韻。",
                    "<p>標高1,300メートルを超えるスオイザンの雲の中に、樹齢数百年のシャン"
                    "トゥエット茶の木が数万本自生しています。若い芽は雪のような白い産毛に覆われ、"
                    "それが「雪（トゥエット）」の名の由来です。</p><p>モン族の家族が夜明け"
                    "に一芯二葉を手で摘み、先祖から受け継いだ鋳鉄の鍋で炒ります。スオイザンの5つ"
                    "の茶がOCOP 4つ星に認定され、国内のスーパー、日本、ヨーロッパで販売され"
                    "ています。</p>",
                    "スオイザン産古木シャントゥエット茶の新芽100%。",
                    "急須を熱湯で温め、茶葉5～7gに85～90℃のお湯を注ぎ2～3分蒸らします。"
                    "4～5煎まで楽しめます。湿気と直射日光を避けて保存してください。",
                ),
            },
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 720,
                "price": (200_000, 600_000),
                "capacity": (600, "kg"),
                "packagings": [("100", "g", "0003", "Hộp thiếc 100 g")],
                "vi": _tr(
                    "Hồng trà Shan tuyết Suối Giàng",
                    "Hồng trà lên men từ búp Shan tuyết cổ thụ, nước đỏ hổ phách, thơm mật ong và trái chín.",
                    "<p>Hồng trà được làm từ chính những búp chè Shan tuyết cổ thụ, nhưng được làm héo, vò "
                    "và lên men tự nhiên trước khi sấy. Nước trà chuyển sang màu đỏ hổ phách, vị ngọt dịu, "
                    "hương mật ong.</p><p>Dòng hồng trà giúp hợp tác xã đưa chè Suối Giàng tới những khách "
                    "hàng quen uống trà đen ở châu Âu.</p>",
                    "100% búp chè Shan tuyết Suối Giàng, lên men tự nhiên.",
                    "Hãm 3–5 g trà với nước sôi 95 °C trong 3–4 phút. Uống nóng, hoặc pha cùng sữa, chanh, "
                    "mật ong.",
                ),
                "en": _tr(
                    "Suối Giàng Shan Tuyết Black Tea",
                    "Black tea fermented from ancient Shan Tuyết buds: an amber-red cup with notes of honey "
                    "and ripe fruit.",
                    "<p>The black tea starts from the same ancient Shan Tuyết buds, withered, rolled and "
                    "left to oxidise naturally before drying. The cup turns amber-red, soft and sweet, with "
                    "a scent of honey.</p><p>This line brings Suối Giàng tea to drinkers in Europe who are "
                    "used to black tea.</p>",
                    "100% Suối Giàng Shan Tuyết buds, naturally oxidised.",
                    "Steep 3–5 g in water at 95 °C for 3–4 minutes. Drink hot, or with milk, lemon or honey.",
                ),
            },
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 720,
                "price": (600_000, 1_800_000),
                "capacity": (80, "kg"),
                "packagings": [("50", "g", "0004", "Hộp gỗ 50 g")],
                "vi": _tr(
                    "Bạch trà Shan tuyết cổ thụ Suối Giàng",
                    "Bạch trà chỉ từ búp non phủ lông tuyết, làm héo tự nhiên, nước vàng nhạt, hương hoa "
                    "thanh.",
                    "<p>Bạch trà là dòng chè quý nhất của Suối Giàng: chỉ hái búp non còn phủ lông tơ trắng "
                    "vào đầu mùa xuân, làm héo trong bóng râm rồi sấy nhẹ, không vò, không sao.</p><p>Mỗi "
                    "cân bạch trà cần khoảng năm cân búp tươi, hái trên những cây chè cổ thụ mà các gia đình "
                    "Mông chăm sóc qua nhiều thế hệ.</p>",
                    "100% búp non chè Shan tuyết cổ thụ Suối Giàng.",
                    "Hãm 3 g trà với nước 80 °C trong 3 phút; pha được 5–6 lần nước.",
                ),
                "en": _tr(
                    "Suối Giàng Ancient-Tree Shan Tuyết White Tea",
                    "White tea of downy spring buds only, withered in the shade: a pale golden cup with a "
                    "light floral scent.",
                    "<p>White tea is Suối Giàng's rarest line: only the young buds still covered in white "
                    "down are picked in early spring, withered in the shade and gently dried, never rolled "
                    "or roasted.</p><p>A kilogram takes about five kilograms of fresh buds, picked from "
                    "ancient trees that Hmong families have tended for generations.</p>",
                    "100% young buds of ancient Shan Tuyết tea trees from Suối Giàng.",
                    "Steep 3 g in water at 80 °C for 3 minutes; good for 5–6 infusions.",
                ),
            },
        ],
        "recognitions": [
            {
                "product": "Chè Shan tuyết Suối Giàng",
                "kind": Recognition.Kind.GEOGRAPHICAL_INDICATION,
                "issuer": "Cục Sở hữu trí tuệ",
                "number": "00058",
                "valid_from": date(2019, 6, 14),
                "note": "Chỉ dẫn địa lý “Chè Shan tuyết Suối Giàng”",
                "evidence": (Evidence.Kind.IP_DOCUMENT, "Giấy chứng nhận đăng ký chỉ dẫn địa lý Suối Giàng"),
            },
            {
                "product": "Chè Shan tuyết Suối Giàng",
                "kind": Recognition.Kind.EXPORT_MARKET,
                "note": "Nhật Bản; Liên minh châu Âu",
                "valid_from": date(2024, 1, 1),
            },
        ],
    },
    {
        "key": "dn_trasuoigiang",
        "kind": Entity.Kind.ENTERPRISE,
        "legal_name": "Công ty TNHH Trà Shan tuyết Suối Giàng",
        "tax_code": "5200734915",
        "representative": "Hoàng Văn Tâm",
        "address": "Bản Giàng A",
        "province": "Lào Cai",
        "commune": "Suoi Giang",
        "founded_year": 2016,
        "workers_count": 28,
        "women_count": 17,
        "ethnic_minority_count": 20,
        "description": "Doanh nghiệp thu mua chè tươi của các hộ đồng bào Mông, chế biến và đóng gói chè "
        "Shan tuyết Suối Giàng cho siêu thị và xuất khẩu.",
        "gs1_prefix": "89399102",
        "products": [
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 540,
                "price": (85_000, 160_000),
                "capacity": (20_000, "hộp"),
                "packagings": [("50", "g", "0001", "Hộp 25 túi lọc × 2 g")],
                "vi": _tr(
                    "Trà Shan tuyết Suối Giàng túi lọc",
                    "Chè Shan tuyết Suối Giàng đóng túi lọc, tiện cho văn phòng, khách sạn và chuyến bay.",
                    "<p>Để người bận rộn cũng thưởng thức được chè Suối Giàng, công ty cắt nhỏ chè Shan "
                    "tuyết và đóng trong túi lọc giấy không tẩy trắng, mỗi túi 2 g.</p><p>Sản phẩm có mặt "
                    "tại các siêu thị lớn trong nước và là món quà quen thuộc của du khách đến Văn Chấn.</p>",
                    "100% chè Shan tuyết Suối Giàng; túi lọc giấy không tẩy trắng.",
                    "Nhúng một túi trà vào 150–200 ml nước 90 °C trong 2–3 phút.",
                ),
                "en": _tr(
                    "Suối Giàng Shan Tuyết Tea Bags",
                    "Suối Giàng Shan Tuyết tea in filter bags, handy for offices, hotels and flights.",
                    "<p>So that busy people can enjoy Suối Giàng tea too, the company cuts Shan Tuyết leaves "
                    "finely and packs them in unbleached paper bags of 2 g each.</p><p>The bags are sold in "
                    "national supermarket chains and are a favourite gift of visitors to Văn Chấn.</p>",
                    "100% Suối Giàng Shan Tuyết tea; unbleached paper filter bags.",
                    "Steep one bag in 150–200 ml of water at 90 °C for 2–3 minutes.",
                ),
            },
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 1_095,
                "price": (450_000, 900_000),
                "capacity": (300, "bánh"),
                "packagings": [("357", "g", "0002", "Bánh trà gói giấy bản 357 g")],
                "vi": _tr(
                    "Trà Shan tuyết cổ thụ ép bánh Suối Giàng",
                    "Chè Shan tuyết cổ thụ ép bánh 357 g, để càng lâu hương vị càng êm, hợp làm quà biếu.",
                    "<p>Chè Shan tuyết được hấp mềm rồi ép thành bánh tròn 357 g theo cách của người trồng "
                    "chè vùng cao, gói giấy bản và buộc lạt tre.</p><p>Bánh trà để nơi khô thoáng càng lâu "
                    "càng dịu, nước chuyển dần từ vàng sang nâu đỏ: một món quà mang theo cả mùa chè Suối "
                    "Giàng.</p>",
                    "100% chè Shan tuyết cổ thụ Suối Giàng.",
                    "Tách 5–7 g trà, tráng nhanh bằng nước sôi, hãm 20–30 giây cho những lần nước đầu và lâu "
                    "dần ở các lần sau.",
                ),
                "en": _tr(
                    "Suối Giàng Ancient Shan Tuyết Pressed Tea Cake",
                    "A 357 g cake of pressed ancient Shan Tuyết tea that mellows with age; a fine gift.",
                    "<p>The tea is steamed soft and pressed into round 357 g cakes the way highland tea "
                    "growers do, wrapped in rice paper and tied with bamboo string.</p><p>Kept dry and airy, "
                    "the cake mellows year by year and its liquor turns from gold to reddish brown: a whole "
                    "Suối Giàng tea season in one gift.</p>",
                    "100% ancient Shan Tuyết tea from Suối Giàng.",
                    "Break off 5–7 g, rinse quickly with boiling water, then steep 20–30 seconds for the "
                    "first infusions and longer after.",
                ),
            },
        ],
        "recognitions": [
            {
                "kind": Recognition.Kind.ISO22000,
                "issuer": "Tổ chức chứng nhận hệ thống quản lý an toàn thực phẩm",
                "number": "ISO22000-2024-0187",
                "valid_from": date(2024, 3, 1),
                "valid_to": date(2027, 2, 28),
            },
        ],
    },
    {
        "key": "htx_banlien",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Chè hữu cơ Bản Liền",
        "tax_code": "5300239876",
        "representative": "Hoàng Văn Sinh",
        "address": "Thôn Đội 3",
        "province": "Lào Cai",
        "commune": "Ban Lien",
        "founded_year": 2015,
        "members_count": 55,
        "workers_count": 60,
        "women_count": 33,
        "ethnic_minority_count": 58,
        "description": "Hợp tác xã của người Tày ở Bản Liền trồng và chế biến chè Shan tuyết theo tiêu chuẩn "
        "hữu cơ, xuất khẩu sang châu Âu.",
        "gs1_prefix": "89399103",
        "products": [
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 540,
                "price": (180_000, 500_000),
                "capacity": (900, "kg"),
                "packagings": [("200", "g", "0001", "Túi giấy kraft 200 g")],
                "vi": _tr(
                    "Chè Shan tuyết hữu cơ Bản Liền",
                    "Chè Shan tuyết trồng và chế biến theo tiêu chuẩn hữu cơ của người Tày ở Bản Liền.",
                    "<p>Ở Bản Liền, những đồi chè Shan tuyết không dùng phân bón hoá học hay thuốc trừ sâu: "
                    "người Tày làm cỏ bằng tay và ủ phân hữu cơ cho chè.</p><p>Chè được chứng nhận hữu cơ và "
                    "đã xuất khẩu sang châu Âu, đem lại thu nhập ổn định cho các hộ thành viên hợp tác "
                    "xã.</p>",
                    "100% búp chè Shan tuyết hữu cơ Bản Liền.",
                    "Hãm 5 g chè với nước 85 °C trong 2–3 phút.",
                ),
                "en": _tr(
                    "Bản Liền Organic Shan Tuyết Tea",
                    "Shan Tuyết tea grown and processed to organic standards by Tày farmers in Bản Liền.",
                    "<p>On the tea hills of Bản Liền no chemical fertiliser or pesticide is used: Tày "
                    "farmers weed by hand and feed the tea with compost.</p><p>The tea is certified organic "
                    "and has been exported to Europe, giving the cooperative's member households a steady "
                    "income.</p>",
                    "100% organic Shan Tuyết buds from Bản Liền.",
                    "Steep 5 g in water at 85 °C for 2–3 minutes.",
                ),
            },
        ],
        "recognitions": [
            {
                "product": "Chè Shan tuyết hữu cơ Bản Liền",
                "kind": Recognition.Kind.ORGANIC,
                "issuer": "Tổ chức chứng nhận hữu cơ (tiêu chuẩn EU)",
                "number": "ORG-EU-2026-0412",
                "valid_from": date(2026, 1, 1),
                "valid_to": date(2026, 12, 31),
            },
        ],
    },
    {
        "key": "hkd_cahoisapa",
        "kind": Entity.Kind.HOUSEHOLD,
        "legal_name": "Hộ kinh doanh Lê Trung Thục",
        "tax_code": "5301458213",
        "representative": "Lê Trung Thục",
        "address": "Trại cá hồi Ngũ Chỉ Sơn",
        "province": "Lào Cai",
        "commune": "Ngu Chi Son",
        "founded_year": 2014,
        "workers_count": 18,
        "women_count": 8,
        "ethnic_minority_count": 10,
        "description": "Hộ kinh doanh của ông Lê Trung Thục nuôi cá hồi bằng nước suối lạnh và chế biến cả "
        "chuỗi sản phẩm từ cá hồi Sa Pa đạt OCOP 4 sao.",
        "gs1_prefix": "89399104",
        "products": [
            {
                "category": "QD26-02",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 7,
                "price": (250_000, 450_000),
                "capacity": (150, "kg"),
                "packagings": [("100", "g", "0001", "Hũ thủy tinh 100 g")],
                "vi": _tr(
                    "Trứng cá hồi Sa Pa",
                    "Trứng cá hồi tươi từ cá nuôi bằng nước suối lạnh dưới chân dãy Hoàng Liên, hạt căng, vị "
                    "béo.",
                    "<p>Cá hồi được nuôi trong nước suối lạnh quanh năm dưới 18 °C ở xã Ngũ Chỉ Sơn. Từ "
                    "nguồn nguyên liệu ấy, hộ kinh doanh của ông Lê Trung Thục làm ra cả một chuỗi sản phẩm "
                    "mang sao OCOP.</p><p>Trứng cá hồi được tách, làm sạch và đóng hũ ngay trong ngày, giữ "
                    "lạnh từ trang trại đến tay người mua.</p>",
                    "100% trứng cá hồi tươi.",
                    "Bảo quản ở 0–4 °C, dùng trong 7 ngày kể từ ngày sản xuất. Ăn kèm sushi, salad, bánh mì "
                    "nướng hoặc cháo.",
                ),
                "en": _tr(
                    "Sa Pa Fresh Salmon Roe",
                    "Fresh roe from salmon raised in the cold streams below the Hoàng Liên range: firm "
                    "pearls, rich taste.",
                    "<p>The salmon are raised in stream water that stays below 18 °C all year in Ngũ Chỉ Sơn "
                    "commune. From this raw material, Mr Lê Trung Thục's household business makes a whole "
                    "chain of OCOP-rated products.</p><p>The roe is separated, cleaned and jarred the same "
                    "day and kept cold from the farm to the buyer.</p>",
                    "100% fresh salmon roe.",
                    "Keep at 0–4 °C and eat within 7 days of production. Serve with sushi, salad, toast or "
                    "rice porridge.",
                ),
            },
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 30,
                "price": (180_000, 700_000),
                "capacity": (400, "kg"),
                "packagings": [("200", "g", "0002", "Khay hút chân không 200 g")],
                "vi": _tr(
                    "Cá hồi hun khói Sa Pa",
                    "Phi lê cá hồi Sa Pa ướp muối và hun khói lạnh bằng gỗ táo mèo, thơm nhẹ, thịt mềm.",
                    "<p>Phi lê cá hồi được ướp muối biển và đường, rồi hun khói lạnh nhiều giờ bằng gỗ táo "
                    "mèo, loài cây mọc nhiều trên núi Sa Pa.</p><p>Khói táo mèo cho miếng cá màu cam đẹp và "
                    "mùi thơm rất riêng của vùng cao.</p>",
                    "Phi lê cá hồi (95%), muối biển, đường.",
                    "Bảo quản ở 0–4 °C. Thái lát mỏng, ăn ngay hoặc dùng với salad, bánh mì.",
                ),
                "en": _tr(
                    "Sa Pa Smoked Salmon",
                    "Sa Pa salmon fillets cured and cold-smoked over táo mèo (wild apple) wood: delicate "
                    "smoke, tender flesh.",
                    "<p>The fillets are cured with sea salt and sugar, then cold-smoked for hours over the "
                    "wood of táo mèo, a wild apple tree common on the Sa Pa mountains.</p><p>The smoke gives "
                    "the fish a bright orange colour and a scent that belongs to the highlands.</p>",
                    "Salmon fillet (95%), sea salt, sugar.",
                    "Keep at 0–4 °C. Slice thinly and serve as is, in salads or on bread.",
                ),
            },
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 15,
                "price": (120_000, 220_000),
                "capacity": (500, "kg"),
                "packagings": [("500", "g", "0003", "Túi hút chân không 500 g")],
                "vi": _tr(
                    "Xúc xích cá hồi Sa Pa",
                    "Xúc xích làm từ thịt cá hồi Sa Pa, không chất bảo quản, hợp cho bữa sáng của cả nhà.",
                    "<p>Phần thịt cá hồi còn lại sau khi lọc phi lê được xay nhuyễn, trộn gia vị và nhồi vỏ, "
                    "nhờ vậy không phần nào của con cá bị bỏ phí.</p><p>Xúc xích cá hồi là món được trẻ em "
                    "và du khách đến Sa Pa ưa chuộng.</p>",
                    "Thịt cá hồi (80%), tinh bột sắn, hành, tiêu, muối, vỏ bọc collagen.",
                    "Bảo quản ở 0–4 °C (ngăn đá: 3 tháng). Chiên, nướng hoặc hấp 5–7 phút.",
                ),
                "en": _tr(
                    "Sa Pa Salmon Sausages",
                    "Sausages of Sa Pa salmon, without preservatives, for the whole family's breakfast.",
                    "<p>The salmon meat left after filleting is minced, seasoned and stuffed into casings, "
                    "so that no part of the fish is wasted.</p><p>The sausages are a favourite of children "
                    "and of visitors to Sa Pa.</p>",
                    "Salmon meat (80%), tapioca starch, shallot, pepper, salt, collagen casing.",
                    "Keep at 0–4 °C (frozen: 3 months). Fry, grill or steam for 5–7 minutes.",
                ),
            },
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 180,
                "price": (150_000, 290_000),
                "capacity": (200, "kg"),
                "packagings": [("150", "g", "0004", "Hũ nhựa 150 g")],
                "vi": _tr(
                    "Ruốc cá hồi Sa Pa",
                    "Ruốc cá hồi sao tơi, thơm, giàu đạm, ăn kèm cơm, cháo, bánh mì.",
                    "<p>Thịt cá hồi được hấp chín, gỡ xương, rồi sao nhỏ lửa nhiều giờ cho tơi và thơm, theo "
                    "cách làm ruốc truyền thống của gia đình.</p><p>Ruốc để được lâu mà không cần tủ lạnh, "
                    "là món quà Sa Pa dễ mang theo.</p>",
                    "Thịt cá hồi (85%), nước mắm, đường, hành, tiêu.",
                    "Ăn kèm cơm, cháo, xôi, bánh mì. Sau khi mở nắp, đậy kín và dùng trong 30 ngày.",
                ),
                "en": _tr(
                    "Sa Pa Salmon Floss",
                    "Light, fragrant salmon floss, rich in protein, to eat with rice, porridge or bread.",
                    "<p>The salmon is steamed, boned and stir-dried over a low flame for hours until light "
                    "and fragrant, the family's traditional way of making floss.</p><p>It keeps without a "
                    "refrigerator: an easy gift to bring home from Sa Pa.</p>",
                    "Salmon meat (85%), fish sauce, sugar, shallot, pepper.",
                    "Eat with rice, porridge, sticky rice or bread. Once opened, close tightly and use "
                    "within 30 days.",
                ),
            },
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 365,
                "price": (60_000, 120_000),
                "capacity": (1_000, "kg"),
                "vi": _tr(
                    "Bánh phồng cá hồi Sa Pa",
                    "Bánh phồng làm từ cá hồi Sa Pa và tinh bột sắn, chiên giòn, ngọt tự nhiên vị cá.",
                    "<p>Thịt cá hồi được xay cùng tinh bột sắn, hấp thành thỏi, thái mỏng và phơi khô dưới "
                    "nắng vùng cao.</p><p>Khi chiên, bánh nở phồng, giòn tan và thơm vị cá: món ăn vặt mang "
                    "hương vị Sa Pa về xuôi.</p>",
                    "Tinh bột sắn, thịt cá hồi (30%), đường, muối, tiêu.",
                    "Chiên ngập dầu nóng 170 °C vài giây đến khi bánh nở. Bảo quản nơi khô ráo.",
                ),
                "en": _tr(
                    "Sa Pa Salmon Crackers",
                    "Crackers of Sa Pa salmon and tapioca, fried crisp, with the natural sweetness of the "
                    "fish.",
                    "<p>Salmon meat is ground with tapioca starch, steamed into rolls, sliced thin and dried "
                    "in the highland sun.</p><p>Fried, the crackers puff up, crisp and fragrant: a Sa Pa "
                    "snack to take back to the lowlands.</p>",
                    "Tapioca starch, salmon meat (30%), sugar, salt, pepper.",
                    "Deep-fry in oil at 170 °C for a few seconds until puffed. Keep dry.",
                ),
            },
        ],
        "recognitions": [
            {
                "product": "Trứng cá hồi Sa Pa",
                "kind": Recognition.Kind.VIETGAP,
                "issuer": "Tổ chức chứng nhận VietGAP thủy sản",
                "number": "VietGAP-TS-15-04-0031",
                "valid_from": date(2025, 4, 10),
                "valid_to": date(2028, 4, 9),
                "evidence": (Evidence.Kind.STANDARD_CERTIFICATE, "Giấy chứng nhận VietGAP nuôi cá hồi"),
            },
        ],
    },
    {
        "key": "htx_mongstyle",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Thêu dệt thổ cẩm Mông Style",
        "tax_code": "5200458127",
        "representative": "Lý Thị Ninh",
        "address": "Bản Chế Cu Nha",
        "province": "Lào Cai",
        "commune": "Che Cu Nha",
        "founded_year": 2009,
        "members_count": 30,
        "workers_count": 52,
        "women_count": 52,
        "ethnic_minority_count": 52,
        "description": "Hợp tác xã do chị Lý Thị Ninh và phụ nữ Mông xã Chế Cu Nha (nay là xã Mù Cang Chải) "
        "lập năm 2009 để giữ nghề dệt, thêu thổ cẩm; có đơn hàng xuất khẩu sang Anh và Pháp.",
        "gs1_prefix": "89399105",
        "products": [
            {
                "category": "QD26-22",
                "status": CERTIFIED,
                "year": 2023,
                "price": (1_200_000, 4_500_000),
                "capacity": (60, "chiếc"),
                "packagings": [("1", "piece", "0001", "Một chiếc, hộp giấy")],
                "vi": _tr(
                    "Váy thổ cẩm Mông thêu tay",
                    "Váy xòe của phụ nữ Mông bằng vải lanh nhuộm chàm, vẽ sáp ong và thêu tay hoa văn truyền "
                    "thống.",
                    "<p>Chị Lý Thị Ninh sinh ra ở xã Chế Cu Nha (nay là xã Mù Cang Chải) và lớn lên cùng "
                    "tiếng khung cửi. Thấy nghề dệt thổ cẩm có nguy cơ mai một, năm 2009 chị cùng chị em "
                    "trong bản lập hợp tác xã để giữ nghề.</p><p>Mỗi chiếc váy mất nhiều tháng: trồng lanh, "
                    "se sợi, dệt vải, vẽ sáp ong, nhuộm chàm rồi thêu tay từng hoa văn.</p>",
                    "Vải lanh dệt tay, chàm tự nhiên, sáp ong, chỉ thêu cotton.",
                    "Giặt tay bằng nước lạnh, không dùng chất tẩy; phơi trong bóng râm.",
                ),
                "en": _tr(
                    "Hand-embroidered Hmong Brocade Skirt",
                    "A Hmong woman's pleated skirt of indigo-dyed hemp, batik-drawn with beeswax and "
                    "embroidered by hand.",
                    "<p>Ms Lý Thị Ninh was born in Chế Cu Nha commune (now Mù Cang Chải commune) and grew up "
                    "to the sound of the loom. Seeing brocade weaving at risk of dying out, in 2009 she and "
                    "other women of the village founded a cooperative to keep the craft alive.</p><p>Each "
                    "skirt takes months: growing hemp, spinning, weaving, drawing with beeswax, dyeing with "
                    "indigo and embroidering every motif by hand.</p>",
                    "Hand-woven hemp cloth, natural indigo, beeswax, cotton embroidery thread.",
                    "Hand-wash in cold water without bleach; dry in the shade.",
                ),
            },
            {
                "category": "QD26-22",
                "status": CERTIFIED,
                "year": 2024,
                "price": (350_000, 950_000),
                "capacity": (400, "chiếc"),
                "packagings": [("1", "piece", "0002", "Một chiếc, túi vải")],
                "vi": _tr(
                    "Túi xách thổ cẩm Mông",
                    "Túi xách may từ vải thổ cẩm thêu hoa văn Mông, món quà độc đáo đã theo các đơn hàng "
                    "sang Anh và Pháp.",
                    "<p>Từ chiếc váy truyền thống, hợp tác xã làm thêm túi xách, ví, ba lô mang hoa văn Mông "
                    "đậm nét, hợp với cách dùng hằng ngày.</p><p>Những lô hàng trị giá tới 800 triệu đồng đã "
                    "được xuất sang Anh và Pháp; chị em cần việc được hợp tác xã dạy nghề miễn phí.</p>",
                    "Vải thổ cẩm dệt tay, vải lót cotton, khóa kéo kim loại.",
                    "Lau bằng khăn ẩm; giặt tay nhẹ nhàng khi cần, không vắt mạnh.",
                ),
                "en": _tr(
                    "Hmong Brocade Handbag",
                    "A handbag of brocade embroidered with Hmong motifs, a unique gift that has travelled to "
                    "England and France.",
                    "<p>Building on the traditional skirt, the cooperative now also makes handbags, wallets "
                    "and backpacks with bold Hmong patterns for everyday use.</p><p>Shipments worth up to "
                    "800 million VND have been exported to England and France, and the cooperative teaches "
                    "the craft free of charge to women who need work.</p>",
                    "Hand-woven brocade, cotton lining, metal zip.",
                    "Wipe with a damp cloth; hand-wash gently when needed, do not wring.",
                ),
            },
            {
                "category": "QD26-22",
                "status": DRAFT,
                "price": (450_000, 1_100_000),
                "capacity": (100, "chiếc"),
                "vi": _tr(
                    "Ba lô thổ cẩm hoa văn Mông",
                    "Ba lô vải thổ cẩm phối da, hoa văn Mông, dành cho du khách và học sinh.",
                    "<p>Mẫu ba lô mới của hợp tác xã kết hợp vải thổ cẩm dệt tay với quai da bền chắc, đang "
                    "được hoàn thiện để đăng ký đánh giá OCOP.</p>",
                    "Vải thổ cẩm dệt tay, da bò thuộc, vải lót chống thấm.",
                    "Lau bằng khăn ẩm, tránh ngâm nước lâu.",
                ),
                "en": _tr(
                    "Hmong Brocade Backpack",
                    "A backpack of brocade with leather trims and Hmong motifs, for travellers and students.",
                    "<p>The cooperative's new backpack combines hand-woven brocade with sturdy leather "
                    "straps; it is being finished for registration in the OCOP evaluation.</p>",
                    "Hand-woven brocade, tanned cowhide, water-resistant lining.",
                    "Wipe with a damp cloth; do not soak.",
                ),
            },
        ],
        "recognitions": [
            {
                "kind": Recognition.Kind.EXPORT_MARKET,
                "note": "Anh; Pháp (lô hàng tới 800 triệu đồng)",
                "valid_from": date(2024, 6, 1),
            },
        ],
    },
    {
        "key": "htx_nachilang",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Na Chi Lăng",
        "tax_code": "4900387211",
        "representative": "Hoàng Văn Lợi",
        "address": "Thôn Làng Cạn",
        "province": "Lạng Sơn",
        "commune": "Chi Lang",
        "founded_year": 2017,
        "members_count": 25,
        "workers_count": 40,
        "women_count": 21,
        "ethnic_minority_count": 35,
        "description": "Hợp tác xã trồng na trên núi đá vôi Chi Lăng theo VietGAP, có vùng nguyên liệu tập "
        "trung và ghi chép truy xuất nguồn gốc cho từng vườn.",
        "gs1_prefix": "89399106",
        "products": [
            {
                "category": "QD26-01",
                "status": CERTIFIED,
                "year": 2022,
                "shelf_life_days": 5,
                "price": (50_000, 120_000),
                "capacity": (40, "tấn"),
                "packagings": [("2", "kg", "0001", "Hộp quà 2 kg"), ("5", "kg", "0002", "Thùng carton 5 kg")],
                "vi": _tr(
                    "Na Chi Lăng",
                    "Na dai trồng trên núi đá vôi Chi Lăng, quả to, múi dày, ngọt đậm và thơm.",
                    "<p>Na được trồng trên những sườn núi đá vôi của Chi Lăng, nơi đất đá giữ ẩm, nắng và "
                    "gió cho quả vị ngọt đậm rất riêng. Vào mùa, con đường qua Chi Lăng tấp nập thương "
                    "lái.</p><p>Hợp tác xã sản xuất theo VietGAP, ghi chép từng lần chăm sóc để truy xuất "
                    "nguồn gốc, và đưa na vào các siêu thị lớn.</p>",
                    "Quả na dai tươi.",
                    "Để chín tự nhiên ở nhiệt độ phòng 1–2 ngày; khi quả mềm, mắt na nở đều là ăn được. "
                    "Không để tủ lạnh khi quả còn xanh.",
                ),
                "en": _tr(
                    "Chi Lăng Custard Apple",
                    "Custard apples from the limestone hills of Chi Lăng: large fruit, thick flesh, rich "
                    "sweetness and fragrance.",
                    "<p>The custard apples grow on the limestone slopes of Chi Lăng, where the rocky soil "
                    "holds moisture and the sun and wind give the fruit its rich sweetness. In season, the "
                    "road through Chi Lăng is busy with traders.</p><p>The cooperative farms to VietGAP, "
                    "records every step for traceability and supplies national supermarket chains.</p>",
                    "Fresh custard apples (Annona squamosa).",
                    "Let ripen at room temperature for 1–2 days; it is ready when soft and the segments open "
                    "evenly. Do not refrigerate unripe fruit.",
                ),
            },
            {
                "category": "QD26-07",
                "status": REGISTERED,
                "shelf_life_days": 180,
                "price": (90_000, 180_000),
                "capacity": (2, "tấn"),
                "vi": _tr(
                    "Na sấy dẻo Chi Lăng",
                    "Na Chi Lăng tách hạt, sấy dẻo ở nhiệt độ thấp, giữ vị ngọt tự nhiên, không thêm đường.",
                    "<p>Để bán được na quanh năm, hợp tác xã sấy dẻo những quả na chín đẹp nhất ở nhiệt độ "
                    "thấp, không thêm đường hay chất bảo quản.</p><p>Sản phẩm mới đã đăng ký tham gia đánh "
                    "giá OCOP năm nay.</p>",
                    "Na Chi Lăng chín (100%).",
                    "Ăn trực tiếp. Sau khi mở túi, đóng kín và dùng trong 15 ngày.",
                ),
                "en": _tr(
                    "Chi Lăng Soft-dried Custard Apple",
                    "Seeded Chi Lăng custard apple, soft-dried at low heat, naturally sweet with no added "
                    "sugar.",
                    "<p>To sell custard apples all year round, the cooperative soft-dries the best ripe "
                    "fruit at low temperature, with no sugar or preservatives.</p><p>The new product has "
                    "been registered for this year's OCOP evaluation.</p>",
                    "Ripe Chi Lăng custard apple (100%).",
                    "Eat as is. Once opened, reseal and use within 15 days.",
                ),
            },
        ],
        "recognitions": [
            {
                "product": "Na Chi Lăng",
                "kind": Recognition.Kind.VIETGAP,
                "issuer": "Tổ chức chứng nhận VietGAP trồng trọt",
                "number": "VietGAP-TT-20-06-0112",
                "valid_from": date(2025, 2, 10),
                "valid_to": date(2028, 2, 9),
                "evidence": (Evidence.Kind.STANDARD_CERTIFICATE, "Giấy chứng nhận VietGAP vùng na Chi Lăng"),
            },
            {
                "product": "Na Chi Lăng",
                "kind": Recognition.Kind.GEOGRAPHICAL_INDICATION,
                "issuer": "Cục Sở hữu trí tuệ",
                "number": "00091",
                "valid_from": date(2020, 9, 8),
                "note": "Chỉ dẫn địa lý “Chi Lăng” cho sản phẩm quả na",
            },
            {
                "product": "Na Chi Lăng",
                "kind": Recognition.Kind.GOLDEN_BRAND,
                "issuer": "Hội Nông dân Việt Nam",
                "number": "TVNN-2023",
                "valid_from": date(2023, 10, 12),
                "note": "Thương hiệu vàng nông nghiệp Việt Nam 2023",
            },
        ],
    },
    {
        "key": "htx_maccavanquan",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Mắc ca Văn Quan",
        "tax_code": "4900871142",
        "representative": "Lương Văn Hùng",
        "address": "Thôn Bản Làn",
        "province": "Lạng Sơn",
        "commune": "Van Quan",
        "founded_year": 2019,
        "members_count": 18,
        "workers_count": 22,
        "women_count": 10,
        "ethnic_minority_count": 20,
        "description": "Hợp tác xã trồng mắc ca xen rừng trên đồi Văn Quan, sấy và cắt khe nứt vỏ tại xưởng "
        "của hợp tác xã.",
        "gs1_prefix": "89399107",
        "products": [
            {
                "category": "QD26-07",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 365,
                "price": (140_000, 320_000),
                "capacity": (3, "tấn"),
                "packagings": [("500", "g", "0001", "Hộp 500 g kèm khóa mở")],
                "vi": _tr(
                    "Hạt mắc ca nứt vỏ Văn Quan",
                    "Hạt mắc ca sấy, cắt sẵn khe nứt trên vỏ, kèm khóa mở, béo bùi và giòn.",
                    "<p>Những vườn mắc ca trên đồi Văn Quan được trồng xen với rừng, cho hạt chắc và nhiều "
                    "dầu. Hạt được phơi, sấy nhiều ngày rồi cắt một khe nứt trên lớp vỏ cứng.</p><p>Nhờ vậy "
                    "người dùng chỉ cần chiếc khóa mở kèm theo là tách được nhân, không cần búa hay kìm.</p>",
                    "Hạt mắc ca (100%).",
                    "Đặt khóa mở vào khe nứt và xoay nhẹ để tách vỏ. Bảo quản nơi khô mát, đậy kín sau khi "
                    "mở.",
                ),
                "en": _tr(
                    "Văn Quan Cracked-shell Macadamia",
                    "Dried macadamia nuts with a ready-cut crack in the shell and an opener included: rich, "
                    "buttery and crisp.",
                    "<p>The macadamia orchards on the hills of Văn Quan grow among the forest and give full, "
                    "oily nuts. The nuts are sun-dried, kiln-dried for days and then slit through the hard "
                    "shell.</p><p>With the small opener in the pack, anyone can open them without a hammer "
                    "or pliers.</p>",
                    "Macadamia nuts (100%).",
                    "Put the opener into the slit and twist gently to open. Keep cool and dry; close tightly "
                    "after opening.",
                ),
            },
        ],
    },
    {
        "key": "dn_kylua",
        "kind": Entity.Kind.ENTERPRISE,
        "legal_name": "Công ty TNHH Thực phẩm Kỳ Lừa",
        "tax_code": "4900652378",
        "representative": "Chu Thị Hạnh",
        "address": "Số 18 phố Kỳ Lừa",
        "province": "Lạng Sơn",
        "commune": "Ky Lua",
        "founded_year": 2011,
        "workers_count": 35,
        "women_count": 22,
        "ethnic_minority_count": 15,
        "description": "Doanh nghiệp chế biến các món thịt truyền thống xứ Lạng: lạp sườn, khâu nhục, theo "
        "quy trình HACCP.",
        "gs1_prefix": "89399108",
        "products": [
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2022,
                "shelf_life_days": 90,
                "price": (180_000, 380_000),
                "capacity": (2_000, "kg"),
                "packagings": [("500", "g", "0001", "Túi hút chân không 500 g")],
                "vi": _tr(
                    "Lạp sườn Lạng Sơn",
                    "Lạp sườn thịt nạc vai ướp rượu mai quế lộ, phơi gió heo may xứ Lạng.",
                    "<p>Lạp sườn là món quen thuộc trên mâm cơm ngày Tết của người Lạng Sơn. Thịt lợn nạc "
                    "vai được thái hạt lựu, ướp rượu mai quế lộ, đường và xì dầu, rồi nhồi vào ruột "
                    "non.</p><p>Lạp sườn được phơi trong gió heo may rồi hong trên bếp than, cho vị ngọt đậm "
                    "và thơm khói nhẹ.</p>",
                    "Thịt lợn (85%), đường, rượu mai quế lộ, xì dầu, muối, vỏ ruột lợn.",
                    "Hấp 10 phút rồi áp chảo, hoặc nướng than. Bảo quản ở 0–4 °C.",
                ),
                "en": _tr(
                    "Lạng Sơn Sausage (lạp sườn)",
                    "Cured sausage of diced pork shoulder marinated in mai quế lộ rice wine and dried in the "
                    "autumn wind of Lạng Sơn.",
                    "<p>Lạp sườn is a Tết favourite on Lạng Sơn tables. Pork shoulder is diced, marinated in "
                    "mai quế lộ rice wine, sugar and soy sauce, and stuffed into natural casings.</p><p>The "
                    "sausages dry in the autumn wind and then over a charcoal stove, which gives them a deep "
                    "sweetness and a light smoky scent.</p>",
                    "Pork (85%), sugar, mai quế lộ rice wine, soy sauce, salt, natural pork casing.",
                    "Steam for 10 minutes then pan-fry, or grill over charcoal. Keep at 0–4 °C.",
                ),
            },
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 10,
                "price": (160_000, 300_000),
                "capacity": (800, "kg"),
                "packagings": [("800", "g", "0002", "Hộp 800 g")],
                "vi": _tr(
                    "Khâu nhục Lạng Sơn",
                    "Thịt ba chỉ rán vàng bì, tẩm gia vị, xếp cùng khoai môn và hấp cách thủy nhiều giờ, mềm "
                    "tan.",
                    "<p>Khâu nhục là món cỗ của người Tày, Nùng xứ Lạng. Thịt ba chỉ được luộc, châm bì, rán "
                    "vàng rồi ướp mắc mật, ngũ vị hương, xếp cùng khoai môn và hấp cách thủy nhiều "
                    "giờ.</p><p>Công ty đóng hộp khâu nhục chín để người ở xa cũng có món cỗ quê hương chỉ "
                    "sau vài phút hâm nóng.</p>",
                    "Thịt lợn ba chỉ (70%), khoai môn, tỏi, mắc mật, ngũ vị hương, đường, xì dầu.",
                    "Hấp cách thủy 15–20 phút trước khi ăn. Bảo quản ở 0–4 °C.",
                ),
                "en": _tr(
                    "Lạng Sơn Braised Pork Belly (khâu nhục)",
                    "Pork belly fried until the skin blisters, seasoned, layered with taro and steamed for "
                    "hours until meltingly tender.",
                    "<p>Khâu nhục is a feast dish of the Tày and Nùng people of Lạng Sơn. Pork belly is "
                    "boiled, its skin pricked and fried golden, then seasoned with mắc mật and five-spice, "
                    "layered with taro and steamed for hours.</p><p>The company packs the cooked dish so "
                    "that people far from home can have it after a few minutes of reheating.</p>",
                    "Pork belly (70%), taro, garlic, mắc mật, five-spice, sugar, soy sauce.",
                    "Steam for 15–20 minutes before serving. Keep at 0–4 °C.",
                ),
            },
        ],
        "recognitions": [
            {
                "kind": Recognition.Kind.HACCP,
                "issuer": "Tổ chức chứng nhận hệ thống HACCP",
                "number": "HACCP-24-0419",
                "valid_from": date(2024, 5, 20),
                "valid_to": date(2027, 5, 19),
            },
            {
                "product": "Lạp sườn Lạng Sơn",
                "kind": Recognition.Kind.RURAL_INDUSTRIAL,
                "issuer": "UBND tỉnh Lạng Sơn",
                "number": "SPCNNTTB-LS-2023-07",
                "valid_from": date(2023, 11, 2),
                "note": "Sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2023",
            },
        ],
    },
    {
        "key": "hkd_vitquay",
        "kind": Entity.Kind.HOUSEHOLD,
        "legal_name": "Hộ kinh doanh Nông Thị Lan",
        "tax_code": "4901127365",
        "representative": "Nông Thị Lan",
        "address": "Khu 3, phố Thất Khê",
        "province": "Lạng Sơn",
        "commune": "That Khe",
        "founded_year": 2008,
        "workers_count": 9,
        "women_count": 6,
        "ethnic_minority_count": 9,
        "description": "Hộ gia đình người Tày quay vịt lá mắc mật theo cách truyền thống của Thất Khê.",
        "products": [
            {
                "category": "QD26-08",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 3,
                "price": (350_000, 550_000),
                "capacity": (1_200, "con"),
                "vi": _tr(
                    "Vịt quay lá mắc mật Thất Khê",
                    "Vịt quay da giòn màu cánh gián, trong bụng nhồi lá mắc mật, thơm đặc trưng xứ Lạng.",
                    "<p>Vịt quay Thất Khê được nhồi lá mắc mật và gia vị vào bụng, khâu kín, phết mật ong "
                    "lên da rồi quay trên than hoa, xoay tay liên tục cho chín đều.</p><p>Lớp da giòn màu "
                    "cánh gián, thịt ngọt, thấm mùi lá mắc mật: món đặc sản mà khách qua Lạng Sơn thường mua "
                    "làm quà.</p>",
                    "Vịt (90%), lá mắc mật, mật ong, tỏi, gừng, muối, gia vị.",
                    "Dùng ngay trong ngày hoặc bảo quản ở 0–4 °C tối đa 3 ngày; hâm lại bằng nồi chiên không "
                    "dầu 5 phút.",
                ),
                "en": _tr(
                    "Thất Khê Roast Duck with Mắc Mật Leaves",
                    "Roast duck with crisp amber skin, stuffed with mắc mật leaves for the signature scent "
                    "of Lạng Sơn.",
                    "<p>Thất Khê ducks are stuffed with mắc mật leaves and spices, sewn shut, brushed with "
                    "honey and roasted over charcoal, turned by hand so they cook evenly.</p><p>The skin "
                    "comes out crisp and amber, the meat sweet and infused with mắc mật: the speciality "
                    "travellers through Lạng Sơn bring home.</p>",
                    "Duck (90%), mắc mật leaves, honey, garlic, ginger, salt, spices.",
                    "Eat the same day or keep at 0–4 °C for up to 3 days; reheat in an air fryer for 5 "
                    "minutes.",
                ),
            },
        ],
        "recognitions": [
            {
                "product": "Vịt quay lá mắc mật Thất Khê",
                "kind": Recognition.Kind.RURAL_INDUSTRIAL,
                "issuer": "UBND tỉnh Lạng Sơn",
                "number": "SPCNNTTB-LS-2024-03",
                "valid_from": date(2024, 10, 28),
                "note": "Sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2024",
            },
        ],
    },
    {
        "key": "htx_onghuulien",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Ong mật Hữu Liên",
        "tax_code": "4900914736",
        "representative": "Hoàng Văn Quyết",
        "address": "Thôn Lân Bé",
        "province": "Lạng Sơn",
        "commune": "Huu Lien",
        "founded_year": 2016,
        "members_count": 21,
        "workers_count": 26,
        "women_count": 11,
        "ethnic_minority_count": 19,
        "description": "Các hộ nuôi ong nội ven khu rừng đặc dụng Hữu Liên góp vốn lập hợp tác xã để cùng "
        "quay, lọc và đóng chai mật ong.",
        "gs1_prefix": "89399110",
        "products": [
            {
                "category": "QD26-04",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 730,
                "price": (180_000, 450_000),
                "capacity": (1_500, "lít"),
                "packagings": [
                    ("500", "ml", "0001", "Chai thủy tinh 500 ml"),
                    ("1", "l", "0002", "Chai thủy tinh 1 l"),
                ],
                "vi": _tr(
                    "Mật ong hoa rừng Hữu Liên",
                    "Mật ong từ đàn ong nội nuôi ven rừng đặc dụng Hữu Liên, sánh, thơm hương hoa rừng.",
                    "<p>Các hộ thành viên nuôi ong nội ven khu rừng đặc dụng Hữu Liên, nơi quanh năm có hoa "
                    "rừng và không có vườn phun thuốc.</p><p>Mật chỉ được quay khi đã đủ già, lọc qua lưới "
                    "và đóng chai thủy tinh, không pha đường, không cô đặc nhân tạo.</p>",
                    "Mật ong hoa rừng nguyên chất (100%).",
                    "Pha với nước ấm dưới 40 °C, dùng với chanh, gừng, hoặc ăn kèm bánh. Không dùng cho trẻ "
                    "dưới 1 tuổi.",
                ),
                "en": _tr(
                    "Hữu Liên Wild-flower Honey",
                    "Honey from native bees kept at the edge of the Hữu Liên nature reserve: thick, with the "
                    "scent of forest flowers.",
                    "<p>Member households keep native Asian honey bees on the edge of the Hữu Liên nature "
                    "reserve, where forest flowers bloom all year and no orchards are sprayed.</p><p>The "
                    "honey is only extracted when fully ripe, strained and bottled in glass, with no sugar "
                    "added and no artificial thickening.</p>",
                    "Pure wild-flower honey (100%).",
                    "Mix with warm water below 40 °C, with lemon or ginger, or eat with bread. Not for "
                    "infants under one year.",
                ),
            },
        ],
    },
    {
        "key": "htx_thachden",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Thạch đen Tràng Định",
        "tax_code": "4900562841",
        "representative": "Hà Thị Nguyệt",
        "address": "Thôn Nà Pò",
        "province": "Lạng Sơn",
        "commune": "Quoc Khanh",
        "founded_year": 2018,
        "members_count": 40,
        "workers_count": 45,
        "women_count": 30,
        "ethnic_minority_count": 44,
        "description": "Hợp tác xã thu mua, sơ chế và chế biến cây thạch đen của các hộ trồng ở Tràng Định.",
        "gs1_prefix": "89399111",
        "products": [
            {
                "category": "QD26-04",
                "status": CERTIFIED,
                "year": 2022,
                "shelf_life_days": 540,
                "price": (60_000, 110_000),
                "capacity": (20, "tấn"),
                "packagings": [("500", "g", "0001", "Túi 500 g")],
                "vi": _tr(
                    "Thạch đen khô Tràng Định",
                    "Cây thạch đen phơi khô của Tràng Định, nấu ra thạch dai, đen óng, mát và thơm.",
                    "<p>Cây thạch đen được trồng nhiều ở Tràng Định, nơi khí hậu mát và đất đồi hợp với loài "
                    "cây này. Sau khi thu hoạch, cây được phơi khô rồi ủ cho dậy mùi.</p><p>Nấu lên, thạch "
                    "đen khô cho món thạch giải nhiệt mùa hè quen thuộc khắp cả nước.</p>",
                    "Cây thạch đen khô (100%).",
                    "Rửa sạch 100 g thạch khô, đun với 3 lít nước trong 2 giờ, lọc lấy nước, hòa bột năng "
                    "rồi đun sôi, để nguội cho đông.",
                ),
                "en": _tr(
                    "Tràng Định Dried Black Jelly Grass",
                    "Dried black jelly grass from Tràng Định that cooks into a firm, glossy, cooling jelly.",
                    "<p>Black jelly grass (Platostoma palustre) is grown widely in Tràng Định, where the "
                    "cool climate and hill soil suit it. After harvest the plants are dried and cured until "
                    "fragrant.</p><p>Boiled, the dried grass makes the cooling summer jelly loved all over "
                    "Vietnam.</p>",
                    "Dried black jelly grass (100%).",
                    "Rinse 100 g, boil in 3 litres of water for 2 hours, strain, stir in tapioca starch, "
                    "bring back to the boil and leave to set.",
                ),
            },
            {
                "category": "QD26-07",
                "status": REGISTERED,
                "shelf_life_days": 365,
                "price": (45_000, 90_000),
                "capacity": (3, "tấn"),
                "vi": _tr(
                    "Bột thạch đen Tràng Định",
                    "Bột thạch đen hòa tan làm từ cây thạch đen Tràng Định, nấu thạch chỉ trong 10 phút.",
                    "<p>Để người thành phố làm thạch nhanh hơn, hợp tác xã cô đặc nước thạch đen rồi sấy "
                    "phun thành bột mịn. Sản phẩm đã đăng ký đánh giá OCOP.</p>",
                    "Chiết xuất cây thạch đen (60%), tinh bột sắn.",
                    "Hòa 50 g bột với 1 lít nước, đun sôi và khuấy đều 5 phút, đổ khuôn, để nguội cho đông.",
                ),
                "en": _tr(
                    "Tràng Định Instant Black Jelly Powder",
                    "Instant black jelly powder from Tràng Định jelly grass: jelly in 10 minutes.",
                    "<p>So that city kitchens can make jelly quickly, the cooperative concentrates black "
                    "jelly grass extract and spray-dries it into a fine powder. The product has been "
                    "registered for OCOP evaluation.</p>",
                    "Black jelly grass extract (60%), tapioca starch.",
                    "Mix 50 g with 1 litre of water, boil and stir for 5 minutes, pour into a mould and "
                    "leave to set.",
                ),
            },
        ],
    },
    {
        "key": "htx_hongbaolam",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Hồng Bảo Lâm",
        "tax_code": "4900418265",
        "representative": "Lăng Văn Kiên",
        "address": "Thôn Nà Mìn",
        "province": "Lạng Sơn",
        "commune": "Bao Lam",
        "founded_year": 2015,
        "members_count": 33,
        "workers_count": 38,
        "women_count": 18,
        "ethnic_minority_count": 36,
        "description": "Hợp tác xã trồng hồng không hạt ở Bảo Lâm (nay thuộc xã Đồng Đăng) theo VietGAP và "
        "chế biến hồng sấy gió.",
        "gs1_prefix": "89399112",
        "products": [
            {
                "category": "QD26-01",
                "status": CERTIFIED,
                "year": 2023,
                "shelf_life_days": 10,
                "price": (40_000, 90_000),
                "capacity": (25, "tấn"),
                "packagings": [("3", "kg", "0001", "Thùng carton 3 kg")],
                "vi": _tr(
                    "Hồng vành khuyên Bảo Lâm",
                    "Hồng không hạt Bảo Lâm, có vòng vành khuyên quanh cuống, giòn ngọt, chín vào mùa thu.",
                    "<p>Hồng vành khuyên là giống hồng không hạt quý của Bảo Lâm, nay thuộc xã Đồng Đăng. "
                    "Quả dẹt, có vòng tròn như mắt chim vành khuyên quanh cuống, ruột không hạt.</p><p>Hợp "
                    "tác xã trồng theo VietGAP và thu hoạch từ tháng 8 đến tháng 10, khi quả chín vàng "
                    "ươm.</p>",
                    "Quả hồng không hạt tươi.",
                    "Ủ chín 2–3 ngày cho hết chát rồi ăn giòn; bảo quản nơi thoáng mát.",
                ),
                "en": _tr(
                    "Bảo Lâm Seedless Persimmon",
                    "Seedless persimmons of Bảo Lâm with a ring like a white-eye bird's eye around the stem: "
                    "crisp and sweet, ripe in autumn.",
                    "<p>The vành khuyên persimmon is the prized seedless variety of Bảo Lâm, now part of "
                    "Đồng Đăng commune. The flat fruit bears a ring around the stem like the eye of a "
                    "white-eye bird and has no seeds.</p><p>The cooperative grows it to VietGAP and harvests "
                    "from August to October, when the fruit turns golden.</p>",
                    "Fresh seedless persimmons.",
                    "Let ripen 2–3 days to lose its astringency, then eat crisp; keep in a cool, airy place.",
                ),
            },
            {
                "category": "QD26-07",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 180,
                "price": (150_000, 300_000),
                "capacity": (2, "tấn"),
                "packagings": [("300", "g", "0002", "Hộp 300 g")],
                "vi": _tr(
                    "Hồng sấy gió Bảo Lâm",
                    "Hồng Bảo Lâm gọt vỏ, treo gió rồi sấy nhẹ: dẻo, ngọt tự nhiên, phủ phấn đường trắng.",
                    "<p>Cuối mùa, những quả hồng chín đều được gọt vỏ, treo thành chuỗi trong gió heo may và "
                    "bóp nhẹ mỗi ngày, học theo cách làm hồng treo gió của Nhật Bản.</p><p>Sau vài tuần, quả "
                    "dẻo, ngọt, phủ lớp phấn đường tự nhiên: món quà Tết của xứ Lạng.</p>",
                    "Hồng Bảo Lâm chín (100%).",
                    "Ăn trực tiếp hoặc dùng với trà. Bảo quản ngăn mát tủ lạnh sau khi mở túi.",
                ),
                "en": _tr(
                    "Bảo Lâm Wind-dried Persimmon",
                    "Bảo Lâm persimmons peeled, hung in the wind and gently dried: chewy, naturally sweet, "
                    "with a bloom of white sugar.",
                    "<p>At the end of the season, ripe persimmons are peeled, hung on strings in the autumn "
                    "wind and gently massaged each day, in the manner of Japanese hoshigaki.</p><p>After a "
                    "few weeks the fruit is soft and sweet under a natural sugar bloom: a Lạng Sơn gift for "
                    "Tết.</p>",
                    "Ripe Bảo Lâm persimmons (100%).",
                    "Eat as is or with tea. Refrigerate once opened.",
                ),
            },
        ],
        "recognitions": [
            {
                "product": "Hồng vành khuyên Bảo Lâm",
                "kind": Recognition.Kind.VIETGAP,
                "issuer": "Tổ chức chứng nhận VietGAP trồng trọt",
                "number": "VietGAP-TT-20-09-0057",
                "valid_from": date(2024, 8, 1),
                "valid_to": date(2027, 7, 31),
            },
        ],
    },
    {
        "key": "htx_chebacson",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Chè Bắc Sơn",
        "tax_code": "4900795324",
        "representative": "Dương Thị Thu",
        "address": "Thôn Đon Úi",
        "province": "Lạng Sơn",
        "commune": "Bac Son",
        "founded_year": 2020,
        "members_count": 15,
        "workers_count": 20,
        "women_count": 12,
        "ethnic_minority_count": 19,
        "description": "Hợp tác xã của các hộ người Tày giữ những nương chè trung du quanh thung lũng Bắc "
        "Sơn.",
        "gs1_prefix": "89399113",
        "products": [
            {
                "category": "QD26-11",
                "status": CERTIFIED,
                "year": 2024,
                "shelf_life_days": 365,
                "price": (120_000, 250_000),
                "capacity": (500, "kg"),
                "packagings": [("200", "g", "0001", "Túi 200 g")],
                "vi": _tr(
                    "Chè xanh Bắc Sơn",
                    "Chè xanh búp sao tay từ các đồi chè quanh thung lũng Bắc Sơn, nước xanh, vị đậm, hậu "
                    "ngọt.",
                    "<p>Thung lũng Bắc Sơn nổi tiếng với lúa và cam, nhưng trên các sườn đồi quanh thung "
                    "lũng, người Tày vẫn giữ những nương chè trung du trồng từ nhiều đời.</p><p>Hợp tác xã "
                    "hái búp vào sáng sớm và sao chè ngay trong ngày, giữ vị đậm và hậu ngọt của chè xứ "
                    "Lạng.</p>",
                    "100% búp chè trung du Bắc Sơn.",
                    "Hãm 5 g chè với nước 85–90 °C trong 2–3 phút.",
                ),
                "en": _tr(
                    "Bắc Sơn Green Tea",
                    "Hand-roasted green bud tea from the hills around the Bắc Sơn valley: green liquor, full "
                    "taste, sweet finish.",
                    "<p>The Bắc Sơn valley is known for its rice and oranges, but on the surrounding hills "
                    "Tày families still keep midland tea gardens planted generations ago.</p><p>The "
                    "cooperative picks the buds at dawn and roasts them the same day, keeping the full taste "
                    "and sweet finish of Lạng Sơn tea.</p>",
                    "100% midland tea buds from Bắc Sơn.",
                    "Steep 5 g in water at 85–90 °C for 2–3 minutes.",
                ),
            },
            {
                "category": "QD26-11",
                "status": DRAFT,
                "shelf_life_days": 540,
                "price": (60_000, 90_000),
                "capacity": (2_000, "hộp"),
                "vi": _tr(
                    "Trà xanh túi lọc Bắc Sơn",
                    "Chè xanh Bắc Sơn đóng túi lọc 2 g, đang hoàn thiện bao bì để đăng ký OCOP.",
                    "<p>Sản phẩm mới của hợp tác xã, hướng tới khách sạn, văn phòng và suất ăn hàng không. "
                    "Bao bì và nhãn đang được hoàn thiện trước khi đăng ký đánh giá.</p>",
                    "100% chè xanh Bắc Sơn; túi lọc giấy.",
                    "Nhúng một túi vào 200 ml nước 90 °C trong 2 phút.",
                ),
                "en": _tr(
                    "Bắc Sơn Green Tea Bags",
                    "Bắc Sơn green tea in 2 g filter bags; its packaging is being finished for OCOP.",
                    "<p>The cooperative's new product for hotels, offices and airline catering. Its "
                    "packaging and label are being finished before registration for evaluation.</p>",
                    "100% Bắc Sơn green tea; paper filter bags.",
                    "Steep one bag in 200 ml of water at 90 °C for 2 minutes.",
                ),
            },
        ],
    },
    {
        "key": "htx_galocbinh",
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Gà sáu ngón Lộc Bình",
        "tax_code": "4900936417",
        "representative": "Vi Văn Thắng",
        "address": "Thôn Nà Pặt",
        "province": "Lạng Sơn",
        "commune": "Loc Binh",
        "founded_year": 2021,
        "members_count": 12,
        "workers_count": 14,
        "women_count": 6,
        "ethnic_minority_count": 14,
        "description": "Hợp tác xã nuôi thả giống gà sáu ngón bản địa trên đồi Lộc Bình.",
        "products": [
            {
                "category": "QD26-02",
                "status": REGISTERED,
                "shelf_life_days": 3,
                "price": (250_000, 400_000),
                "capacity": (800, "con"),
                "vi": _tr(
                    "Gà sáu ngón Lộc Bình",
                    "Gà sáu ngón nuôi thả đồi ở Lộc Bình, thịt chắc, da giòn, giống gà quý của xứ Lạng.",
                    "<p>Gà sáu ngón là giống gà bản địa có thêm một ngón ở mỗi chân, xưa kia được dùng trong "
                    "lễ cúng của người Tày, Nùng. Hợp tác xã nuôi thả trên đồi, cho ăn ngô, thóc và rau "
                    "rừng.</p><p>Sản phẩm đã đăng ký đánh giá OCOP năm nay.</p>",
                    "Gà sáu ngón nguyên con, đã làm sạch.",
                    "Bảo quản ở 0–4 °C, dùng trong 3 ngày; luộc, hấp lá chanh hoặc nấu canh.",
                ),
                "en": _tr(
                    "Lộc Bình Six-toed Chicken",
                    "Free-range six-toed chickens raised on the hills of Lộc Bình: firm meat and crisp skin, "
                    "a prized Lạng Sơn breed.",
                    "<p>The six-toed chicken is a native breed with an extra toe on each foot, once kept for "
                    "Tày and Nùng ceremonies. The cooperative raises them free-range on the hills on maize, "
                    "paddy and wild greens.</p><p>The product has been registered for this year's OCOP "
                    "evaluation.</p>",
                    "Whole six-toed chicken, dressed.",
                    "Keep at 0–4 °C and use within 3 days; boil, steam with lime leaves or make soup.",
                ),
            },
        ],
    },
]

# Who can log in to the demo, and where. "commune" names a query like the entities' communes.
DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "trunguong",
        "first_name": "Minh Quân",
        "last_name": "Nguyễn",
        "kind": Role.Kind.NATIONAL,
        "superuser": True,
    },
    {
        "username": "tinh_laocai",
        "first_name": "Thu Hà",
        "last_name": "Trần",
        "kind": Role.Kind.PROVINCE,
        "province": "Lào Cai",
    },
    {
        "username": "tinh_langson",
        "first_name": "Văn Nam",
        "last_name": "Hoàng",
        "kind": Role.Kind.PROVINCE,
        "province": "Lạng Sơn",
    },
    {
        "username": "xa_vanchan",
        "first_name": "A Lử",
        "last_name": "Giàng",
        "kind": Role.Kind.COMMUNE,
        "province": "Lào Cai",
        "commune": "Suoi Giang",
    },
    {"username": "hoidong_laocai", "first_name": "Đức Minh", "last_name": "Phạm", "kind": Role.Kind.COUNCIL},
    # The Lạng Sơn council of the demo's open evaluation round (evaluation.demo).
    {
        "username": "hoidong_langson1",
        "first_name": "Thị Hoa",
        "last_name": "Hoàng",
        "kind": Role.Kind.COUNCIL,
    },
    {
        "username": "hoidong_langson2",
        "first_name": "Văn Quý",
        "last_name": "Lương",
        "kind": Role.Kind.COUNCIL,
    },
    {"username": "hoidong_langson3", "first_name": "Thu Trang", "last_name": "Vi", "kind": Role.Kind.COUNCIL},
    {
        "username": "htx_suoigiang",
        "first_name": "A Chu",
        "last_name": "Vàng",
        "kind": Role.Kind.ENTITY_MEMBER,
        "entity": "htx_suoigiang",
    },
    {
        "username": "hkd_cahoisapa",
        "first_name": "Trung Thục",
        "last_name": "Lê",
        "kind": Role.Kind.ENTITY_MEMBER,
        "entity": "hkd_cahoisapa",
    },
    {
        "username": "htx_mongstyle",
        "first_name": "Thị Ninh",
        "last_name": "Lý",
        "kind": Role.Kind.ENTITY_MEMBER,
        "entity": "htx_mongstyle",
    },
    {
        "username": "htx_nachilang",
        "first_name": "Văn Lợi",
        "last_name": "Hoàng",
        "kind": Role.Kind.ENTITY_MEMBER,
        "entity": "htx_nachilang",
    },
    {
        "username": "htx_thachden",
        "first_name": "Thị Nguyệt",
        "last_name": "Hà",
        "kind": Role.Kind.ENTITY_MEMBER,
        "entity": "htx_thachden",
    },
    {
        "username": "hkd_vitquay",
        "first_name": "Thị Lan",
        "last_name": "Nông",
        "kind": Role.Kind.ENTITY_MEMBER,
        "entity": "hkd_vitquay",
    },
]

CARD_COLOURS = {
    "QD26-01": (214, 132, 28),
    "QD26-02": (35, 96, 150),
    "QD26-04": (196, 142, 18),
    "QD26-07": (176, 88, 44),
    "QD26-08": (158, 48, 40),
    "QD26-11": (38, 112, 62),
    "QD26-22": (112, 44, 122),
}
DEFAULT_CARD_COLOUR = (60, 92, 110)


# --- identifiers and pictures --------------------------------------------------------------------------


def gtin_build(*, company_prefix: str, item_reference: str) -> str:
    """A GTIN-13 from a GS1 company prefix and an item reference, with its check digit."""
    payload = f"{company_prefix}{item_reference}"
    if len(payload) != 12 or not payload.isdigit():
        raise ValueError(f"A GTIN-13 needs 12 digits before its check digit, got {payload!r}.")
    return f"{payload}{gs1_standard_check_digit(payload)}"


@cache
@cache
def _card_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(settings.OCOP_FONT_BOLD), size)


def _text_wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def card_draw(*, title: str, details: list[str], colour: tuple[int, int, int], fmt: str = "JPEG") -> bytes:
    """A simple picture card (product photo stand-in, certificate scan stand-in)."""
    width, height, margin = 800, 600, 32
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((margin, margin, width - margin, height - margin), radius=28, fill=(252, 250, 245))
    draw.rectangle((margin, height - margin - 56, width - margin, height - margin - 48), fill=colour)
    inner = width - 2 * margin - 72
    x, y = margin + 36, margin + 30
    draw.text((x, y), "OCOP", font=_card_font(38), fill=colour)
    y += 76
    big = _card_font(48)
    for line in _text_wrap(draw, nfc(title), big, inner)[:4]:
        draw.text((x, y), line, font=big, fill=(28, 28, 28))
        y += 60
    y += 20
    small = _card_font(26)
    for detail in details:
        for line in _text_wrap(draw, nfc(detail), small, inner)[:2]:
            draw.text((x, y), line, font=small, fill=(80, 80, 80))
            y += 34
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=88)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


# --- curated data -----------------------------------------------------------------------------------


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str


@dataclass
class DemoLoadResult:
    logins_path: Path
    created: Counter = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)


class _Places:
    """Look-ups of the curated data's provinces and communes, cached for one run."""

    def __init__(self) -> None:
        self._provinces: dict[str, Province] = {}
        self._communes: dict[tuple[str, str], Commune] = {}

    def province(self, short_name: str) -> Province:
        if short_name not in self._provinces:
            matches = [p for p in provinces_list() if p.name_folded.endswith(" " + fold(short_name))]
            if len(matches) != 1:
                raise ValidationError(
                    f"Province “{short_name}” is not in the map; run `manage.py load_places`."
                )
            self._provinces[short_name] = matches[0]
        return self._provinces[short_name]

    def commune(self, province_name: str, query: str) -> Commune:
        key = (province_name, query)
        if key not in self._communes:
            province = self.province(province_name)
            found = list(communes_list(province_code=province.code, query=query))
            if not found:
                raise ValidationError(f"No commune of {province.name} matches “{query}”.")
            # A current name wins over a former one: "Chi Lang" is Xã Chi Lăng, not a ward that absorbed
            # part of the old Chi Lăng district.
            current = [c for c in found if c.name_folded.endswith(fold(query))]
            self._communes[key] = (current or found)[0]
        return self._communes[key]


def _reference_data_ensure() -> None:
    if not Province.objects.exists():
        raise ValidationError("The administrative map is empty: run `manage.py load_places` first.")
    # Nothing else loads the criteria sets on a fresh database yet; loading them rewrites the rows,
    # so only when one is missing (a second run must not write).
    needed = {p["category"] for e in DEMO_ENTITIES for p in e["products"]} | {line[1] for line in SCALE_LINES}
    if ProductCategory.objects.filter(code__in=needed).count() < len(needed):
        categories_load()


def _entity_ensure(spec: dict[str, Any], *, places: _Places, result: DemoLoadResult) -> Entity:
    entity = Entity.objects.filter(tax_code=spec["tax_code"]).first()
    if entity is not None:
        return entity
    data = {
        k: v
        for k, v in spec.items()
        if k not in ("key", "province", "commune", "gs1_prefix", "products", "recognitions")
    }
    data["commune"] = places.commune(spec["province"], spec["commune"])
    if spec.get("gs1_prefix"):
        # The producer's main site; item references 0001… are left for its trade items.
        data["gln"] = gtin_build(company_prefix=spec["gs1_prefix"], item_reference="9001")
    entity = entity_create(actor=None, **data)
    result.created["entities"] += 1
    return entity


def _product_code(*, entity: Entity, number: int, year: int) -> str:
    """Decision 26/2026/QĐ-TTg: (province code)-(commune code)-(number kept by the commune)-(year)."""
    return f"{entity.province_id}-{entity.commune_id}-{number:03d}-{year}"


def _product_ensure(spec: dict[str, Any], *, entity: Entity, number: int, result: DemoLoadResult) -> Product:
    name = spec["vi"]["name"]
    product = Product.objects.filter(
        entity=entity, translations__language="vi", translations__name=name
    ).first()
    if product is not None:
        return product
    low, high = spec["price"]
    capacity, unit = spec["capacity"]
    product = product_create(
        actor=None,
        entity=entity,
        translations={lang: spec[lang] for lang in ("vi", "en", "ja", "fr", "zh", "ko") if lang in spec},
        category=ProductCategory.objects.get(code=spec["category"]),
        code=_product_code(entity=entity, number=number, year=spec["year"])
        if spec["status"] == CERTIFIED
        else "",
        shelf_life_days=spec.get("shelf_life_days"),
        price_min_vnd=low,
        price_max_vnd=high,
        monthly_capacity=capacity,
        capacity_unit=unit,
        # The seed articles name real products: Suối Giàng's cooperative and the company that buys from
        # its Mông households both sell Shan tuyết teas, which the duplicate check rightly flags.
        duplicate_reason=DEMO_DUPLICATE_REASON,
    )
    # Only a new product gets its status: a later run must not undo what someone did in the demo.
    if spec["status"] != product.status:
        product = product_set_status(
            actor=None, product=product, status=spec["status"], reason="Dữ liệu trình diễn (load_demo)"
        )
    result.created["products"] += 1
    return product


def _packagings_ensure(
    spec: dict[str, Any], *, entity_spec: dict[str, Any], product: Product, result: DemoLoadResult
) -> None:
    for size, unit, item, description in spec.get("packagings", []):
        gtin = gtin_build(company_prefix=entity_spec["gs1_prefix"], item_reference=item)
        if Packaging.objects.filter(gtin=gtin.zfill(14)).exists():
            continue
        packaging_add(
            actor=None, product=product, size=Decimal(size), unit=unit, gtin=gtin, description=description
        )
        result.created["packagings"] += 1


def _image_ensure(spec: dict[str, Any], *, entity: Entity, product: Product, result: DemoLoadResult) -> None:
    if spec["status"] != CERTIFIED or product.images.exists():
        return
    name = spec["vi"]["name"]
    data = card_draw(
        title=name,
        details=[entity.legal_name, f"{entity.commune.name}, {entity.province.short_name}"],
        colour=CARD_COLOURS.get(spec["category"], DEFAULT_CARD_COLOUR),
    )
    upload = SimpleUploadedFile(f"{fold(name).replace(' ', '-')}.jpg", data, content_type="image/jpeg")
    product_image_add(actor=None, product=product, upload=upload, alt_text=f"Ảnh minh hoạ: {name}")
    result.created["images"] += 1


def _recognition_ensure(
    spec: dict[str, Any], *, entity: Entity, products: dict[str, Product], result: DemoLoadResult
) -> None:
    product = products[spec["product"]] if spec.get("product") else None
    number = spec.get("number", "")
    if Recognition.objects.filter(entity=entity, product=product, kind=spec["kind"], number=number).exists():
        return
    evidence = []
    if spec.get("evidence"):
        kind, title = spec["evidence"]
        document = Evidence.objects.filter(entity=entity, title=title).first()
        if document is None:
            # A stand-in for the scanned certificate, stored once in the entity's evidence library.
            data = card_draw(
                title=title,
                details=[entity.legal_name, f"Số: {number}", spec.get("issuer", "")],
                colour=(90, 90, 90),
                fmt="PNG",
            )
            upload = SimpleUploadedFile(
                f"{fold(title).replace(' ', '-')}.png", data, content_type="image/png"
            )
            document = evidence_upload(
                actor=None,
                entity=entity,
                upload=upload,
                kind=kind,
                title=title,
                issuer=spec.get("issuer", ""),
                number=number,
                valid_from=spec.get("valid_from"),
                valid_to=spec.get("valid_to"),
            )
            result.created["evidence"] += 1
        evidence.append(document)
    recognition_create(
        actor=None,
        entity=entity,
        product=product,
        kind=spec["kind"],
        issuer=spec.get("issuer", ""),
        number=number,
        valid_from=spec.get("valid_from"),
        valid_to=spec.get("valid_to"),
        note=spec.get("note", ""),
        evidence=evidence,
    )
    result.created["recognitions"] += 1


def demo_load(*, logins_path: Path | None = None) -> DemoLoadResult:
    """Create whatever of the curated demo data is missing, and the demo logins."""
    _reference_data_ensure()
    result = DemoLoadResult(logins_path=logins_path or Path(settings.VAR_DIR) / LOGINS_FILE_NAME)
    places = _Places()
    entities: dict[str, Entity] = {}
    numbers: Counter = Counter()
    with transaction.atomic():
        for entity_spec in DEMO_ENTITIES:
            entity = _entity_ensure(entity_spec, places=places, result=result)
            entities[entity_spec["key"]] = entity
            products: dict[str, Product] = {}
            for spec in entity_spec["products"]:
                if spec["status"] == CERTIFIED:
                    numbers[entity.commune_id] += 1
                product = _product_ensure(
                    spec, entity=entity, number=numbers[entity.commune_id], result=result
                )
                products[spec["vi"]["name"]] = product
                if entity_spec.get("gs1_prefix"):
                    _packagings_ensure(spec, entity_spec=entity_spec, product=product, result=result)
                _image_ensure(spec, entity=entity, product=product, result=result)
            for spec in entity_spec.get("recognitions", []):
                _recognition_ensure(spec, entity=entity, products=products, result=result)
        result.logins = demo_users_load(
            entities=entities, places=places, path=result.logins_path, result=result
        )
    return result


# --- demo logins ------------------------------------------------------------------------------------


def demo_logins_read(*, path: Path) -> dict[str, str]:
    """username → password from the logins file (tab-separated: username, role, password)."""
    if not path.exists():
        return {}
    logins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            logins[parts[0]] = parts[-1]
    return logins


def demo_logins_write(*, path: Path, logins: list[DemoLogin]) -> None:
    lines = [
        "# OCOP Hub demo logins, made by `manage.py load_demo`. FOR DEVELOPMENT ONLY: never use",
        "# these accounts on a server others can reach. Delete this file and run load_demo again",
        "# for new passwords.",
        "# username\trole\tpassword",
    ]
    lines += [f"{login.username}\t{login.role}\t{login.password}" for login in logins]
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only, from the first byte written.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as logins_file:
        logins_file.write("\n".join(lines) + "\n")
    path.chmod(0o600)  # a file left by an older run keeps its mode through O_CREAT


def _password_hash(password: str) -> str:
    """The default hasher costs a second or more per password on a small machine, and the demo makes a
    dozen accounts. Their passwords are 96 random bits whose plain text sits in the logins file anyway,
    so a slow hash protects nothing here: hash with fewer rounds, and Django re-hashes at full cost on
    the first login (PBKDF2PasswordHasher.must_update)."""
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=DEMO_PASSWORD_ITERATIONS)
    return make_password(password)


def _role_label(spec: dict[str, Any], *, scope: Any) -> str:
    labels = {
        Role.Kind.NATIONAL: "national official (superuser, admin)",
        Role.Kind.PROVINCE: "province official",
        Role.Kind.COMMUNE: "commune official",
        Role.Kind.COUNCIL: "council member",
        Role.Kind.ENTITY_MEMBER: "entity member",
    }
    label = labels[spec["kind"]]
    return f"{label}: {scope}" if scope is not None else label


def demo_users_load(
    *, entities: dict[str, Entity], places: _Places, path: Path, result: DemoLoadResult
) -> list[DemoLogin]:
    """Create the demo accounts and their roles; passwords are random, kept only in the logins file."""
    user_model = get_user_model()
    known = demo_logins_read(path=path)
    logins: list[DemoLogin] = []
    changed = False
    for spec in DEMO_USERS:
        username = spec["username"]
        province = places.province(spec["province"]) if spec.get("province") else None
        commune = places.commune(spec["province"], spec["commune"]) if spec.get("commune") else None
        entity = entities[spec["entity"]] if spec.get("entity") else None
        password = known.get(username)
        user = user_model.objects.filter(username=username).first()
        if user is None or password is None:
            # A new account, or one whose password went with a deleted logins file: issue a fresh one.
            password = password or secrets.token_urlsafe(12)
            if user is None:
                user = user_create(
                    actor=None,
                    username=username,
                    password_hash=_password_hash(password),
                    email=f"{username}@example.org",
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    superuser=bool(spec.get("superuser")),
                )
                result.created["users"] += 1
            else:
                user_password_set(actor=None, user=user, password_hash=_password_hash(password))
            changed = True
        role_grant(
            actor=None, user=user, kind=spec["kind"], province=province, commune=commune, entity=entity
        )
        scope = entity or commune or province
        logins.append(DemoLogin(username=username, role=_role_label(spec, scope=scope), password=password))
    if changed or set(known) != {login.username for login in logins}:
        demo_logins_write(path=path, logins=logins)
    return logins


# --- national scale ---------------------------------------------------------------------------------

# Generated entities get tax codes 00xxxxxxxx: no province has code 00, so they can never be real and
# they are counted by this prefix alone.
SCALE_TAX_PREFIX = "00"
# The seed: about 17,000 OCOP products from about 9,800 entities nationwide.
PRODUCTS_PER_ENTITY = 17_000 / 9_800
SCALE_BATCH_SIZE = 2_000
SCALE_DESCRIPTION = "Chủ thể mô phỏng để thử tải (manage.py load_demo --scale)."

# (trade in the entity's name, criteria set, weight, product names, capacity unit, price range in VND,
# shelf life in days)
SCALE_LINES: list[tuple[str, str, float, list[str], str, tuple[int, int], int | None]] = [
    (
        "Chè",
        "QD26-11",
        8,
        ["Chè xanh {p}", "Chè búp {p}", "Hồng trà {p}", "Chè Shan tuyết {p}", "Chè móc câu {p}"],
        "kg",
        (120_000, 600_000),
        540,
    ),
    (
        "Trà thảo dược",
        "QD26-12",
        5,
        ["Trà giảo cổ lam {p}", "Trà hoa cúc {p}", "Trà atiso {p}", "Trà lá vối {p}", "Trà cà gai leo {p}"],
        "hộp",
        (60_000, 250_000),
        540,
    ),
    (
        "Cà phê",
        "QD26-13",
        3,
        ["Cà phê rang xay {p}", "Cà phê hạt rang {p}", "Cà phê phin {p}", "Bột ca cao {p}"],
        "kg",
        (150_000, 500_000),
        365,
    ),
    (
        "Ong mật",
        "QD26-04",
        5,
        ["Mật ong hoa rừng {p}", "Mật ong hoa nhãn {p}", "Mật ong hoa cà phê {p}", "Mật ong hoa vải {p}"],
        "lít",
        (200_000, 600_000),
        730,
    ),
    (
        "Cây ăn quả",
        "QD26-01",
        14,
        ["Bưởi {p}", "Cam {p}", "Na {p}", "Vải thiều {p}", "Nhãn {p}", "Xoài {p}", "Hồng {p}", "Mận {p}"],
        "tấn",
        (25_000, 90_000),
        14,
    ),
    (
        "Nông sản",
        "QD26-07",
        10,
        [
            "Mứt gừng {p}",
            "Chuối sấy dẻo {p}",
            "Măng khô {p}",
            "Hạt điều rang muối {p}",
            "Hạt mắc ca {p}",
            "Mộc nhĩ {p}",
        ],
        "kg",
        (80_000, 400_000),
        365,
    ),
    (
        "Lúa gạo",
        "QD26-03",
        5,
        ["Gạo tám thơm {p}", "Gạo nếp cái hoa vàng {p}", "Gạo lứt {p}", "Gạo Séng Cù {p}"],
        "tấn",
        (25_000, 60_000),
        365,
    ),
    (
        "Chế biến nông sản",
        "QD26-06",
        7,
        ["Miến dong {p}", "Bún khô {p}", "Bánh đa {p}", "Phở khô {p}", "Cốm {p}", "Bánh chưng {p}"],
        "kg",
        (40_000, 150_000),
        180,
    ),
    (
        "Chăn nuôi",
        "QD26-02",
        6,
        ["Gà đồi {p}", "Lợn đen {p}", "Trứng gà ta {p}", "Bò thịt {p}"],
        "kg",
        (90_000, 350_000),
        5,
    ),
    (
        "Thực phẩm",
        "QD26-08",
        9,
        [
            "Lạp sườn {p}",
            "Giò bò {p}",
            "Thịt trâu gác bếp {p}",
            "Chả cá {p}",
            "Nem chua {p}",
            "Ruốc thịt {p}",
        ],
        "kg",
        (150_000, 900_000),
        90,
    ),
    (
        "Nước mắm",
        "QD26-09",
        3,
        ["Nước mắm cốt {p}", "Nước mắm nhĩ {p}", "Tương ớt {p}", "Tương nếp {p}"],
        "lít",
        (40_000, 250_000),
        730,
    ),
    (
        "Gia vị",
        "QD26-10",
        3,
        ["Muối tôm {p}", "Tỏi {p}", "Tiêu đen {p}", "Hành tím {p}", "Quế {p}"],
        "kg",
        (50_000, 400_000),
        365,
    ),
    (
        "Rượu truyền thống",
        "QD26-14",
        4,
        ["Rượu ngô {p}", "Rượu nếp cẩm {p}", "Rượu men lá {p}", "Rượu gạo {p}"],
        "lít",
        (80_000, 400_000),
        None,
    ),
    (
        "Đồ uống",
        "QD26-15",
        2,
        ["Rượu vang sim {p}", "Rượu mơ {p}", "Rượu táo mèo {p}"],
        "lít",
        (150_000, 500_000),
        None,
    ),
    (
        "Nước khoáng",
        "QD26-16",
        0.5,
        ["Nước khoáng thiên nhiên {p}", "Nước uống tinh khiết {p}"],
        "lít",
        (5_000, 20_000),
        365,
    ),
    (
        "Nước giải khát",
        "QD26-17",
        2,
        ["Nước cốt gừng {p}", "Nước ép chanh leo {p}", "Siro dâu {p}"],
        "lít",
        (30_000, 150_000),
        180,
    ),
    (
        "Dược liệu",
        "QD26-18",
        3,
        ["Cao actiso {p}", "Cao cà gai leo {p}", "Viên nghệ mật ong {p}"],
        "hộp",
        (120_000, 600_000),
        730,
    ),
    (
        "Mỹ phẩm thảo dược",
        "QD26-19",
        1.5,
        ["Dầu gội thảo dược {p}", "Xà phòng thảo mộc {p}", "Nước tắm thảo dược {p}"],
        "chai",
        (50_000, 250_000),
        730,
    ),
    (
        "Tinh dầu",
        "QD26-20",
        2,
        ["Tinh dầu quế {p}", "Tinh dầu sả chanh {p}", "Tinh dầu tràm {p}", "Tinh dầu hồi {p}"],
        "lít",
        (120_000, 900_000),
        1_095,
    ),
    (
        "Thủ công mỹ nghệ",
        "QD26-21",
        4,
        ["Mây tre đan {p}", "Gốm {p}", "Chiếu cói {p}", "Nón lá {p}", "Đồ gỗ mỹ nghệ {p}"],
        "sản phẩm",
        (50_000, 2_000_000),
        None,
    ),
    (
        "Dệt thổ cẩm",
        "QD26-22",
        2,
        ["Thổ cẩm {p}", "Lụa tơ tằm {p}", "Khăn dệt thổ cẩm {p}"],
        "m",
        (150_000, 1_500_000),
        None,
    ),
    ("Hoa", "QD26-23", 1, ["Hoa lan {p}", "Hoa đào {p}", "Hoa cúc {p}"], "cành", (20_000, 500_000), None),
    (
        "Cây cảnh",
        "QD26-24",
        1,
        ["Quất cảnh {p}", "Bonsai {p}", "Cây cảnh nghệ thuật {p}"],
        "cây",
        (300_000, 5_000_000),
        None,
    ),
    ("Sinh vật cảnh", "QD26-25", 0.5, ["Cá Koi {p}", "Cá cảnh {p}"], "con", (50_000, 3_000_000), None),
    (
        "Du lịch cộng đồng",
        "QD26-26",
        2,
        ["Du lịch cộng đồng {p}", "Du lịch sinh thái {p}", "Điểm du lịch {p}"],
        "lượt khách",
        (100_000, 1_500_000),
        None,
    ),
]
NAME_VARIANTS = ["đặc biệt", "hộp quà", "truyền thống", "cao cấp", "loại 1", "túi nhỏ"]
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Hà",
    "Nông",
    "Lò",
    "Vàng",
    "Giàng",
    "Lương",
    "Triệu",
    "Đinh",
    "Huỳnh",
    "Phan",
    "Võ",
    "Trương",
]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Thu", "Quang", "Kim"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
BRAND_WORDS = [
    "Tân Tiến",
    "Thành Công",
    "Hưng Thịnh",
    "Phúc Lộc",
    "Bình An",
    "Đoàn Kết",
    "Hợp Lực",
    "An Phát",
    "Thịnh Vượng",
    "Sơn Lâm",
    "Hòa Bình",
    "Phú Thịnh",
    "Minh Châu",
    "Đại Phát",
    "Xanh",
]
# Weights of the kinds of producers and of product statuses: mostly cooperatives, mostly certified.
SCALE_KINDS = [
    (Entity.Kind.COOPERATIVE, 40),
    (Entity.Kind.ENTERPRISE, 25),
    (Entity.Kind.HOUSEHOLD, 25),
    (Entity.Kind.COOPERATIVE_GROUP, 5),
    (Entity.Kind.FARM, 5),
]
TOURISM_KINDS = [
    (Entity.Kind.COOPERATIVE, 40),
    (Entity.Kind.ENTERPRISE, 30),
    (Entity.Kind.ASSOCIATION, 15),
    (Entity.Kind.OPERATING_CENTRE, 15),
]
SCALE_STATUSES = [
    (Product.Status.CERTIFIED, 82),
    (Product.Status.REGISTERED, 6),
    (Product.Status.IN_EVALUATION, 3),
    (Product.Status.DRAFT, 3),
    (Product.Status.EXPIRED, 6),
]


@dataclass
class DemoScaleResult:
    products: int
    entities: int
    existing: int


def _place_name(name: str, division_type: str) -> str:
    """ "Xã Văn Chấn" → "Văn Chấn": the place as people write it in a product's name."""
    prefix = f"{division_type} "
    return name[len(prefix) :] if name.lower().startswith(prefix.lower()) else name


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _scale_entity_name(rng: random.Random, *, kind: str, trade: str, place: str, person: str) -> str:
    if kind == Entity.Kind.HOUSEHOLD:
        return f"Hộ kinh doanh {person}"
    if kind == Entity.Kind.FARM:
        return f"Trang trại {trade.lower()} {person}"
    if kind == Entity.Kind.COOPERATIVE_GROUP:
        return f"Tổ hợp tác {trade.lower()} {place}"
    if kind == Entity.Kind.ENTERPRISE:
        form = rng.choice(["Công ty TNHH", "Công ty Cổ phần"])
        return f"{form} {trade} {rng.choice(BRAND_WORDS)}"
    if kind == Entity.Kind.ASSOCIATION:
        return f"Hội {trade.lower()} {place}"
    if kind == Entity.Kind.OPERATING_CENTRE:
        return f"Ban quản lý điểm du lịch {place}"
    return f"Hợp tác xã {trade} {rng.choice([place, rng.choice(BRAND_WORDS)])}"


def _scale_product_names(rng: random.Random, *, templates: list[str], place: str, count: int) -> list[str]:
    chosen = rng.sample(templates, min(count, len(templates)))
    names = [t.format(p=place) for t in chosen]
    while len(names) < count:
        names.append(
            f"{rng.choice(templates).format(p=place)} {NAME_VARIANTS[len(names) % len(NAME_VARIANTS)]}"
        )
    return names


def _price_range(rng: random.Random, low: int, high: int) -> tuple[int, int]:
    steps = (high - low) // 1_000
    price_min = low + 1_000 * rng.randrange(steps // 2 + 1)
    price_max = price_min + 1_000 * rng.randrange((high - price_min) // 1_000 + 1)
    return price_min, price_max


def demo_scale_generate(*, count: int) -> DemoScaleResult:
    """Make sure at least `count` generated products exist, spread over every province and its communes,
    with about one entity per 1.7 products. Bulk inserts in one transaction, one audit event."""
    existing = Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX).count()
    missing = count - existing
    if missing <= 0:
        return DemoScaleResult(products=0, entities=0, existing=existing)
    _reference_data_ensure()
    last_tax_code = Entity.objects.filter(tax_code__startswith=SCALE_TAX_PREFIX).aggregate(m=Max("tax_code"))[
        "m"
    ]
    first_number = int(last_tax_code) + 1 if last_tax_code else 1
    # Seeded by where this batch starts, so the same database always grows the same way.
    rng = random.Random(first_number)
    this_year = timezone.now().year

    provinces = list(Province.objects.order_by("code"))
    communes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, province_id, name, division in Commune.objects.values_list(
        "code", "province_id", "name", "division_type"
    ):
        communes[province_id].append((code, _place_name(name, division)))
    coded = dict(Product.objects.exclude(code="").values_list("commune_id").annotate(n=Count("id")))
    numbers: Counter = Counter(coded)
    lines = [(line, line[2]) for line in SCALE_LINES]

    entity_count = max(1, round(missing / PRODUCTS_PER_ENTITY))
    per_entity = [1] * entity_count
    for _ in range(missing - entity_count):
        per_entity[rng.randrange(entity_count)] += 1

    entities: list[Entity] = []
    plans: list[tuple[tuple, str, str, int]] = []
    for i in range(entity_count):
        # Round-robin over provinces so that every province gets producers, then a random commune in it.
        province = provinces[(first_number + i) % len(provinces)]
        commune_code, place = rng.choice(communes[province.code])
        line = _pick(rng, lines)
        trade, category = line[0], line[1]
        kind = _pick(rng, TOURISM_KINDS if category == "QD26-26" else SCALE_KINDS)
        person = _person_name(rng)
        legal_name = nfc(_scale_entity_name(rng, kind=kind, trade=trade, place=place, person=person))
        workers = rng.randint(2, 80)
        entities.append(
            Entity(
                kind=kind,
                legal_name=legal_name,
                name_folded=fold(legal_name),
                tax_code=f"{SCALE_TAX_PREFIX}{first_number + i:08d}",
                representative=person,
                address=f"Thôn {rng.randint(1, 15)}",
                commune_id=commune_code,
                province_id=province.code,
                founded_year=rng.randint(1995, this_year - 1),
                members_count=rng.randint(0, 60)
                if kind in (Entity.Kind.COOPERATIVE, Entity.Kind.COOPERATIVE_GROUP)
                else 0,
                workers_count=workers,
                women_count=rng.randint(0, workers),
                ethnic_minority_count=rng.randint(0, workers),
                description=SCALE_DESCRIPTION,
            )
        )
        product_place = place if rng.random() < 0.8 else province.short_name
        plans.append((line, product_place, commune_code, per_entity[i]))

    with transaction.atomic():
        Entity.objects.bulk_create(entities, batch_size=SCALE_BATCH_SIZE)
        products: list[Product] = []
        texts: list[tuple[str, str]] = []
        for entity, (line, place, commune_code, n) in zip(entities, plans, strict=True):
            _trade, category, _weight, templates, unit, (low, high), shelf_life = line
            for name in _scale_product_names(rng, templates=templates, place=place, count=n):
                name = nfc(name)
                status = _pick(rng, SCALE_STATUSES)
                code = ""
                if status in (Product.Status.CERTIFIED, Product.Status.EXPIRED):
                    numbers[commune_code] += 1
                    year = (
                        rng.randint(this_year - 2, this_year)
                        if status == Product.Status.CERTIFIED
                        else rng.randint(this_year - 7, this_year - 4)
                    )
                    code = _product_code(entity=entity, number=numbers[commune_code], year=year)
                price_min, price_max = _price_range(rng, low, high)
                products.append(
                    Product(
                        entity=entity,
                        commune_id=commune_code,
                        province_id=entity.province_id,
                        category_id=category,
                        code=code,
                        status=status,
                        name_folded=fold(name),
                        shelf_life_days=shelf_life,
                        price_min_vnd=price_min,
                        price_max_vnd=price_max,
                        monthly_capacity=rng.randint(20, 5_000),
                        capacity_unit=unit,
                    )
                )
                texts.append((name, f"Sản phẩm của {entity.legal_name}."))
        Product.objects.bulk_create(products, batch_size=SCALE_BATCH_SIZE)
        ProductTranslation.objects.bulk_create(
            [
                ProductTranslation(product=p, language="vi", name=name, short_description=short)
                for p, (name, short) in zip(products, texts, strict=True)
            ],
            batch_size=SCALE_BATCH_SIZE,
        )
        audit_record(
            actor=None,
            action="demo.scale_generate",
            obj=entities[0],
            after={"products": len(products), "entities": len(entities)},
            reason=f"manage.py load_demo --scale {count}",
        )
    return DemoScaleResult(products=len(products), entities=len(entities), existing=existing)
