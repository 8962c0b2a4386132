"""The public catalogue's product page under load (issue 8): `/catalogue/products/{pk}/` → 200, served
by gunicorn as `make run` serves the site (the full Django stack: the site frame, the product's
story, photos, certificate state, recognitions, share tags and JSON-LD), loaded by wrk on 127.0.0.1
with 32 connections cycling over BENCH_CATALOGUE_PRODUCTS (200) certified products in Vietnamese,
a first pass (each worker renders each page once and keeps it), then after a warm-up the warm run.
Baseline in the same run: nginx serving a static file of the same size as one page. Reported:
requests/s, p99, the ratio to nginx, for both passes. SQLite, and PostgreSQL when one answers on
127.0.0.1:5432. Correctness: every page answers 200 and names its product."""

import os
import sys
from datetime import date, timedelta
from pathlib import Path

from bench import harness
from bench.page_load import STORY_VI, page_load
from bench.resolver_bench import targets

PORT_APP = 8111
PORT_NGINX = 8112
STORY_EN = (
    "<p>"
    + "Ancient Shan Tuyet tea picked by hand on Suoi Giang mountain, roasted in iron pans. " * 12
    + "</p>"
)


def _gtin13(first12: str) -> str:
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(first12)))
    return first12 + str((10 - total % 10) % 10)


def child(database_url: str, products: int, paths_file: Path) -> None:
    """Fill one database: one producer, `products` certified products with two languages, a
    packaging, a recognition and a 4★ certificate each; write their page paths."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    from certificates.services_import import certificate_import
    from evaluation.models import CriteriaRelease
    from evaluation.services_criteria import criteria_release_load
    from places.models import Commune
    from places.services import places_load
    from registry.models import Entity, ProductCategory, Recognition
    from registry.services import entity_create, packaging_add, product_create
    from registry.services_categories import categories_load
    from registry.services_evidence import recognition_create

    call_command("migrate", interactive=False, verbosity=0)
    places_load()
    categories_load()
    criteria_release_load()
    entity = entity_create(
        actor=None,
        kind=Entity.Kind.COOPERATIVE,
        legal_name="HTX Chè Bench",
        tax_code="8199999998",
        representative="A",
        address="B",
        commune=Commune.objects.order_by("code").first(),
        description="Hợp tác xã chè Shan tuyết.",
    )
    category = ProductCategory.objects.get(code="QD26-11")
    release = CriteriaRelease.objects.get(code="26/2026")
    valid_until = date.today() + timedelta(days=700)
    paths = []
    for i in range(products):
        product = product_create(
            actor=None,
            entity=entity,
            category=category,
            price_min_vnd=120_000,
            price_max_vnd=450_000,
            translations={
                "vi": {"name": f"Chè bench {i}", "short_description": "Chè xanh búp.", "story": STORY_VI},
                "en": {"name": f"Bench tea {i}", "story": STORY_EN},
            },
        )
        packaging_add(actor=None, product=product, size=100, unit="g", gtin=_gtin13(f"893{i:09d}"))
        recognition_create(actor=None, entity=entity, product=product, kind=Recognition.Kind.VIETGAP)
        certificate_import(
            actor=None,
            product=product,
            stars=4,
            score=None,
            number=f"{i + 1}/GCN-BENCH",
            decision_no=f"{i + 1}/QĐ-UBND",
            decision_date=valid_until - timedelta(days=3 * 365),
            valid_until=valid_until,
            release=release,
            issuer_vi="Ủy ban nhân dân tỉnh Lào Cai",
        )
        paths.append(f"/catalogue/products/{product.pk}/")
    paths_file.write_text("\n".join(paths) + "\n")


def _measure(database_url: str, products: int, seconds: int) -> bool:
    # First pass: each worker renders each product's page once (about 15 queries and three
    # templates), then keeps it (market.views_catalogue); the warm run is what visitors mostly get.
    return page_load(
        label="product page",
        module="catalogue_bench",
        database_url=database_url,
        fill=[str(products)],
        check="Chè bench 0",
        ports=(PORT_APP, PORT_NGINX),
        seconds=seconds,
        warm_seconds=seconds,
    )


def run() -> bool:
    urls = targets("catalogue")
    if urls is None:
        return False
    products = harness.env_int("BENCH_CATALOGUE_PRODUCTS", 200)
    seconds = harness.env_int("BENCH_CATALOGUE_SECONDS", 10)
    return all([_measure(url, products, seconds) for url in urls])


if __name__ == "__main__":
    harness.configure()
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
    else:
        import django

        django.setup()
        sys.exit(0 if run() else 1)
