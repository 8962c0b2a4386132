"""Certificates and the council's score sheet (issue 5).

- PDFs: BENCH_CERTIFICATES (1,000) certificate rows made once with bulk_create (numbers "BENCH-…", on
  a few bench products, status expired so no product gains a valid certificate), then rendered with
  certificate_pdf_render one after the other, and in a 2-process pool. The baseline is a one-line
  reportlab PDF in the same font, rendered as many times in the same process: ratio = real / trivial.
- score sheet: a council member assigned to a dossier of the 32-criterion set (QD26-11) and to one of
  the smallest set, in a round in scoring, every criterion scored; the page's SQL queries must be the
  same for both (an N+1 fails the bench), and its median/p95 over BENCH_SCORE_REQUESTS GETs (50) as
  ratios against the trivial view.
"""

import io
import multiprocessing
import os
import secrets
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from reportlab.pdfgen.canvas import Canvas

from bench import harness
from certificates import pdf
from certificates.models import Certificate
from certificates.services import CODE_ALPHABET, CODE_LENGTH
from evaluation.models import (
    CriteriaRelease,
    CriteriaSet,
    Criterion,
    Dossier,
    EvaluationRound,
)
from evaluation.services_council import dossier_assign, round_scoring_start, score_record
from evaluation.services_criteria import criteria_release_load
from evaluation.services_dossiers import (
    council_member_add,
    dossier_commune_check,
    dossier_create,
    dossier_submit,
    round_open,
    self_assessment_set,
)
from places.models import Commune
from registry.models import Entity, Product, ProductCategory, Role
from registry.services import entity_create, product_create

NAME = "certificates"
DEFAULT_CERTIFICATES = 1_000
DEFAULT_SCORE_REQUESTS = 50
NUMBER_PREFIX = "BENCH-"
TAX_CODE = "5399990001"  # the bench's own producer, apart from the generated "00…" ones
BIG_SET = "QD26-11"
ROUND_NAME = "Bench: score sheet"
MEMBER = "bench-council"
PRODUCTS = 20
TRIVIAL = "trivial view (baseline)"
REPORT = {
    "origin": "Ý tưởng sản phẩm của hợp tác xã tại địa phương",
    "local_labour": "18/20 lao động là người địa phương",
    "local_materials": "Nguyên liệu của xã",
    "local_identity": "Gắn với văn hoá địa phương",
}


# --- data --------------------------------------------------------------------------------------------


def release_ensure() -> CriteriaRelease:
    release = CriteriaRelease.objects.filter(code="26/2026").first()
    if release is None:
        release, _created = criteria_release_load()
    return release


def smallest_set(release: CriteriaRelease) -> str:
    return (
        CriteriaSet.objects.filter(release=release)
        .annotate(n=Count("criteria", filter=Q(criteria__scorable=True)))
        .order_by("n", "code")
        .values_list("code", flat=True)[0]
    )


def entity_ensure() -> Entity:
    entity = Entity.objects.filter(tax_code=TAX_CODE).first()
    if entity is None:
        commune = Commune.objects.filter(province__name__contains="Lào Cai").order_by("code").first()
        commune = commune or Commune.objects.order_by("code")[0]
        entity = entity_create(
            actor=None,
            kind=Entity.Kind.COOPERATIVE,
            legal_name="Hợp tác xã Nông nghiệp và Dịch vụ Đo hiệu năng Bản Khoang",
            tax_code=TAX_CODE,
            representative="Nguyễn Văn Bench",
            address="Thôn Sả Xéng",
            commune=commune,
            workers_count=18,
        )
    return entity


def product_ensure(entity: Entity, category: str, name: str) -> Product:
    for product in Product.objects.filter(entity=entity, category_id=category):
        if product.name_vi == name:
            return product
    return product_create(
        actor=None,
        entity=entity,
        category=ProductCategory.objects.get(code=category),
        translations={"vi": {"name": name}},
    )


def certificates_ensure(count: int, release: CriteriaRelease) -> tuple[list[Certificate], dict]:
    """`count` BENCH- certificates (made once, reused), loaded with everything the PDF reads."""
    info: dict = {"requested": count}
    started = time.perf_counter()
    existing = Certificate.objects.filter(number__startswith=NUMBER_PREFIX).count()
    if existing < count:
        entity = entity_ensure()
        products = [
            product_ensure(entity, BIG_SET, f"Chè Shan tuyết cổ thụ Bản Khoang loại đặc biệt số {i + 1}")
            for i in range(PRODUCTS)
        ]
        issuer = f"Ủy ban nhân dân tỉnh {entity.province.name.removeprefix('Tỉnh ').strip()}"
        used = set(Certificate.objects.values_list("verification_code", flat=True))
        rows = []
        day = date(2025, 7, 1)
        for i in range(existing, count):
            code = ""
            while not code or code in used:
                code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
            used.add(code)
            stars = 3 + i % 3
            decided = day + timedelta(days=i % 300)
            rows.append(
                Certificate(
                    number=f"{NUMBER_PREFIX}{i + 1:05d}/{decided.year}/GCN-OCOP-{entity.province_id}",
                    verification_code=code,
                    product=products[i % len(products)],
                    entity=entity,
                    release=release,
                    stars=stars,
                    score=Decimal("60.00") + Decimal(i % 3500) / 100,
                    decision_no=f"{i + 1}/QĐ-UBND",
                    decision_date=decided,
                    issuer_vi=issuer,
                    valid_from=decided,
                    valid_until=decided + timedelta(days=3 * 365),
                    status=Certificate.Status.EXPIRED,
                )
            )
        Certificate.objects.bulk_create(rows, batch_size=500)
        info["created_now"] = len(rows)
        print(f"Created {len(rows)} bench certificates in {time.perf_counter() - started:.1f} s.")
    else:
        info["created_now"] = 0
        print(f"{existing} bench certificates already there (made by an earlier run); nothing created.")
    started = time.perf_counter()
    certificates = list(
        Certificate.objects.filter(number__startswith=NUMBER_PREFIX)
        .select_related("product", "entity__province", "entity__commune", "release")
        .prefetch_related("product__translations")
        .order_by("number")[:count]
    )
    for certificate in certificates:
        certificate.product.name_vi  # noqa: B018 - warm whatever the name reads, outside the timing
    info["load_s"] = round(time.perf_counter() - started, 3)
    info["loaded"] = len(certificates)
    return certificates, info


def scored_dossier(evaluation_round: EvaluationRound, product: Product, member) -> Dossier:
    dossier = dossier_create(actor=None, evaluation_round=evaluation_round, product=product)
    for criterion in Criterion.objects.filter(
        criteria_set=dossier.criteria_set, scorable=True
    ).prefetch_related("options"):
        best = max(criterion.options.all(), key=lambda o: o.points)
        self_assessment_set(actor=None, dossier=dossier, criterion=criterion, option=best)
    dossier_submit(actor=None, dossier=dossier)
    dossier = dossier_commune_check(actor=None, dossier=dossier, passed=True, report=REPORT)
    dossier_assign(actor=None, dossier=dossier, members=[member])
    return dossier


def scoring_ensure(small: str) -> tuple[Any, dict[str, Dossier]]:
    """A round in scoring with a dossier of each set assigned to the bench member, every criterion
    scored (not submitted): made once, reused."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=MEMBER)
    Role.objects.get_or_create(user=user, kind=Role.Kind.COUNCIL)
    wanted = [BIG_SET, small]
    for evaluation_round in EvaluationRound.objects.filter(
        name=ROUND_NAME, status=EvaluationRound.Status.SCORING
    ).order_by("-id"):
        dossiers = {
            d.criteria_set.code: d
            for d in Dossier.objects.filter(round=evaluation_round, assignments__member__user=user)
            .select_related("criteria_set")
            .distinct()
        }
        if all(code in dossiers for code in wanted):
            print(f"Reusing round #{evaluation_round.pk} “{ROUND_NAME}” of an earlier run.")
            return user, {code: dossiers[code] for code in wanted}

    started = time.perf_counter()
    entity = entity_ensure()
    today = timezone.localdate()
    evaluation_round = round_open(
        actor=None,
        name=ROUND_NAME,
        province=entity.province,
        level_code="province",
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=60),
        submission_deadline=today + timedelta(days=10),
    )
    member = council_member_add(actor=None, evaluation_round=evaluation_round, user=user)
    stamp = evaluation_round.pk
    dossiers = {
        code: scored_dossier(
            evaluation_round,
            product_ensure(entity, code, f"Sản phẩm đo hiệu năng {code} đợt {stamp}"),
            member,
        )
        for code in wanted
    }
    round_scoring_start(actor=None, evaluation_round=evaluation_round)
    for dossier in dossiers.values():
        dossier.refresh_from_db()
        for criterion in Criterion.objects.filter(
            criteria_set=dossier.criteria_set, scorable=True
        ).prefetch_related("options"):
            best = max(criterion.options.all(), key=lambda o: o.points)
            score_record(actor=user, dossier=dossier, criterion=criterion, option=best)
    print(
        f"Built round #{evaluation_round.pk} with 2 scored dossiers in {time.perf_counter() - started:.1f} s."
    )
    return user, dossiers


# --- PDF timing ----------------------------------------------------------------------------------------


def trivial_pdf(number: str) -> bytes:
    """The baseline: one line of text in the certificate's font, same canvas options, one page."""
    pdf._fonts()
    buffer = io.BytesIO()
    c = Canvas(
        buffer,
        pagesize=(pdf.PAGE_W, pdf.PAGE_H),
        invariant=True,
        pageCompression=1,
        initialFontName=pdf.REGULAR,
    )
    c.setFont(pdf.REGULAR, 11)
    c.drawString(72, 72, f"Giấy chứng nhận {number}")
    c.showPage()
    c.save()
    return buffer.getvalue()


def _render_size(certificate: Certificate) -> int:
    return len(pdf.certificate_pdf_render(certificate))


def _pool_warm(_i: int) -> int:
    return len(trivial_pdf("warm"))


def pdf_measure(certificates: list[Certificate]) -> dict:
    n = len(certificates)
    pdf.certificate_pdf_render(certificates[0])  # fonts registered, imports done, outside the timings
    trivial_pdf("warm")

    clock = time.perf_counter
    started = clock()
    sizes = [_render_size(c) for c in certificates]
    real_s = clock() - started

    started = clock()
    for c in certificates:
        trivial_pdf(c.number)
    trivial_s = clock() - started

    result: dict = {
        "certificates": n,
        "sequential_s": round(real_s, 3),
        "sequential_per_s": n / real_s,
        "trivial_s": round(trivial_s, 3),
        "trivial_per_s": n / trivial_s,
        "ratio_real_over_trivial": (n / real_s) / (n / trivial_s),
        "pdf_bytes_mean": sum(sizes) / n,
        "pdf_bytes_max": max(sizes),
    }

    # Two processes (fork: the children inherit the set-up Django and the loaded rows).
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        result["pool_error"] = "the fork start method is not available on this platform"
        return result
    connections.close_all()  # no SQLite handle shared with the children
    started = clock()
    with context.Pool(processes=2) as pool:
        pool.map(_pool_warm, range(2))
        start_s = clock() - started
        started = clock()
        pool_sizes = pool.map(_render_size, certificates, chunksize=max(1, n // 40))
        pool_s = clock() - started
    result.update(
        {
            "pool_processes": 2,
            "pool_start_s": round(start_s, 3),
            "pool_s": round(pool_s, 3),
            "pool_per_s": n / pool_s,
            "pool_speedup": (n / pool_s) / (n / real_s),
            "pool_same_bytes": pool_sizes == sizes,
        }
    )
    return result


# --- run -------------------------------------------------------------------------------------------------


def run() -> bool:
    count = harness.env_int("BENCH_CERTIFICATES", DEFAULT_CERTIFICATES)
    requests = harness.env_int("BENCH_SCORE_REQUESTS", DEFAULT_SCORE_REQUESTS)
    release = release_ensure()
    small = smallest_set(release)

    # --- 1. PDFs -------------------------------------------------------------------------------------
    certificates, data = certificates_ensure(count, release)
    print(
        f"Rendering {len(certificates)} certificates sequentially, the trivial PDF as often, "
        "then the certificates in 2 processes..."
    )
    pdfs = pdf_measure(certificates)
    rows = [
        [
            "certificate_pdf_render, 1 process",
            f"{pdfs['sequential_s']:.2f}",
            f"{pdfs['sequential_per_s']:.1f}",
            f"{pdfs['ratio_real_over_trivial']:.3f}",
        ],
        [
            "trivial one-line PDF, same font (baseline)",
            f"{pdfs['trivial_s']:.2f}",
            f"{pdfs['trivial_per_s']:.1f}",
            "1.000",
        ],
    ]
    if "pool_per_s" in pdfs:
        rows.insert(
            1,
            [
                "certificate_pdf_render, Pool(2)",
                f"{pdfs['pool_s']:.2f}",
                f"{pdfs['pool_per_s']:.1f}",
                f"{pdfs['pool_per_s'] / pdfs['trivial_per_s']:.3f}",
            ],
        )
    harness.table_print(
        ["PDF batch", "seconds", "certificates/s", "rate ×trivial"],
        rows,
        title=f"{len(certificates)} certificate PDFs (mean {pdfs['pdf_bytes_mean'] / 1024:.1f} KiB)",
    )
    if "pool_per_s" in pdfs:
        print(
            f"Pool(2) speed-up over 1 process: ×{pdfs['pool_speedup']:.2f} on {os.cpu_count()} CPUs "
            f"(pool start {pdfs['pool_start_s']:.2f} s, not in the rate); "
            f"same bytes as sequential: {'yes' if pdfs['pool_same_bytes'] else 'NO'}."
        )
    else:
        print(f"Pool(2): skipped ({pdfs.get('pool_error')}).")

    # --- 2. score sheet --------------------------------------------------------------------------------
    user, dossiers = scoring_ensure(small)
    client = Client()
    client.force_login(user)
    criteria = {
        code: Criterion.objects.filter(criteria_set=d.criteria_set, scorable=True).count()
        for code, d in dossiers.items()
    }
    pages = {
        f"score sheet {code} ({criteria[code]} criteria)": (client, f"/dossiers/{d.pk}/score/")
        for code, d in dossiers.items()
    }
    with override_settings(ROOT_URLCONF="bench.urls"):
        counts = {
            label: harness.queries_count(client, url, rows_marker='type="radio"')
            for label, (_c, url) in pages.items()
        }
        print(f"\nTiming {requests} requests per page, interleaved, after 5 warm-up requests each...")
        started = time.perf_counter()
        latency = harness.latency_measure(
            {TRIVIAL: (client, harness.TRIVIAL_URL), **pages}, requests=requests
        )
        harness.ratios_apply(latency, baseline=TRIVIAL)
        timing_s = time.perf_counter() - started

    same = len({qc.count for qc in counts.values()}) == 1
    harness.table_print(
        ["page", "queries", "radio inputs", "N+1 check"],
        [[label, qc.count, qc.rows, "PASS" if same else "FAIL"] for label, qc in counts.items()],
        title="SQL queries of the council score sheet (must not grow with the number of criteria)",
    )
    repeated = {}
    if not same:
        for label, qc in counts.items():
            repeated[label] = harness.repeated_queries(qc.sql)
            for n, shape in repeated[label]:
                print(f"  {label}: {n}× {shape[:300]}")
    harness.table_print(
        ["page", "median ms", "p95 ms", "median ×trivial", "p95 ×trivial"],
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
            "ok": same,
            "data": data,
            "pdf": pdfs,
            "score_sheet": {
                "member": MEMBER,
                "sets": {code: {"dossier": d.pk, "criteria": criteria[code]} for code, d in dossiers.items()},
                "queries": {
                    label: {"url": pages[label][1], "queries": qc.count, "radio_inputs": qc.rows}
                    for label, qc in counts.items()
                },
                "queries_constant": same,
                "repeated_queries": repeated,
                "requests": requests,
                "latency": {label: vars(lat) for label, lat in latency.items()},
            },
            "environment": harness.environment(),
        },
    )
    print(f"\nResults written to {path.relative_to(harness.BASE_DIR)}.")
    print(
        "N+1 check: "
        + ("PASS" if same else "FAIL: the score sheet's query count grows with the number of criteria")
    )
    return same
