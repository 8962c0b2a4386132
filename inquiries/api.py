"""The buyer's own inquiries (read) and officials' demand-vs-capacity figures. Authenticated like
registry.api's reads: a personal token (Authorization: Bearer …) or the session; scoped by the same
selectors as the pages (a buyer reads only its inquiries, an official only its provinces)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from inquiries import selectors
from inquiries.models import Inquiry, OfferShare
from registry.api import reader

router = Router(tags=["inquiries"])
# A period longer than a certificate's life (36 months, Art. 4.3) says nothing about declared capacity.
MAX_MONTHS = 36


class ShareOut(Schema):
    id: int
    product_id: int
    entity_id: int
    producer: str
    quantity: int
    status: str
    decline_reason: str

    @staticmethod
    def resolve_producer(obj: OfferShare) -> str:
        return obj.entity.legal_name


class InquiryOut(Schema):
    id: int
    category_id: str
    keywords: str
    quantity: int
    unit: str
    delivery_start: date
    delivery_end: date
    destination_province_id: str
    destination_address: str
    status: str
    accepted_quantity: int
    proposed_quantity: int
    unmet_quantity: int
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(obj: Inquiry) -> list[OfferShare]:
        return list(obj.shares.all())

    @staticmethod
    def resolve_accepted_quantity(obj: Inquiry) -> int:
        return selectors.share_totals(obj).accepted

    @staticmethod
    def resolve_proposed_quantity(obj: Inquiry) -> int:
        return selectors.share_totals(obj).proposed


def _buyer(request):
    user = reader(request)
    if user is None:
        raise PermissionDenied(_("Log in, or send a personal API token, to read your inquiries."))
    return user


@router.get("/mine", response=list[InquiryOut])
@paginate(PageNumberPagination, page_size=50)
def my_inquiries(request, status: str = ""):
    """The inquiries of the caller's buyer organisation, newest first (empty for anyone else)."""
    return selectors.inquiries_of(_buyer(request), status=status if status in Inquiry.Status.values else "")


@router.get("/mine/{inquiry_id}", response=InquiryOut)
def my_inquiry(request, inquiry_id: int):
    return selectors.inquiry_of_buyer(_buyer(request), inquiry_id)


class DemandFilter(Schema):
    month_from: str = ""
    month_to: str = ""
    province: str = ""


class DemandRowOut(Schema):
    category_id: str
    category_name: str
    unit: str
    inquiries: int
    demanded: int
    accepted: int
    accepted_here: int
    unmet: int
    capacity: int


class DemandOut(Schema):
    month_from: str
    month_to: str
    months: int
    provinces: list[str] | None
    rows: list[DemandRowOut]
    totals: list[DemandRowOut]


def _month(value: str, default: date) -> date:
    if not value:
        return default
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise ValidationError({"month": _("Give months as YYYY-MM, e.g. 2026-12.")}) from exc


def _row(r: selectors.DemandRow, *, total: bool = False) -> DemandRowOut:
    return DemandRowOut(
        category_id="" if total else r.category.code,
        category_name="" if total else r.category.name_vi,
        unit=r.unit,
        inquiries=r.inquiries,
        demanded=round(r.demanded),
        accepted=round(r.accepted),
        accepted_here=round(r.accepted_here),
        unmet=round(r.unmet),
        capacity=round(r.capacity),
    )


@router.get("/demand", response=DemandOut)
def demand(request, filters: Query[DemandFilter]):
    """Demand vs declared capacity by product type and unit (officials; their provinces only)."""
    user = reader(request)
    today = timezone.localdate()
    first = _month(filters.month_from, today.replace(day=1))
    last = _month(filters.month_to, first)
    if last < first:
        raise ValidationError({"month_to": _("The last month cannot be before the first.")})
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        raise ValidationError({"month_to": _("A period covers at most 36 months.")})
    provinces = selectors.demand_scope(user, filters.province)
    table = selectors.demand_vs_capacity(
        user, province=filters.province, first_month=first, last_month=last, today=today
    )
    return DemandOut(
        month_from=first.strftime("%Y-%m"),
        month_to=last.strftime("%Y-%m"),
        months=table.months,
        provinces=provinces,
        rows=[_row(r) for r in table.rows],
        totals=[_row(t, total=True) for t in table.totals],
    )
