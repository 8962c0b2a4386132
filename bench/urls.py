"""The project's URLs plus the baseline every timing is divided by, active only inside the bench
(override_settings(ROOT_URLCONF="bench.urls")): the request goes through the same test client and the
same middleware as the pages, and does nothing else."""

from django.http import HttpResponse
from django.urls import include, path

from bench.harness import TRIVIAL_URL


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(TRIVIAL_URL.lstrip("/"), trivial, name="bench_trivial"),
    path("", include("ocop_hub.urls")),
]
