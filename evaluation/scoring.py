"""The council's result from the members' scores, as a pure computation (no database writes), so
that the same rules explain the result to the entity and decide it.

Rules (Decision 26/2026/QĐ-TTg and provincial council rules):
- the score is the average of the members' totals (Art. 3.3 "tổng điểm trung bình");
- a band gives the star (StarBand rows); a criterion below its per-star minimum (***/****/*****)
  caps the star below that level;
- a knock-out (forged dossier, no food-safety certificate, all raw material imported …) rejects it;
- a star above what the council level certifies is a "potential N-star", forwarded to the next level;
- members whose totals differ by more than the release's spread limit re-discuss before closing.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO = Decimal("0.01")


@dataclass(frozen=True)
class CriterionRule:
    criterion_id: int
    label: str  # "A.1.1 Nguồn nguyên liệu"
    max_points: int
    min_points_for_star: dict[int, int]


@dataclass(frozen=True)
class Band:
    stars: int
    min_score: Decimal
    max_score: Decimal
    max_inclusive: bool
    certifiable: bool

    def contains(self, score: Decimal) -> bool:
        upper = score <= self.max_score if self.max_inclusive else score < self.max_score
        return self.min_score <= score and upper


@dataclass
class Outcome:
    average_total: Decimal
    member_totals: dict[str, int]
    spread: int
    needs_rediscussion: bool
    band_stars: int
    stars: int
    potential_stars: int | None
    knocked_out: bool
    knockout_reasons: list[str]
    certifiable: bool
    capped_by: list[dict[str, Any]] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)
    next_star: dict[str, Any] | None = None

    def as_breakdown(self) -> dict[str, Any]:
        """What is stored with the result (JSON) and shown to the entity and officials."""
        return {
            "average_total": str(self.average_total),
            "member_totals": self.member_totals,
            "spread": self.spread,
            "needs_rediscussion": self.needs_rediscussion,
            "band_stars": self.band_stars,
            "stars": self.stars,
            "potential_stars": self.potential_stars,
            "knocked_out": self.knocked_out,
            "knockout_reasons": self.knockout_reasons,
            "certifiable": self.certifiable,
            "capped_by": self.capped_by,
            "criteria": self.criteria,
            "next_star": self.next_star,
        }


def _average(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(TWO, rounding=ROUND_HALF_UP)


def _band_stars(score: Decimal, bands: list[Band]) -> int:
    for band in bands:
        if band.contains(score):
            return band.stars
    return min(b.stars for b in bands)


def _unmet(star: int, averages: dict[int, Decimal], rules: list[CriterionRule]) -> list[dict[str, Any]]:
    unmet = []
    for rule in rules:
        minimum = rule.min_points_for_star.get(star)
        if minimum is not None and averages[rule.criterion_id] < minimum:
            unmet.append(
                {
                    "criterion": rule.label,
                    "star": star,
                    "minimum": minimum,
                    "average": str(averages[rule.criterion_id]),
                }
            )
    return unmet


def outcome_compute(
    *,
    rules: list[CriterionRule],
    bands: list[Band],
    scores: dict[str, dict[int, int]],
    max_star_certified: int | None,
    spread_limit: Decimal,
    knockout_reasons: list[str] | None = None,
) -> Outcome:
    """`scores` maps each member to their points per scorable criterion id (all criteria scored)."""
    if not scores:
        raise ValueError("no member scores")
    knockout_reasons = knockout_reasons or []
    totals = {member: sum(points.values()) for member, points in scores.items()}
    average_total = _average(list(totals.values()))
    spread = max(totals.values()) - min(totals.values())
    averages = {rule.criterion_id: _average([scores[m][rule.criterion_id] for m in scores]) for rule in rules}

    band_stars = _band_stars(average_total, bands)
    stars = band_stars
    capped_by: list[dict[str, Any]] = []
    certifiable_stars = {b.stars for b in bands if b.certifiable}
    # A criterion below its minimum for a star caps the product below that star.
    while stars in certifiable_stars:
        unmet = _unmet(stars, averages, rules)
        if not unmet:
            break
        capped_by.extend(unmet)
        stars -= 1
    potential = None
    if max_star_certified is not None and stars > max_star_certified:
        potential = stars
        stars = max_star_certified
    knocked_out = bool(knockout_reasons)
    certifiable = not knocked_out and stars in certifiable_stars

    criteria = [
        {
            "criterion": rule.label,
            "max_points": rule.max_points,
            "members": {m: scores[m][rule.criterion_id] for m in scores},
            "average": str(averages[rule.criterion_id]),
            "room": str(Decimal(rule.max_points) - averages[rule.criterion_id]),
        }
        for rule in rules
    ]
    next_star = None
    target = (potential or stars) + 1
    higher = [b for b in bands if b.stars == target]
    if higher and not knocked_out:
        gap = max(Decimal(0), higher[0].min_score - average_total)
        room = sorted(
            (c for c in criteria if Decimal(str(c["room"])) > 0),
            key=lambda c: Decimal(str(c["room"])),
            reverse=True,
        )
        next_star = {
            "stars": target,
            "points_short": str(gap.quantize(TWO)),
            "unmet_minimums": _unmet(target, averages, rules),
            "criteria_with_room": [{"criterion": c["criterion"], "room": c["room"]} for c in room[:8]],
        }
    return Outcome(
        average_total=average_total,
        member_totals=totals,
        spread=spread,
        needs_rediscussion=Decimal(spread) > spread_limit,
        band_stars=band_stars,
        stars=stars,
        potential_stars=potential,
        knocked_out=knocked_out,
        knockout_reasons=knockout_reasons,
        certifiable=certifiable,
        capped_by=capped_by,
        criteria=criteria,
        next_star=next_star,
    )
