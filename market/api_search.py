"""GET /api/catalogue/search: the public search as JSON — the same results, facets, corrections and
messages as the page (market.search.search_products), for apps and partners. No login."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from market.search import search_products
from market.search_facets import page_number
from registry.languages import CONTENT_LANGUAGES

router = Router(tags=["search"])
MAX_PARAM_CHARS = 1000


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class HitOut(Schema):
    id: int
    name: str = Field(description="In the requested language, else Vietnamese")
    producer: str
    commune: str
    province: str
    stars: int | None
    url: str


class SearchOut(Schema):
    query: str
    corrected: str = Field(description="Non-empty when the results are for this corrected query")
    partial: bool = Field(description="No product has every word; the results have some of them")
    total: int
    page: int
    pages: int
    per_page: int
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    filters: dict[str, str] = Field(description="The filters applied (unknown values are dropped)")
    messages: list[str] = Field(description="What was wrong with the request, for the user")
    suggestions: list[str] = Field(description="Words to try when nothing was found")


@router.get("", response=SearchOut, summary="Search public OCOP products", auth=None)
def search(
    request,
    q: str = "",
    province: str = "",
    commune: str = "",
    star: str = "",
    group: str = "",
    category: str = "",
    recognition: str = "",
    kind: str = "",
    page: str = "1",
    exact: bool = False,
    lang: str = "",
):
    messages: list[str] = []
    number = page_number(page, messages)
    language = lang.strip()[:8] or translation.get_language() or "vi"
    if language not in dict(CONTENT_LANGUAGES):
        messages.append(
            _("Unknown content language “%(lang)s”: names are in Vietnamese.") % {"lang": language}
        )
        language = "vi"
    filters = {
        "province": province,
        "commune": commune,
        "star": star,
        "group": group,
        "category": category,
        "recognition": recognition,
        "kind": kind,
    }
    result = search_products(
        q[:MAX_PARAM_CHARS],
        filters={key: value[:MAX_PARAM_CHARS] for key, value in filters.items()},
        page=number,
        language=language,
        exact=exact,
    )
    return {
        "query": result.query,
        "corrected": result.corrected,
        "partial": result.partial,
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": result.per_page,
        "results": [
            {
                "id": hit.product_id,
                "name": hit.name,
                "producer": hit.producer,
                "commune": hit.commune,
                "province": hit.province,
                "stars": hit.star,
                "url": reverse("market:product", args=[hit.product_id]),
            }
            for hit in result.hits
        ],
        "facets": {
            key: [
                {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected} for f in values
            ]
            for key, values in result.facets.items()
        },
        "filters": result.filters,
        "messages": [*messages, *result.messages],
        "suggestions": result.suggestions,
    }
