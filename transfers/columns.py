"""The columns of each kind of import file, as data: Vietnamese headers first (what provinces write),
English headers accepted too, plus the spellings we met in provinces' sheets. The same definitions
make the downloadable templates, the exports and the README's table, so they cannot drift apart."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ocop_hub.text import fold


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    parser: str = "text"  # text | int | decimal | date
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""

    def spellings(self) -> set[str]:
        return {header_key(s) for s in (self.vi, self.en, self.key, *self.aliases)}


@dataclass(frozen=True)
class Kind:
    key: str
    sheet_vi: str
    sheet_en: str
    label: object  # lazy translation
    columns: tuple[Column, ...]
    sheet_aliases: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def sheet_spellings(self) -> set[str]:
        return {header_key(s) for s in (self.sheet_vi, self.sheet_en, self.key, *self.sheet_aliases)}


def header_key(text: str) -> str:
    """Headers compare without diacritics, case, punctuation or spacing: "Mã số thuế (MST)" ~ "ma so thue"."""
    folded = fold(str(text or ""))
    out = []
    for ch in folded:
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).split())


TAX = Column(
    "entity_tax_code",
    "Mã số thuế chủ thể",
    "Entity tax code",
    required=True,
    aliases=("MST chủ thể", "Mã số thuế", "Tax code", "MST"),
    help="10 hoặc 13 chữ số (mã số doanh nghiệp / HTX / hộ kinh doanh)",
)
PRODUCT_CODE = Column(
    "product_code",
    "Mã sản phẩm",
    "Product code",
    aliases=("Mã SP", "Mã OCOP"),
    help="mã riêng của tỉnh, nếu có; dùng để nhận ra sản phẩm khi nhập lại",
)
PRODUCT_NAME = Column(
    "product_name", "Tên sản phẩm", "Product name", aliases=("Sản phẩm", "Tên SP", "Product")
)

ENTITIES = Kind(
    "entities",
    "Chủ thể",
    "Entities",
    _("Producer entities"),
    (
        Column(
            "tax_code",
            "Mã số thuế",
            "Tax code",
            required=True,
            aliases=("MST", "Mã số doanh nghiệp", "Mã số HTX", "Số ĐKKD", "Mã số thuế chủ thể"),
            help="10 hoặc 13 chữ số; khoá để nhận ra chủ thể khi nhập lại",
        ),
        Column(
            "legal_name",
            "Tên chủ thể",
            "Legal name",
            required=True,
            aliases=("Tên chủ thể OCOP", "Chủ thể", "Tên đơn vị", "Entity", "Name"),
        ),
        Column(
            "kind",
            "Loại hình",
            "Type",
            required=True,
            aliases=("Loại hình chủ thể", "Loại hình tổ chức", "Kind"),
            help="Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Trang trại, Hộ kinh doanh, Hội, Trung tâm",
        ),
        Column("representative", "Người đại diện", "Representative", required=True, aliases=("Đại diện",)),
        Column("phone", "Điện thoại", "Phone", aliases=("Số điện thoại", "SĐT")),
        Column("email", "Email", "Email", aliases=("Thư điện tử",)),
        Column("address", "Địa chỉ", "Address", required=True),
        Column(
            "commune",
            "Xã/phường",
            "Commune",
            required=True,
            aliases=("Xã", "Phường", "Xã, phường", "Xã/phường/đặc khu", "Ward"),
            help="tên hiện nay hoặc tên trước 2025, có dấu hay không dấu",
        ),
        Column("commune_code", "Mã xã", "Commune code", aliases=("Mã xã/phường",), help="5 chữ số, nếu biết"),
        Column("province", "Tỉnh/thành phố", "Province", aliases=("Tỉnh", "Tỉnh, thành phố", "Thành phố")),
        Column("founded_year", "Năm thành lập", "Founding year", "int"),
        Column("members_count", "Số thành viên", "Members", "int"),
        Column("workers_count", "Số lao động", "Workers", "int"),
        Column("women_count", "Lao động nữ", "Women workers", "int"),
        Column(
            "ethnic_minority_count",
            "Lao động dân tộc thiểu số",
            "Ethnic-minority workers",
            "int",
            aliases=("Lao động DTTS",),
        ),
        Column("gln", "GLN", "GLN", help="mã địa điểm toàn cầu GS1, 13 chữ số, nếu có"),
        Column("description", "Giới thiệu", "Description", aliases=("Mô tả",)),
    ),
    sheet_aliases=("Chu the OCOP", "Danh sach chu the"),
)

PRODUCTS = Kind(
    "products",
    "Sản phẩm",
    "Products",
    _("Products"),
    (
        TAX,
        PRODUCT_CODE,
        Column(
            "name_vi",
            "Tên sản phẩm",
            "Product name",
            required=True,
            aliases=("Sản phẩm", "Tên SP", "Product"),
        ),
        Column("name_en", "Tên tiếng Anh", "English name", aliases=("Tên sản phẩm tiếng Anh",)),
        Column(
            "category",
            "Bộ tiêu chí",
            "Criteria set",
            required=True,
            aliases=("Bộ sản phẩm", "Bộ tiêu chí đánh giá", "Category"),
            help="số bộ (1–26), mã (QD26-01) hoặc tên bộ tiêu chí",
        ),
        Column(
            "commune",
            "Xã/phường sản xuất",
            "Commune of production",
            aliases=("Nơi sản xuất",),
            help="để trống: xã của chủ thể",
        ),
        Column("commune_code", "Mã xã sản xuất", "Commune of production code"),
        Column("shelf_life_days", "Hạn sử dụng (ngày)", "Shelf life (days)", "int", aliases=("Hạn sử dụng",)),
        Column(
            "price_min_vnd", "Giá thấp nhất (đồng)", "Lowest price (VND)", "int", aliases=("Giá thấp nhất",)
        ),
        Column(
            "price_max_vnd", "Giá cao nhất (đồng)", "Highest price (VND)", "int", aliases=("Giá cao nhất",)
        ),
        Column("monthly_capacity", "Công suất/tháng", "Monthly capacity", "int", aliases=("Công suất",)),
        Column("capacity_unit", "Đơn vị công suất", "Capacity unit", aliases=("Đơn vị",)),
        Column("short_description_vi", "Mô tả ngắn", "Short description"),
        Column(
            "duplicate_reason",
            "Lý do chấp nhận sản phẩm tương tự",
            "Reason for accepting a similar product",
            help="chỉ cán bộ quản lý điền, khi xã đã có chủ thể khác đăng ký sản phẩm cùng loại",
        ),
    ),
    sheet_aliases=("San pham OCOP", "Danh sach san pham"),
)

RECOGNITIONS = Kind(
    "recognitions",
    "Công nhận",
    "Recognitions",
    _("Recognitions"),
    (
        TAX,
        PRODUCT_CODE,
        PRODUCT_NAME,
        Column(
            "kind",
            "Loại công nhận",
            "Kind",
            required=True,
            aliases=("Loại", "Chứng nhận"),
            help="VietGAP, GlobalGAP, HACCP, ISO 22000, Hữu cơ, Nhãn hiệu, Chỉ dẫn địa lý, "
            "Sản phẩm CNNT tiêu biểu, Thương hiệu vàng, Thị trường xuất khẩu",
        ),
        Column("number", "Số", "Number", aliases=("Số chứng nhận", "Số hiệu")),
        Column("issuer", "Cơ quan cấp", "Issuer", aliases=("Nơi cấp", "Đơn vị cấp")),
        Column("valid_from", "Hiệu lực từ", "Valid from", "date", aliases=("Ngày cấp",)),
        Column("valid_to", "Hiệu lực đến", "Valid to", "date", aliases=("Ngày hết hạn",)),
        Column("note", "Ghi chú", "Note"),
    ),
)

CERTIFICATES = Kind(
    "certificates",
    "Giấy chứng nhận",
    "Certificates",
    _("Past OCOP certificates"),
    (
        Column(
            "number",
            "Số giấy chứng nhận",
            "Certificate number",
            required=True,
            aliases=("Số GCN", "Số chứng nhận"),
            help="khoá để nhận ra giấy chứng nhận khi nhập lại",
        ),
        TAX,
        PRODUCT_CODE,
        PRODUCT_NAME,
        Column("stars", "Số sao", "Stars", required=True, aliases=("Hạng sao", "Xếp hạng", "Sao")),
        Column(
            "potential_stars",
            "Tiềm năng sao",
            "Potential stars",
            aliases=("Sao tiềm năng", "Tiềm năng", "Tiềm năng hạng sao"),
            help="ví dụ 4 cho sản phẩm 3 sao tiềm năng 4 sao; để trống nếu không có",
        ),
        Column("score", "Điểm", "Score", "decimal", aliases=("Tổng điểm",)),
        Column("decision_no", "Số quyết định", "Decision number", required=True, aliases=("Quyết định",)),
        Column("decision_date", "Ngày quyết định", "Decision date", "date", required=True),
        Column(
            "valid_until",
            "Hiệu lực đến",
            "Valid until",
            "date",
            aliases=("Ngày hết hạn", "Có hiệu lực đến"),
            help="để trống: 36 tháng từ ngày quyết định",
        ),
        Column(
            "release",
            "Bộ tiêu chí áp dụng",
            "Criteria version",
            aliases=("Quyết định bộ tiêu chí",),
            help="26/2026, 148/2023 hoặc 1048/2019; để trống: bộ có hiệu lực vào ngày quyết định",
        ),
        Column(
            "council_level",
            "Cấp hội đồng",
            "Council level",
            aliases=("Cấp đánh giá",),
            help="tỉnh hoặc trung ương; để trống: tỉnh (trung ương cho 5 sao)",
        ),
        Column("issuer", "Cơ quan cấp", "Issued by", aliases=("Nơi cấp",)),
    ),
    sheet_aliases=("GCN", "Giay chung nhan OCOP"),
)

KINDS: dict[str, Kind] = {k.key: k for k in (ENTITIES, PRODUCTS, RECOGNITIONS, CERTIFICATES)}
# Entities first: products in the same file refer to them, recognitions and certificates to both.
ORDER = ["entities", "products", "recognitions", "certificates"]
