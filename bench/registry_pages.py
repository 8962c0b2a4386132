"""The officials' product list and detail pages at national scale (issue: `make bench` starts with...).

- data: the curated demo plus `demo_scale_generate` up to BENCH_PRODUCTS generated products (20,000),
  made once and reused by later runs;
- latency: median and p95 of BENCH_REQUESTS GETs per page (200), as ratios against a trivial view
  measured in the same run through the same client and middleware;
- queries: SQL queries of one list request at page sizes 10/25/50/100, which must not grow with the
  page size (an N+1 fails the bench), and of the detail page of a rich and of a bare product.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from bench import harness
from places.models import Province
from registry.demo import SCALE_TAX_PREFIX, demo_load, demo_scale_generate
from registry.models import Entity, Product, Role
from registry.services_people import role_grant

NAME = "registry"
DEFAULT_PRODUCTS = 20_000
DEFAULT_REQUESTS = 200
PAGE_SIZES = [10, 25, 50, 100]
SEARCH = "che"
TRIVIAL = "trivial view (baseline)"


def data_ensure(count: int) -> dict:
    """The curated demo (products with translations, images, packagings) and `count` generated ones."""
    info: dict = {"requested": count}
    started = time.perf_counter()
    try:
        demo_load()
    except Exception as exc:  # noqa: BLE001 - the scale data alone still makes a bench
        print(f"warning: demo_load failed ({type(exc).__name__}: {exc}); going on with generated data only.")
        info["demo_load_error"] = f"{type(exc).__name__}: {exc}"
    info["demo_load_s"] = round(time.perf_counter() - started, 2)

    started = time.perf_counter()
    result = demo_scale_generate(count=count)
    info["generate_s"] = round(time.perf_counter() - started, 2)
    if result.products:
        print(
            f"Generated {result.products} products of {result.entities} entities "
            f"in {info['generate_s']:.1f} s "
            f"({result.products / max(info['generate_s'], 1e-9):,.0f} products/s)."
        )
    else:
        print(
            f"{result.existing} generated products already there (made by an earlier run); nothing generated."
        )
    info["generated_now"] = result.products
    info["generated_total"] = Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX).count()
    info["products"] = Product.objects.count()
    info["entities"] = Entity.objects.count()
    if info["generated_total"] > count:
        print(
            f"note: the bench database holds {info['generated_total']} generated products, more than the "
            f"{count} asked for; delete {harness.BENCH_DIR} to start again at that scale."
        )
    print(f"Database: {info['products']:,} products, {info['entities']:,} entities.")
    return info


def officials_login() -> tuple[Client, Client, str]:
    """A national official and an official of the province with the most products, logged in."""
    user_model = get_user_model()
    province = (
        Product.objects.values("province_id")
        .annotate(n=Count("id"))
        .order_by("-n", "province_id")[0]["province_id"]
    )
    national, _ = user_model.objects.get_or_create(username="bench-national")
    role_grant(actor=None, user=national, kind=Role.Kind.NATIONAL)
    provincial, _ = user_model.objects.get_or_create(username=f"bench-province-{province}")
    role_grant(
        actor=None, user=provincial, kind=Role.Kind.PROVINCE, province=Province.objects.get(pk=province)
    )
    national_client, province_client = Client(), Client()
    national_client.force_login(national)
    province_client.force_login(provincial)
    return national_client, province_client, province


def detail_products() -> tuple[Product, Product]:
    """The product with the most images and translations (a curated one when the demo loaded), and a
    bare generated one: the detail page's query count should not depend on how much a product has."""
    rich = (
        Product.objects.annotate(
            n_images=Count("images", distinct=True),
            n_translations=Count("translations", distinct=True),
            n_packagings=Count("packagings", distinct=True),
        )
        .order_by("-n_images", "-n_translations", "-n_packagings", "id")
        .first()
    )
    bare = (
        Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX)
        .annotate(n_images=Count("images"))
        .filter(n_images=0)
        .order_by("id")
        .first()
    ) or rich
    if rich is None or bare is None:
        raise SystemExit("No products to measure: the bench data was not generated.")
    return rich, bare


def run() -> bool:
    count = harness.env_int("BENCH_PRODUCTS", DEFAULT_PRODUCTS)
    requests = harness.env_int("BENCH_REQUESTS", DEFAULT_REQUESTS)
    data = data_ensure(count)
    national, provincial, province = officials_login()
    rich, bare = detail_products()
    rich_counts = {
        "translations": rich.translations.count(),
        "images": rich.images.count(),
        "packagings": rich.packagings.count(),
        "recognitions": rich.recognitions.count(),
    }
    print(
        f"Detail page product #{rich.pk} ({rich.name_vi}): "
        + ", ".join(f"{n} {what}" for what, n in rich_counts.items())
        + "."
    )

    lists = {
        "product list": (national, "/products/"),
        f"product list, province {province} (province official)": (
            provincial,
            f"/products/?province={province}",
        ),
        f"product search “{SEARCH}”": (national, f"/products/?query={SEARCH}"),
        "entity list": (national, "/entities/"),
    }
    targets = {
        TRIVIAL: (national, harness.TRIVIAL_URL),
        **lists,
        "product detail": (national, f"/products/{rich.pk}/"),
    }

    ok = True
    with override_settings(ROOT_URLCONF="bench.urls"):
        # --- query counts: must not grow with the page size ------------------------------------------
        queries: dict[str, dict] = {}
        checks: dict[str, bool] = {}
        rows = []
        for label, (client, url) in lists.items():
            per_size = {}
            for size in PAGE_SIZES:
                with override_settings(PAGE_SIZE=size):
                    per_size[size] = harness.queries_count(client, url)
            counts = {qc.count for qc in per_size.values()}
            constant = len(counts) == 1
            checks[f"{label}: queries constant over page sizes"] = constant
            ok = ok and constant
            queries[label] = {
                "url": url,
                "by_page_size": {
                    size: {"queries": qc.count, "rows": qc.rows} for size, qc in per_size.items()
                },
                "constant": constant,
            }
            rows.append(
                [label]
                + [f"{per_size[s].count} ({per_size[s].rows} rows)" for s in PAGE_SIZES]
                + ["PASS" if constant else "FAIL"]
            )
            if not constant:
                biggest = per_size[PAGE_SIZES[-1]]
                queries[label]["repeated_at_largest_size"] = harness.repeated_queries(biggest.sql)
        harness.table_print(
            ["page", *(f"size {s}" for s in PAGE_SIZES), "N+1 check"],
            rows,
            title="SQL queries per request (must not grow with page size)",
        )
        for label, info in queries.items():
            for n, shape in info.get("repeated_at_largest_size", []):
                print(f"  {label}: {n}× {shape[:300]}")

        detail = {}
        for which, product in (("rich", rich), ("bare", bare)):
            qc = harness.queries_count(national, f"/products/{product.pk}/")
            detail[which] = {"product": product.pk, "queries": qc.count}
        same = detail["rich"]["queries"] == detail["bare"]["queries"]
        checks["product detail: same queries for a rich and a bare product (informational)"] = same
        print(
            f"\nProduct detail: {detail['rich']['queries']} queries for #{rich.pk} "
            f"({rich_counts['images']} images, {rich_counts['translations']} translations, "
            f"{rich_counts['packagings']} packagings), {detail['bare']['queries']} for bare #{bare.pk}"
            + ("" if same else "  WARN: differs (informational, does not fail the bench)")
            + "."
        )

        # --- latency --------------------------------------------------------------------------------
        print(f"\nTiming {requests} requests per page, interleaved, after 5 warm-up requests each...")
        started = time.perf_counter()
        latency = harness.latency_measure(targets, requests=requests)
        harness.ratios_apply(latency, baseline=TRIVIAL)
        timing_s = time.perf_counter() - started

    harness.table_print(
        [
            f"page (page size {settings.PAGE_SIZE})",
            "median ms",
            "p95 ms",
            "median ×trivial",
            "p95 ×trivial",
        ],
        [
            [
                label,
                f"{lat.median_ms:.2f}",
                f"{lat.p95_ms:.2f}",
                f"{lat.median_ratio:.1f}",
                f"{lat.p95_ratio:.1f}",
            ]
            for label, lat in latency.items()
        ],
        title=f"Latency over {requests} requests per page ({timing_s:.1f} s), ratio against the trivial view",
    )

    path = harness.results_write(
        NAME,
        {
            "ok": ok,
            "data": data,
            "page_size": settings.PAGE_SIZE,
            "requests": requests,
            "province": province,
            "detail_product": {"id": rich.pk, **rich_counts},
            "latency": {label: {"url": targets[label][1], **vars(lat)} for label, lat in latency.items()},
            "queries": queries,
            "detail_queries": detail,
            "checks": checks,
            "environment": harness.environment(),
        },
    )
    print(f"\nResults written to {path.relative_to(harness.BASE_DIR)}.")
    print("N+1 check: " + ("PASS" if ok else "FAIL: a list page's query count grows with its page size"))
    return ok
