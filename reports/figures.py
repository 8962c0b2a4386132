"""The programme figures officials write in their reports (issue 9), computed from certificates and the
registry for an area (reports.jurisdiction) and a reference date. Definitions: docs/reports.md.

Every figure is one aggregate query (or a fixed few), never a loop over products: the national
dashboard counts ~20,000 products. A product is placed where it is produced (Product.commune)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet

from certificates.models import Certificate, CertificateEvent
from evaluation.models import CriteriaRelease, Dossier
from registry.models import Entity
from reports.jurisdiction import Jurisdiction

# Only 3★–5★ are recognised (Decision 26/2026 Art. 3.3; also 148/2023 and 1048/2019).
STARS = (3, 4, 5)
EXPIRING_DAYS = 90


@dataclass
class StarRow:
    """A line of a table of products per star: an area, a group, a criteria set, an entity type."""

    key: str
    label: str
    stars: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))

    @property
    def total(self) -> int:
        return sum(self.stars.values())

    @property
    def per_star(self) -> list[int]:
        return [self.stars.get(s, 0) for s in STARS]


# --- the certificate that speaks for a product on a date ---------------------------------------------


def latest_certificates(j: Jurisdiction, on: date, *among: Q) -> QuerySet[Certificate]:
    """Per product, its most recent certificate decided on or before `on` (a later decision — renewal,
    upgrade, downgrade — replaces the earlier one from its decision date), whatever happened to it
    since. `among` narrows the certificates looked at before the "no later decision" test (a filter
    on the certificate's own columns gives the same rows applied before or after; before, the
    database tests fewer certificates for a later one)."""
    later = Certificate.objects.filter(product_id=OuterRef("product_id"), decision_date__lte=on).filter(
        Q(decision_date__gt=OuterRef("decision_date"))
        | Q(decision_date=OuterRef("decision_date"), pk__gt=OuterRef("pk"))
    )
    return Certificate.objects.filter(j.products(), *among, decision_date__lte=on).exclude(Exists(later))


def revoked_by(on: date) -> Exists:
    """A revocation decided on or before `on` (its event's date: the decision, Art. 8)."""
    return Exists(
        CertificateEvent.objects.filter(
            certificate_id=OuterRef("pk"), kind=CertificateEvent.Kind.REVOCATION, at__lte=on
        )
    )


def current_certificates(j: Jurisdiction, on: date) -> QuerySet[Certificate]:
    """The certificates of the current OCOP products on `on`: the product's latest certificate, in
    its validity (valid_from ≤ on ≤ valid_until: the last day counts, Art. 4.3) and not revoked."""
    return latest_certificates(j, on, Q(valid_from__lte=on, valid_until__gte=on)).exclude(revoked_by(on))


def current_total(j: Jurisdiction, on: date) -> int:
    return current_certificates(j, on).count()


DIMENSIONS = {
    "province": ("product__province_id", "product__province__name"),
    "commune": ("product__commune_id", "product__commune__name"),
    "group": ("product__category__subgroup__group_id", "product__category__subgroup__group__name_vi"),
    "category": ("product__category_id", "product__category__name_vi"),
    "entity_kind": ("entity__kind", None),
}


def _star_rows(rows, key_field: str, label_field: str | None, labels: dict | None = None) -> list[StarRow]:
    table: dict[str, StarRow] = {}
    for row in rows:
        key = row[key_field]
        label = row[label_field] if label_field else (labels or {}).get(key, key)
        line = table.setdefault(key, StarRow(key=key, label=str(label)))
        line.stars[row["stars"]] = line.stars.get(row["stars"], 0) + row["n"]
    return list(table.values())


def current_by(j: Jurisdiction, on: date, by: str) -> list[StarRow]:
    """Current products per `by` (province, commune, group, category, entity_kind) and star; one query.
    Ordered by total, largest first, then by name."""
    key_field, label_field = DIMENSIONS[by]
    fields = [key_field, "stars"] + ([label_field] if label_field else [])
    rows = current_certificates(j, on).values(*fields).annotate(n=Count("id")).order_by()
    labels = dict(Entity.Kind.choices) if by == "entity_kind" else None
    table = _star_rows(rows, key_field, label_field, labels)
    return sorted(table, key=lambda r: (-r.total, r.label))


def current_per_star(j: Jurisdiction, on: date) -> dict[int, int]:
    counts = dict.fromkeys(STARS, 0)
    for row in current_certificates(j, on).values("stars").annotate(n=Count("id")).order_by():
        counts[row["stars"]] = row["n"]
    return counts


def communes_with_products(j: Jurisdiction, on: date) -> int:
    """Communes (and wards, special zones) with at least one current product."""
    return current_certificates(j, on).values("product__commune_id").distinct().count()


def potential_next_star(j: Jurisdiction, on: date) -> dict[int, int]:
    """Current products whose council found them worth a higher star than the one certified (the
    dossier result's potential_stars, evaluation.scoring, or the certificate's own potential_stars
    for one imported from provincial records): {certified star: count}. The seed's "553
    three-star including 3 potential four-star" is {3: 3}."""
    counts = dict.fromkeys(STARS, 0)
    rows = (
        current_certificates(j, on)
        .filter(Q(dossier__result__potential_stars__gt=F("stars")) | Q(potential_stars__gt=F("stars")))
        .values("stars")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["stars"]] = row["n"]
    return counts


# --- after the end of validity -------------------------------------------------------------------------


def expired_not_reevaluated(j: Jurisdiction, on: date) -> QuerySet[Certificate]:
    """Products whose latest certificate ended its validity before `on` without being revoked and
    without a later certificate (re-evaluation, upgrade): one certificate per product."""
    return latest_certificates(j, on).filter(valid_until__lt=on).exclude(revoked_by(on))


def revoked_products(j: Jurisdiction, on: date) -> QuerySet[Certificate]:
    return latest_certificates(j, on).filter(revoked_by(on))


def expiring(j: Jurisdiction, on: date, days: int = EXPIRING_DAYS) -> QuerySet[Certificate]:
    """Current certificates whose last day is within `days` days from `on` (on included)."""
    return current_certificates(j, on).filter(valid_until__lte=on + timedelta(days=days))


def reevaluation_due(j: Jurisdiction, on: date) -> QuerySet[Certificate]:
    """Current certificates whose re-evaluation filing window is open on `on` (Art. 7.6.a: from 180 to
    120 days before expiry; the days are data on the certificate's release) and whose product has
    filed no re-evaluation dossier since the certificate was decided. Two queries: the releases'
    windows, then the certificates."""
    window = Q(pk__in=[])
    for release in CriteriaRelease.objects.only(
        "pk", "reevaluation_window_earliest_days", "reevaluation_window_latest_days"
    ):
        window |= Q(
            release_id=release.pk,
            valid_until__gte=on + timedelta(days=release.reevaluation_window_latest_days),
            valid_until__lte=on + timedelta(days=release.reevaluation_window_earliest_days),
        )
    filed = Dossier.objects.filter(
        product_id=OuterRef("product_id"),
        kind=Dossier.Kind.REEVALUATION,
        submitted_at__isnull=False,
        created_at__date__gte=OuterRef("decision_date"),
    )
    return current_certificates(j, on).filter(window).exclude(Exists(filed))


# --- certifications over time ---------------------------------------------------------------------------


def first_certified(j: Jurisdiction, start: date, end: date) -> int:
    """Products whose first certificate (any, even one later revoked) was decided in [start, end]."""
    return (
        Certificate.objects.filter(j.products())
        .values("product_id")
        .annotate(first=Min("decision_date"))
        .filter(first__gte=start, first__lte=end)
        .count()
    )


def certifications(j: Jurisdiction, start: date, end: date) -> int:
    """Certification decisions in [start, end]: each certificate counts, so a product first certified
    and then renewed or upgraded in the period counts twice."""
    return Certificate.objects.filter(j.products(), decision_date__gte=start, decision_date__lte=end).count()


def recognised_since(j: Jurisdiction, year: int, on: date) -> dict[int, int]:
    """Products with at least one certificate decided from 1 January `year` to `on`, each counted once
    at the star of its latest certificate decided by `on` (whatever happened to it since: expired and
    revoked products were recognised too). {star: count}."""
    counts = dict.fromkeys(STARS, 0)
    rows = (
        latest_certificates(j, on)
        .filter(decision_date__gte=date(year, 1, 1))
        .values("stars")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["stars"]] = row["n"]
    return counts
