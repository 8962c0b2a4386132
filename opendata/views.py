"""The public open data: a page that explains the files, and the files at stable URLs. No login."""

import os
from dataclasses import dataclass
from datetime import datetime

from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from opendata import selectors
from opendata.conf import CSV_NAME, JSONL_NAME, METADATA_NAME, open_data_licence
from opendata.fields import PUBLIC_FIELDS
from opendata.services import LIST_SEPARATOR
from registry.models import Entity, Recognition

# Caches and mirrors may keep a file an hour; the files change at most once a night.
MAX_AGE = 3600


@dataclass(frozen=True)
class Download:
    name: str  # in OCOP_OPEN_DATA_DIR
    url_name: str
    content_type: str
    filename: str  # what a browser saves it as
    as_attachment: bool = True


JSONL = Download(
    JSONL_NAME, "opendata:products_jsonl", "application/x-ndjson; charset=utf-8", "ocop-products.jsonl"
)
CSV = Download(CSV_NAME, "opendata:products_csv", "text/csv; charset=utf-8", "ocop-products.csv")
METADATA = Download(
    METADATA_NAME,
    "opendata:metadata",
    "application/json; charset=utf-8",
    "metadata.json",
    as_attachment=False,
)


def _not_built(request) -> HttpResponse:
    return render(request, "opendata/not_built.html", status=404)


def _serve(request, download: Download) -> HttpResponseBase:
    published = selectors.published_file(download.name)
    if published is None:
        return _not_built(request)
    try:
        # Opened before the headers are made: a build that replaces the file meanwhile does not
        # change what this response sends (os.replace leaves the open file intact).
        file = published.path.open("rb")
    except FileNotFoundError:
        return _not_built(request)
    modified = int(os.fstat(file.fileno()).st_mtime)
    etag = quote_etag(published.sha256)
    conditional = get_conditional_response(request, etag=etag, last_modified=modified)
    response: HttpResponseBase
    if conditional is None:
        response = FileResponse(
            file,
            content_type=download.content_type,
            as_attachment=download.as_attachment,
            filename=download.filename,
        )
    else:
        file.close()
        response = conditional
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(modified)
    response.headers["Link"] = f'<{open_data_licence().url}>; rel="license"'
    # Public data without credentials: scripts on any site may fetch it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def products_jsonl(request):
    return _serve(request, JSONL)


@require_safe
def products_csv(request):
    return _serve(request, CSV)


@require_safe
def metadata_json(request):
    return _serve(request, METADATA)


@require_safe
def index(request):
    metadata = selectors.open_data_metadata()
    files = []
    built_at = None
    if metadata is not None:
        built_at = datetime.fromisoformat(metadata["built_at"])
        for download, label in ((JSONL, "JSON Lines"), (CSV, "CSV")):
            described = metadata.get("files", {}).get(download.name, {})
            files.append(
                {
                    "label": label,
                    "href": reverse(download.url_name),
                    "url": request.build_absolute_uri(reverse(download.url_name)),
                    "filename": download.filename,
                    "bytes": described.get("bytes"),
                    "sha256": described.get("sha256", ""),
                }
            )
    return render(
        request,
        "opendata/index.html",
        {
            "metadata": metadata,
            "built_at": built_at,
            "files": files,
            "metadata_url": request.build_absolute_uri(reverse(METADATA.url_name)),
            "licence": open_data_licence(),
            "fields": PUBLIC_FIELDS,
            "list_separator": LIST_SEPARATOR,
            "entity_kinds": Entity.Kind.choices,
            "recognition_kinds": Recognition.Kind.choices,
        },
    )
