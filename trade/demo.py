"""Demo market connection for development machines: outlets from the seeds (a souvenir shop in Sa Pa,
an airport shop and airline catering at Nội Bài, a supermarket in Lào Cai, Lạng Sơn's OCOP showroom),
online channels and stock for the demo products (registry.demo), two trade fairs and three tourist
destinations. Written through the trade services with actor=None (the platform) and found again by
name, so a second run writes nothing. Run after registry.demo.demo_load."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ocop_hub.text import fold
from places.models import Commune, Province
from places.selectors import communes_list, provinces_list
from registry.models import Product
from trade.models import (
    Destination,
    DestinationTranslation,
    EventParticipation,
    Outlet,
    OutletProduct,
    SalesChannel,
    TradeEvent,
)
from trade.services_channels import sales_channel_add
from trade.services_events import event_participation_add, trade_event_create
from trade.services_outlets import outlet_create, outlet_product_add
from trade.services_tourism import destination_create

# Tax codes of registry.demo's producers.
SUOI_GIANG_TEA = "5200512349"
MONG_STYLE = "5200458127"
CHI_LANG_CUSTARD_APPLE = "4900387211"
VAN_QUAN_MACADAMIA = "4900871142"
HUU_LIEN_HONEY = "4900914736"

OUTLETS: list[dict[str, Any]] = [
    {
        "name": "Cửa hàng OCOP Sa Pa",
        "kind": Outlet.Kind.SOUVENIR,
        "address": "Số 6 đường Cầu Mây",
        "place": ("Lào Cai", "Sa Pa"),
        "position": ("22.335600", "103.843000"),
        "opening_hours": "7:30–22:00 hằng ngày",
        "stocks": [SUOI_GIANG_TEA, MONG_STYLE],
    },
    {
        "name": "Siêu thị Lào Cai — quầy đặc sản OCOP",
        "kind": Outlet.Kind.SUPERMARKET,
        "address": "Đại lộ Trần Hưng Đạo",
        "place": ("Lào Cai", "Lao Cai"),
        "position": ("22.485600", "103.970700"),
        "opening_hours": "8:00–22:00",
        "stocks": [SUOI_GIANG_TEA],
    },
    {
        "name": "Quầy đặc sản OCOP sân bay Nội Bài (nhà ga T1)",
        "kind": Outlet.Kind.AIRPORT,
        "address": "Nhà ga hành khách T1, Cảng hàng không quốc tế Nội Bài",
        "place": ("Hà Nội", "Noi Bai"),
        "position": ("21.218700", "105.804200"),
        "opening_hours": "5:00–23:00",
        "stocks": [SUOI_GIANG_TEA, MONG_STYLE, VAN_QUAN_MACADAMIA],
    },
    {
        "name": "Suất ăn hàng không Nội Bài — đồ ăn nhẹ OCOP",
        "kind": Outlet.Kind.AIRLINE,
        "address": "Khu công nghiệp hàng không, Cảng hàng không quốc tế Nội Bài",
        "place": ("Hà Nội", "Noi Bai"),
        "position": ("21.215000", "105.803000"),
        "opening_hours": "",
        "stocks": [VAN_QUAN_MACADAMIA],
    },
    {
        "name": "Điểm giới thiệu và bán sản phẩm OCOP Lạng Sơn",
        "kind": Outlet.Kind.SHOWROOM,
        "address": "Đường Lê Lợi",
        "place": ("Lạng Sơn", "Luong Van Tri"),
        "position": ("21.853700", "106.761500"),
        "opening_hours": "8:00–21:00",
        "stocks": [CHI_LANG_CUSTARD_APPLE, VAN_QUAN_MACADAMIA, HUU_LIEN_HONEY],
    },
]

# An example link per platform for the first certified product of each producer (demo addresses).
CHANNELS = {
    SUOI_GIANG_TEA: [
        (SalesChannel.Kind.SHOPEE, "https://shopee.vn/che-shan-tuyet-suoi-giang", ""),
        (SalesChannel.Kind.FACEBOOK, "https://www.facebook.com/htxchesuoigiang", "Trang của hợp tác xã"),
    ],
    MONG_STYLE: [(SalesChannel.Kind.TIKTOK, "https://www.tiktok.com/@mongstyle", "")],
    VAN_QUAN_MACADAMIA: [
        (SalesChannel.Kind.ZALO, "https://zalo.me/macca-vanquan", ""),
        (SalesChannel.Kind.TIKI, "https://tiki.vn/mac-ca-van-quan", ""),
    ],
}

EVENTS: list[dict[str, Any]] = [
    {
        "name": "Hội chợ OCOP và hàng nông sản tỉnh Lào Cai 2026",
        "kind": TradeEvent.Kind.FAIR,
        "start_date": date(2026, 12, 10),
        "end_date": date(2026, 12, 14),
        "place": "Quảng trường Nguyễn Tri Phương, phường Lào Cai",
        "province": "Lào Cai",
        "organiser": "Sở Công Thương tỉnh Lào Cai",
        "products": [SUOI_GIANG_TEA, MONG_STYLE],
    },
    {
        "name": "Tuần lễ giới thiệu sản phẩm OCOP Lạng Sơn 2025",
        "kind": TradeEvent.Kind.PROMOTION,
        "start_date": date(2025, 9, 20),
        "end_date": date(2025, 9, 24),
        "place": "Điểm giới thiệu sản phẩm OCOP, đường Lê Lợi",
        "province": "Lạng Sơn",
        "organiser": "Văn phòng Điều phối nông thôn mới tỉnh Lạng Sơn",
        "products": [CHI_LANG_CUSTARD_APPLE, VAN_QUAN_MACADAMIA, HUU_LIEN_HONEY],
    },
]

DESTINATIONS: list[dict[str, Any]] = [
    {
        "kind": Destination.Kind.COMMUNITY,
        "place": ("Lào Cai", "Sa Pa"),
        "position": ("22.328200", "103.833600"),
        "translations": {
            "vi": {
                "name": "Bản Cát Cát",
                "description": "Bản của người Mông dưới chân Sa Pa: nhà truyền thống, nghề dệt lanh và "
                "nhuộm chàm, thác Tiên Sa.",
            },
            "en": {
                "name": "Cát Cát village",
                "description": "A Hmong village below Sa Pa town: traditional houses, hemp weaving and "
                "indigo dyeing, the Tiên Sa waterfall.",
            },
            "fr": {
                "name": "Village de Cát Cát",
                "description": "Un village hmong en contrebas de Sa Pa : maisons traditionnelles, tissage "
                "du chanvre et teinture à l'indigo.",
            },
        },
    },
    {
        "kind": Destination.Kind.ECO,
        "place": ("Lào Cai", "Ta Van"),
        "position": ("22.303000", "103.889000"),
        "translations": {
            "vi": {
                "name": "Thung lũng Mường Hoa — Tả Van",
                "description": "Ruộng bậc thang, homestay của người Giáy và Mông, đường đi bộ ven suối.",
            },
            "en": {
                "name": "Mường Hoa valley — Tả Van",
                "description": "Rice terraces, Giáy and Hmong homestays, walking paths along the stream.",
            },
        },
    },
    {
        "kind": Destination.Kind.ECO,
        "place": ("Lạng Sơn", "Bac Son"),
        "position": ("21.900000", "106.320000"),
        "translations": {
            "vi": {
                "name": "Thung lũng Bắc Sơn",
                "description": "Thung lũng lúa và làng Tày Nà Lay; đỉnh Nà Lay nhìn toàn cảnh; "
                "hồng vành khuyên.",
            },
        },
    },
]


def _province(short_name: str) -> Province:
    return next(p for p in provinces_list() if p.name_folded.endswith(" " + fold(short_name)))


def _commune(province: str, query: str) -> Commune:
    """The first match, current names first (places.selectors), as registry.demo finds its communes."""
    return communes_list(province_code=_province(province).code, query=query)[0]


def _products_of(tax_code: str) -> list[Product]:
    return list(
        Product.objects.filter(entity__tax_code=tax_code, status__in=Product.PUBLIC_STATUSES).order_by("id")
    )


def load_trade_demo() -> dict[str, int]:
    """Idempotent. Returns how many rows of each kind were created."""
    created = {"outlets": 0, "stock": 0, "channels": 0, "events": 0, "participations": 0, "destinations": 0}
    with transaction.atomic():
        for spec in OUTLETS:
            outlet = Outlet.objects.filter(name=spec["name"]).first()
            if outlet is None:
                outlet = outlet_create(
                    actor=None,
                    name=spec["name"],
                    kind=spec["kind"],
                    address=spec["address"],
                    commune=_commune(*spec["place"]),
                    latitude=Decimal(spec["position"][0]),
                    longitude=Decimal(spec["position"][1]),
                    opening_hours=spec["opening_hours"],
                )
                created["outlets"] += 1
            for tax_code in spec["stocks"]:
                for product in _products_of(tax_code)[:2]:
                    if not OutletProduct.objects.filter(outlet=outlet, product=product).exists():
                        outlet_product_add(
                            actor=None, outlet=outlet, product=product, since=date(2026, 1, 15)
                        )
                        created["stock"] += 1
        for tax_code, channels in CHANNELS.items():
            products = _products_of(tax_code)
            if not products:
                continue
            for kind, url, label in channels:
                if not SalesChannel.objects.filter(product=products[0], url=url).exists():
                    sales_channel_add(actor=None, product=products[0], kind=kind, url=url, label=label)
                    created["channels"] += 1
        for spec in EVENTS:
            event = TradeEvent.objects.filter(name=spec["name"]).first()
            if event is None:
                province = _province(spec["province"])
                event = trade_event_create(
                    actor=None,
                    **{k: v for k, v in spec.items() if k not in ("products", "province")},
                    province=province,
                )
                created["events"] += 1
            for tax_code in spec["products"]:
                for product in _products_of(tax_code)[:1]:
                    if not EventParticipation.objects.filter(event=event, product=product).exists():
                        event_participation_add(actor=None, event=event, product=product)
                        created["participations"] += 1
        for spec in DESTINATIONS:
            name = spec["translations"]["vi"]["name"]
            if DestinationTranslation.objects.filter(language="vi", name=name).exists():
                continue
            destination_create(
                actor=None,
                kind=spec["kind"],
                commune=_commune(*spec["place"]),
                latitude=Decimal(spec["position"][0]),
                longitude=Decimal(spec["position"][1]),
                translations=spec["translations"],
            )
            created["destinations"] += 1
    return created
