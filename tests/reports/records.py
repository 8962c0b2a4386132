"""Records built to match the figures officials published (shared/seeds): hundreds of products and
certificates written with bulk_create (the services would take minutes for 900 rows; the figures read
only what these rows hold: certificates, their events, products and entities)."""

import itertools
from datetime import date, timedelta

from certificates.models import Certificate, CertificateEvent
from certificates.services import months_after
from evaluation.models import Dossier, DossierResult
from places.models import Commune, Province
from registry.models import Entity, Product, ProductTranslation
from scans.models import DailyScanRollup
from scans.services_rollups import scans_month_rollup
from tests.certificates.factories import make_dossier, release_26

_seq = itertools.count(1)

Kind = CertificateEvent.Kind
Status = Certificate.Status


def province(name_part: str) -> Province:
    return Province.objects.get(name__contains=name_part)


def communes(province_obj: Province) -> list[Commune]:
    return list(Commune.objects.filter(province=province_obj).order_by("code"))


def products_in(places: list[Commune], n: int, *, category: str = "QD26-11") -> list[Product]:
    """`n` certified products spread over `places` in turn (product i in place i mod len), one entity
    per place."""
    entities = Entity.objects.bulk_create(
        [
            Entity(
                kind=Entity.Kind.COOPERATIVE,
                legal_name=f"HTX Báo cáo {next(_seq)}",
                name_folded=f"htx bao cao {next(_seq)}",
                tax_code=f"{7100000000 + next(_seq):010d}",
                representative="Nguyễn Văn A",
                address="Thôn 1",
                commune=place,
                province_id=place.province_id,
            )
            for place in places
        ]
    )
    products = Product.objects.bulk_create(
        [
            Product(
                entity=entities[i % len(places)],
                commune=places[i % len(places)],
                province_id=places[i % len(places)].province_id,
                category_id=category,
                status=Product.Status.CERTIFIED,
                name_folded=f"san pham {next(_seq)}",
            )
            for i in range(n)
        ]
    )
    ProductTranslation.objects.bulk_create(
        [ProductTranslation(product=p, language="vi", name=f"Sản phẩm {p.pk}") for p in products]
    )
    return products


def certify(
    products: list[Product],
    *,
    stars: int,
    decided,
    status: str = Status.VALID,
    kind: str = Kind.ISSUE,
    dossiers: dict[int, Dossier] | None = None,
) -> list[Certificate]:
    """A certificate per product decided on `decided` (a date, or a function of the product's index),
    valid 36 months (Art. 4.3), with its birth event; an EXPIRED one also gets its lapse event."""
    release = release_26()
    dossiers = dossiers or {}
    made = []
    for i, product in enumerate(products):
        day = decided(i) if callable(decided) else decided
        n = next(_seq)
        made.append(
            Certificate(
                number=f"{n}/GCN-BC",
                verification_code=f"BC{n:08d}",
                product=product,
                entity_id=product.entity_id,
                dossier=dossiers.get(product.pk),
                release=release,
                stars=stars,
                decision_no=f"{n}/QĐ-UBND",
                decision_date=day,
                issuer_vi="Ủy ban nhân dân tỉnh",
                valid_from=day,
                valid_until=months_after(day, 36),
                status=status,
                imported=True,
            )
        )
    certificates = Certificate.objects.bulk_create(made)
    events = [CertificateEvent(certificate=c, kind=kind, at=c.decision_date) for c in certificates]
    if status == Status.EXPIRED:
        events += [
            CertificateEvent(certificate=c, kind=Kind.LAPSE, at=c.valid_until + timedelta(days=1))
            for c in certificates
        ]
    CertificateEvent.objects.bulk_create(events)
    return certificates


def renew(old: list[Certificate], *, stars: int, decided: date, kind: str) -> list[Certificate]:
    """Re-evaluations (renewal, upgrade, downgrade) that replace the products' certificates."""
    Certificate.objects.filter(pk__in=[c.pk for c in old]).update(status=Status.SUPERSEDED)
    return certify([c.product for c in old], stars=stars, decided=decided, kind=kind)


def revoke(certificates: list[Certificate], *, on: date) -> None:
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(status=Status.REVOKED)
    CertificateEvent.objects.bulk_create(
        [
            CertificateEvent(certificate=c, kind=Kind.REVOCATION, at=on, reason="Ngừng sản xuất")
            for c in certificates
        ]
    )


def potential_dossiers(products: list[Product], *, stars: int, potential: int) -> dict[int, Dossier]:
    """Dossiers whose council result was `stars` with a potential `potential` (the 148/2023 era: a
    council certified up to its level and forwarded the higher candidate)."""
    dossiers = {}
    for product in products:
        dossier = make_dossier(product=product, stars=stars)
        DossierResult.objects.filter(dossier=dossier).update(potential_stars=potential)
        Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.CERTIFIED)
        dossiers[product.pk] = dossier
    return dossiers


# --- Lào Cai, 18 August 2025 (seed 000): 604 products 3–5★ in 82 communes and wards -------------------

LAO_CAI_ON = date(2025, 8, 18)


def lao_cai() -> dict:
    lc = province("Lào Cai")
    places = communes(lc)
    assert len(places) >= 92
    products = products_in(places[:82], 604)
    # 2 five-star, 49 four-star, 553 three-star, decided between January 2023 and June 2025: all in
    # their 36 months on 18 August 2025.

    def spread(i: int) -> date:
        return date(2023, 1, 1) + timedelta(days=(i * 7) % 900)

    certify(products[:2], stars=5, decided=spread)
    certify(products[2:51], stars=4, decided=spread)
    potentials = potential_dossiers(products[51:54], stars=3, potential=4)
    certify(products[51:], stars=3, decided=spread, dossiers=potentials)
    # One of them had an earlier certificate (2020), replaced by the current one: it counts once.
    certify(products[60:61], stars=3, decided=date(2020, 5, 4), status=Status.SUPERSEDED)
    # Not current on the day: 10 expired in 5 other communes, 1 revoked, 1 decided the month after.
    certify(products_in(places[82:87], 10), stars=3, decided=date(2021, 3, 1), status=Status.EXPIRED)
    revoke(certify(products_in([places[90]], 1), stars=4, decided=date(2024, 1, 2)), on=date(2025, 3, 1))
    certify(products_in([places[91]], 1), stars=3, decided=date(2025, 9, 1))
    # Elsewhere: 5 products of Hà Nội.
    certify(products_in(communes(province("Hà Nội"))[:2], 5), stars=4, decided=date(2024, 2, 2))
    return {"province": lc, "communes": places, "products": products}


# --- Lạng Sơn, 20 November 2025 (seed 002) ---------------------------------------------------------------

LANG_SON_ON = date(2025, 11, 20)


def lang_son() -> dict:
    """215 products first certified in 2021–2025, 235 recognised since 2019 (22 four-star, 213
    three-star at their latest certificate), 72 expired and not re-evaluated."""
    ls = province("Lạng Sơn")
    places = communes(ls)[:40]
    # A: 20 first certified in 2020, re-evaluated in 2023: 18 renewed at 3★, 2 upgraded to 4★.
    a = products_in(places, 20)
    first_a = certify(a, stars=3, decided=date(2020, 6, 15))
    renew(first_a[:18], stars=3, decided=date(2023, 6, 10), kind=Kind.RENEWAL)
    renew(first_a[18:], stars=4, decided=date(2023, 6, 10), kind=Kind.UPGRADE)
    # B1: 72 certified in June 2021, expired in June 2024, not re-evaluated (70 3★, 2 4★).
    b1 = products_in(places, 72)
    certify(b1[:70], stars=3, decided=date(2021, 6, 15), status=Status.EXPIRED)
    certify(b1[70:], stars=4, decided=date(2021, 6, 15), status=Status.EXPIRED)
    # B2: 1 certified in 2022, revoked in 2023.
    revoke(certify(products_in(places, 1), stars=3, decided=date(2022, 3, 1)), on=date(2023, 5, 1))
    # B3: 142 current. 2 downgraded from 4★ to 3★ in August 2025; 10 ending in January 2026 (within
    # 90 days); 5 ending in April 2026 (re-evaluation window open), one of which has filed.
    b3a = products_in(places, 2)
    renew(
        certify(b3a, stars=4, decided=date(2022, 9, 1)),
        stars=3,
        decided=date(2025, 8, 20),
        kind=Kind.DOWNGRADE,
    )
    expiring = products_in(places, 10)
    certify(expiring, stars=3, decided=date(2023, 1, 10))
    due = products_in(places, 5)
    certify(due, stars=3, decided=date(2023, 4, 1))
    filed = make_dossier(product=due[0], stars=3, kind=Dossier.Kind.REEVALUATION, with_result=False)
    Dossier.objects.filter(pk=filed.pk).update(submitted_at=filed.created_at)
    b3d = products_in(places, 125)

    def days(i: int) -> date:  # 60 decided in 2024, 65 in 2025
        return date(2024, 3, 1) + timedelta(days=i) if i < 60 else date(2025, 1, 15) + timedelta(days=i - 60)

    certify(b3d[:18], stars=4, decided=days)
    certify(b3d[18:], stars=3, decided=lambda i: days(i + 18))
    # Elsewhere: 3 products of Cao Bằng first certified in 2022.
    certify(products_in(communes(province("Cao Bằng"))[:1], 3), stars=3, decided=date(2022, 5, 5))
    return {"province": ls, "communes": places, "expiring": expiring, "due": due}


def scan_rollups(*rows: DailyScanRollup) -> None:
    """Daily scan rollups as the scans' daily job leaves them: with their months' rollups."""
    DailyScanRollup.objects.bulk_create(rows)
    for day in {r.day.replace(day=1) for r in rows}:
        scans_month_rollup(day=day)
