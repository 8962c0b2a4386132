"""Django front door of the resolver (the same `resolve` as the WSGI fast path) and the scan page
the default link points to."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from traceability import resolver, selectors


@csrf_exempt  # a resolver answers GET/HEAD/OPTIONS; anything else is refused by resolve() with 405
def resolver_view(request, rest: str = ""):
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or request.path
    answer = resolver.resolve(
        method=request.method,
        path=raw.split("?", 1)[0],
        query=request.META.get("QUERY_STRING", ""),
        accept=request.headers.get("Accept", ""),
        accept_language=request.headers.get("Accept-Language", ""),
    )
    # HEAD gets GET's headers (Content-Length included); the server leaves the body out.
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response


def scan(request, rest: str):
    """What a consumer sees after scanning: the product, its lot and whether the serial is genuine.
    (The full story, listening, journey and fake reports come with the scan-page issue.)"""
    raw = request.META.get("RAW_URI") or request.path
    context = selectors.scan_context(raw.split("?", 1)[0].removeprefix("/scan"))
    return render(request, "traceability/scan.html", context, status=context.get("status", 200))
