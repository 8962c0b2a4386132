"""The latest certificate of every product of an area on a date, read in one query, from which the
summary's figures about "current", "expired", "expiring" and "recognised since" are counted in Python.

reports.figures computes each of those figures as its own aggregate query, which is what a single
figure (the statistics page, the API) needs. The dashboard needs about ten of them over the same set of
certificates; at national scale (20,000 products) each query repeats the "no later decision" test
over every certificate, so the dashboard reads the set once here instead (issue 9's bench). The
definitions are those of docs/reports.md; tests/reports check both ways give the seed figures."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import CharField
from django.db.models.functions import Cast

from certificates.models import Certificate, CertificateEvent
from reports.figures import DIMENSIONS, EXPIRING_DAYS, STARS, StarRow
from reports.figures_activity import month_start
from reports.jurisdiction import Jurisdiction


@dataclass(frozen=True, slots=True)
class Latest:
    """A product's latest certificate decided on or before the reference date. Its dates are ISO
    text (YYYY-MM-DD), which orders as the dates do: turning 60,000 of them into date objects cost
    more than the rest of the work (SQLite returns text)."""

    product_id: int
    stars: int
    decision_date: str
    valid_from: str
    valid_until: str
    revoked: bool
    potential: int | None
    province: str
    commune: str
    group: str
    category: str


@dataclass
class Snapshot:
    on: date
    latest: list[Latest]

    @property
    def day(self) -> str:
        return self.on.isoformat()

    @cached_property
    def current(self) -> list[Latest]:
        """In validity on the date (both ends count) and not revoked: figures.current_certificates."""
        on = self.day
        return [c for c in self.latest if c.valid_from <= on <= c.valid_until and not c.revoked]

    def per_star(self, rows: Iterable[Latest]) -> dict[int, int]:
        counts = dict.fromkeys(STARS, 0)
        counts.update(Counter(c.stars for c in rows))
        return counts

    def current_by(self, by: str, labels: dict[str, str]) -> list[StarRow]:
        """figures.current_by from the snapshot: per `by` (province, commune, group, category: a field of
        Latest) and star, largest total first, then by name."""
        table: dict[str, StarRow] = {}
        for (value, stars), n in Counter((getattr(c, by), c.stars) for c in self.current).items():
            line = table.get(value)
            if line is None:
                line = table[value] = StarRow(key=value, label=labels.get(value, value))
            line.stars[stars] = line.stars.get(stars, 0) + n
        return sorted(table.values(), key=lambda r: (-r.total, r.label))

    def communes(self) -> int:
        return len({c.commune for c in self.current})

    def potential(self) -> dict[int, int]:
        """figures.potential_next_star: current products found worth a higher star than certified."""
        return self.per_star(c for c in self.current if c.potential is not None and c.potential > c.stars)

    def expired_not_reevaluated(self) -> int:
        on = self.day
        return sum(1 for c in self.latest if c.valid_until < on and not c.revoked)

    def expiring(self, days: int = EXPIRING_DAYS) -> int:
        last = (self.on + timedelta(days=days)).isoformat()
        return sum(1 for c in self.current if c.valid_until <= last)

    def recognised_since(self, year: int) -> dict[int, int]:
        first = date(year, 1, 1).isoformat()
        return self.per_star(c for c in self.latest if c.decision_date >= first)

    def expiring_per_month(self, months: int = 12) -> list[tuple[date, int]]:
        """figures_activity.expiring_per_month from the snapshot."""
        starts = [month_start(self.on, -k) for k in range(months + 1)]
        ends = Counter(c.valid_until[:7] for c in self.current if c.valid_until < starts[-1].isoformat())
        return [(month, ends.get(month.isoformat()[:7], 0)) for month in starts[:-1]]


def snapshot(j: Jurisdiction, on: date) -> Snapshot:
    """Two queries: the area's certificates decided by `on` with what the figures group by (ids only:
    names are read by the caller for the one dimension it shows), and the revocations decided by
    `on`. The latest per product (figures.latest_certificates: the later decision date, then the
    later record) is picked here: asking the database "is there a later one?" for each certificate
    cost more than reading them all."""
    rows = (
        Certificate.objects.filter(j.products(), decision_date__lte=on)
        .annotate(
            decided=Cast("decision_date", CharField()),
            start=Cast("valid_from", CharField()),
            end=Cast("valid_until", CharField()),
        )
        .values_list(
            "pk",
            "product_id",
            "stars",
            "decided",
            "start",
            "end",
            "dossier__result__potential_stars",
            "potential_stars",
            DIMENSIONS["province"][0],
            DIMENSIONS["commune"][0],
            DIMENSIONS["group"][0],
            DIMENSIONS["category"][0],
        )
        .order_by()
    )
    latest: dict[int, tuple] = {}
    for row in rows:
        seen = latest.get(row[1])
        if seen is None or (row[3], row[0]) > (seen[3], seen[0]):
            latest[row[1]] = row
    revoked = set(
        CertificateEvent.objects.filter(
            j.products("certificate__product__"), kind=CertificateEvent.Kind.REVOCATION, at__lte=on
        ).values_list("certificate_id", flat=True)
    )
    # A certificate's potential star: its dossier's result, or what an imported record says.
    return Snapshot(
        on=on,
        latest=[
            Latest(
                product_id=row[1],
                stars=row[2],
                decision_date=row[3],
                valid_from=row[4],
                valid_until=row[5],
                revoked=row[0] in revoked,
                potential=_higher(row[6], row[7]),
                province=row[8],
                commune=row[9],
                group=row[10],
                category=row[11],
            )
            for row in latest.values()
        ],
    )


def _higher(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)
