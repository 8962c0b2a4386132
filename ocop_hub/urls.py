from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from ocop_hub.api import api
from places.views import commune_options

urlpatterns = [
    path("", include("web.urls")),
    path("", include("registry.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluation.urls")),
    path("", include("transfers.urls")),
    path("", include("traceability.urls")),
    path("", include("labels.urls")),
    path("", include("scans.urls")),
    path("", include("opendata.urls")),
    path("", include("trade.urls")),
    path("", include("inquiries.urls")),
    path("", include("market.urls")),
    path("", include("reports.urls")),
    path("places/communes/", commune_options, name="commune_options"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
if settings.DEBUG or settings.DEV_MODE:
    # Uploaded images on a laptop install; production serves media from its storage (S3, nginx).
    # Only public media (product images); evidence documents go through registry:evidence_file.
    urlpatterns += [
        re_path(r"^media/(?P<path>products/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
