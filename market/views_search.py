"""The public search page: a GET form, facets as links, pages as links — it works without JavaScript.
Parsing only; the search is market.search.search_products."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from market.search import search_products
from market.search_facets import FACETS, FILTERS, FacetValue, facet_title, page_number

MAX_PARAM_CHARS = 1000  # the search cuts a query at 200 characters and says so; beyond this, ignored


@dataclass(frozen=True)
class FacetLink:
    value: FacetValue
    url: str  # the page with this value chosen, or without it when it is chosen


@dataclass(frozen=True)
class Facet:
    key: str
    title: str
    links: list[FacetLink]


def _url(params: dict[str, str]) -> str:
    kept = {key: value for key, value in params.items() if value}
    return reverse("market:search") + ("?" + urlencode(kept) if kept else "")


def search(request):
    get = request.GET
    query = get.get("q", "")[:MAX_PARAM_CHARS]
    messages: list[str] = []
    page = page_number(get.get("page", ""), messages)
    exact = get.get("exact") == "1"
    language = translation.get_language() or "vi"
    filters = {key: get.get(key, "")[:MAX_PARAM_CHARS] for key in FILTERS}
    result = search_products(query, filters=filters, page=page, language=language, exact=exact)
    # Links carry what was understood: a dropped bad filter value is not carried on.
    base = {"q": result.query, **result.filters, "exact": "1" if exact else ""}
    facets = []
    for key in FACETS:
        links = [
            FacetLink(value, _url({**base, key: "" if value.selected else value.value}))
            for value in result.facets.get(key, [])
        ]
        if links:
            facets.append(Facet(key, facet_title(key), links))
    pages = {
        "previous": _url({**base, "page": str(result.page - 1)}) if result.page > 1 else "",
        "next": _url({**base, "page": str(result.page + 1)}) if result.page < result.pages else "",
    }
    context = {
        "result": result,
        "facets": facets,
        "pages": pages,
        "problems": [*messages, *result.messages],
        "filters_hidden": result.filters,
        "clear_url": _url({"q": result.query}) if result.filters else "",
        "exact_url": _url({**base, "q": result.query, "exact": "1"}),
        "corrected_url": _url({**base, "q": result.corrected, "exact": ""}),
        "suggestion_urls": [(word, _url({"q": word})) for word in result.suggestions],
        "first_rank": (result.page - 1) * result.per_page + 1,
    }
    return render(request, "market/search.html", context)
