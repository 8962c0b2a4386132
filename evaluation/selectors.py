"""Reads of criteria data, and of rounds, dossiers and scores scoped to what the user may see."""

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import (
    Assignment,
    CouncilMember,
    CriteriaRelease,
    CriteriaSet,
    Criterion,
    Dossier,
    DossierResult,
    EvaluationRound,
    Score,
    SelfAssessment,
)
from places.models import Commune
from registry import access
from registry.models import Entity, Evidence, Product, ProductTranslation, Role


def releases_list() -> QuerySet[CriteriaRelease]:
    return CriteriaRelease.objects.all()


def criteria_set_tree(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    """The set as parts → criteria (nested) → options, in two queries."""
    nodes = list(Criterion.objects.filter(criteria_set=criteria_set).prefetch_related("options"))
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    def dump(node: Criterion) -> dict[str, Any]:
        data: dict[str, Any] = {"code": node.code, "name_vi": node.name_vi}
        if node.description_vi:
            data["description_vi"] = node.description_vi
        data["max_points"] = node.max_points
        if node.notes_vi:
            data["notes_vi"] = node.notes_vi
        if node.elimination_notes_vi:
            data["elimination_notes_vi"] = node.elimination_notes_vi
        if node.min_points_for_star:
            data["min_points_for_star"] = node.min_points_for_star
        if node.scorable:
            data["options"] = [
                {"text_vi": o.text_vi, "points": o.points}
                | ({"star_marker": o.star_marker} if o.star_marker else {})
                | ({"points_blank_in_source": True} if o.points_blank_in_source else {})
                for o in node.options.all()
            ]
        else:
            data["children"] = [dump(child) for child in children[node.pk]]
        return data

    parts = []
    for part in criteria_set.release.parts:
        roots = [n for n in children[None] if n.part == part["code"]]
        parts.append(
            {
                "code": part["code"],
                "name_vi": part["name_vi"],
                "max_points": part["max_points"],
                "criteria": [dump(n) for n in roots],
            }
        )
    return parts


def criteria_set_export(criteria_set: CriteriaSet) -> dict[str, Any]:
    """The set in the JSON shape it was loaded from, so an exported set imports back unchanged."""
    return {
        "set_code": criteria_set.code,
        "name_vi": criteria_set.name_vi,
        "name_en": criteria_set.name_en,
        "release": criteria_set.release.code,
        "decision": criteria_set.release.decision,
        "total_points": criteria_set.total_points,
        "disqualification_vi": criteria_set.disqualification_vi,
        "source_anomalies": criteria_set.source_anomalies,
        "parts": criteria_set_tree(criteria_set),
    }


# --- rounds, dossiers and council scoring, scoped by jurisdiction (registry.access) -------------------
#
# Who sees what: the Ministry everything; a province office the rounds of its province and the dossiers
# of its products; a commune officer the rounds of its province and the dossiers of its communes; an
# entity member the open rounds of its province and its own dossiers; a council member the rounds it
# sits in and their dossiers. Scores stay private to each member until the round closes.


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_run_round(user, evaluation_round: EvaluationRound) -> bool:
    """The province office of the round (or the Ministry, which alone runs central rounds)."""
    return _authenticated(user) and access.is_province_official(user, evaluation_round.province_id)


def is_official_over(user, dossier: Dossier) -> bool:
    if not _authenticated(user):
        return False
    product = dossier.product
    return access.is_official_over(
        user, province_id=product.province_id, commune_id=product.commune_id
    ) or access.is_province_official(user, dossier.round.province_id)


def rounds_visible_to(user) -> QuerySet[EvaluationRound]:
    scope = access.scope_of(user)
    qs = EvaluationRound.objects.select_related("province", "level")
    if scope.national:
        return qs
    if not _authenticated(user):
        return qs.none()
    q = Q(pk__in=CouncilMember.objects.filter(user=user).values("round_id"))
    if scope.provinces:
        q |= Q(province_id__in=scope.provinces)
    if scope.communes:
        q |= Q(province_id__in=Commune.objects.filter(code__in=scope.communes).values("province_id"))
    if scope.entities:
        own = Product.objects.filter(entity_id__in=scope.entities)
        q |= Q(
            status=EvaluationRound.Status.OPEN,
            province_id__in=Entity.objects.filter(pk__in=scope.entities).values("province_id"),
        )
        q |= Q(status=EvaluationRound.Status.OPEN, province_id__in=own.values("province_id"))
        q |= Q(pk__in=Dossier.objects.filter(product__in=own).values("round_id"))
    return qs.filter(q)


def round_detail(user, pk: int) -> EvaluationRound:
    return rounds_visible_to(user).select_related("release", "level__forwards_to").get(pk=pk)


def _dossier_filter(user) -> Q | None:
    """A Q over Dossier for what the user may see; None means everything."""
    scope = access.scope_of(user)
    if scope.national:
        return None
    q = Q(round_id__in=CouncilMember.objects.filter(user=user).values("round_id"))
    if scope.provinces:
        q |= Q(product__province_id__in=scope.provinces) | Q(round__province_id__in=scope.provinces)
    if scope.communes:
        q |= Q(product__commune_id__in=scope.communes)
    if scope.entities:
        q |= Q(product__entity_id__in=scope.entities)
    return q


def _dossiers() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "round__province",
        "round__level",
        "product__entity",
        "product__commune",
        "product__province",
        "criteria_set__release",
    ).prefetch_related(
        Prefetch(
            "product__translations",
            queryset=ProductTranslation.objects.only("product_id", "language", "name"),
        )
    )


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    if not _authenticated(user):
        return Dossier.objects.none()
    q = _dossier_filter(user)
    return _dossiers() if q is None else _dossiers().filter(q)


def dossier_detail(user, pk: int) -> Dossier:
    return dossiers_visible_to(user).get(pk=pk)


def round_dossiers(user, evaluation_round: EvaluationRound) -> QuerySet[Dossier]:
    """The dossiers of a round the user may see, with who scores them and their result."""
    return (
        dossiers_visible_to(user)
        .filter(round=evaluation_round)
        .select_related("result")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("member__user")))
        .annotate(already_forwarded=Exists(Dossier.objects.filter(forwarded_from=OuterRef("pk"))))
        .order_by("id")
    )


def dossiers_checkable_by(user) -> QuerySet[Dossier]:
    """Dossiers the user checks as the commune (or the province office above it)."""
    scope = access.scope_of(user)
    if scope.national:
        return _dossiers()
    q = Q(product__commune_id__in=scope.communes) | Q(product__province_id__in=scope.provinces)
    return _dossiers().filter(q) if scope.communes or scope.provinces else Dossier.objects.none()


def dossiers_to_check(user) -> QuerySet[Dossier]:
    return dossiers_checkable_by(user).filter(status=Dossier.Status.SUBMITTED).order_by("submitted_at", "id")


def assignments_of(user) -> QuerySet[Assignment]:
    """The dossiers a council member has to score."""
    if not _authenticated(user):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(member__user=user)
        .select_related("dossier__round", "dossier__product__entity", "dossier__criteria_set")
        .prefetch_related(
            Prefetch(
                "dossier__product__translations",
                queryset=ProductTranslation.objects.only("product_id", "language", "name"),
            )
        )
        .order_by("submitted_at", "-dossier__round__period_start", "dossier_id")
    )


def assignment_for(user, dossier: Dossier) -> Assignment | None:
    return assignments_of(user).filter(dossier=dossier).first()


def scores_visible_to(user, dossier: Dossier) -> QuerySet[Score]:
    """Independence of the council: while the round is not closed a member sees only their own scores
    and nobody else sees any; once it is closed, the officials over the dossier see every member's."""
    qs = Score.objects.filter(assignment__dossier=dossier).select_related(
        "criterion", "option", "assignment__member__user"
    )
    if not _authenticated(user):
        return qs.none()
    # Read the round's status from the database: the caller's object may predate the closing.
    closed = EvaluationRound.objects.filter(
        pk=dossier.round_id, status=EvaluationRound.Status.CLOSED
    ).exists()
    if closed and is_official_over(user, dossier):
        return qs
    return qs.filter(assignment__member__user=user)


def result_explained(user, dossier: Dossier) -> dict[str, Any] | None:
    """The stored computation, shaped for the page: officials see the members' usernames, the entity
    and the council members see "Member 1, 2, 3". Nothing before the round is closed."""
    if dossier.round.status != EvaluationRound.Status.CLOSED:
        return None
    result = DossierResult.objects.filter(dossier=dossier).first()
    if result is None:
        return None
    breakdown = result.breakdown
    usernames = sorted(breakdown.get("member_totals", {}))
    if is_official_over(user, dossier):
        names = usernames
    else:
        names = [_("Member %(n)s") % {"n": n} for n in range(1, len(usernames) + 1)]
    return {
        "result": result,
        "members": [
            {"name": name, "total": breakdown["member_totals"][u]}
            for name, u in zip(names, usernames, strict=True)
        ],
        "spread": breakdown.get("spread"),
        "criteria": [
            {
                "criterion": row["criterion"],
                "max_points": row["max_points"],
                "points": [
                    {"name": name, "points": row["members"].get(u)}
                    for name, u in zip(names, usernames, strict=True)
                ],
                "average": row["average"],
                "room": row["room"],
            }
            for row in breakdown.get("criteria", [])
        ],
        "capped_by": breakdown.get("capped_by") or [],
        "next_star": breakdown.get("next_star"),
        "knockout_reasons": breakdown.get("knockout_reasons") or [],
    }


def round_members(evaluation_round: EvaluationRound) -> QuerySet[CouncilMember]:
    return evaluation_round.members.select_related("user").order_by("-is_chair", "id")


def council_candidates(evaluation_round: EvaluationRound):
    """Users registered as council members who do not sit in this round yet."""
    return (
        get_user_model()
        .objects.filter(ocop_roles__kind=Role.Kind.COUNCIL, is_active=True)
        .exclude(council_seats__round=evaluation_round)
        .distinct()
        .order_by("username")
    )


def rounds_open_for(product: Product) -> QuerySet[EvaluationRound]:
    """Rounds of the product's province that still accept dossiers."""
    return EvaluationRound.objects.filter(
        status=EvaluationRound.Status.OPEN,
        province_id=product.province_id,
        submission_deadline__gte=timezone.localdate(),
    ).order_by("submission_deadline", "id")


def products_to_register(user, evaluation_round: EvaluationRound) -> QuerySet[Product]:
    """The user's own products that could enter an open round (no dossier in it yet)."""
    scope = access.scope_of(user)
    if evaluation_round.status != EvaluationRound.Status.OPEN or not scope.entities:
        return Product.objects.none()
    return (
        Product.objects.filter(entity_id__in=scope.entities, province_id=evaluation_round.province_id)
        .exclude(dossiers__round=evaluation_round)
        .prefetch_related("translations")
    )


def forward_targets(evaluation_round: EvaluationRound) -> QuerySet[EvaluationRound]:
    """Open rounds at the level this round's council forwards higher-star candidates to."""
    target_level = evaluation_round.level.forwards_to_id
    if target_level is None:
        return EvaluationRound.objects.none()
    return EvaluationRound.objects.filter(level_id=target_level, status=EvaluationRound.Status.OPEN).order_by(
        "submission_deadline", "id"
    )


def criteria_sheet(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    """The scorable criteria as parts (A/B/C) → groups → criteria with their options, in two queries.
    A criterion nested below a sub-group (C.6.1.1 under 6.1 "Ngoại hình") carries that sub-group."""
    nodes = list(Criterion.objects.filter(criteria_set=criteria_set).prefetch_related("options"))
    by_id = {node.pk: node for node in nodes}

    def root_of(node: Criterion) -> Criterion:
        while node.parent_id is not None:
            node = by_id[node.parent_id]
        return node

    groups: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for node in nodes:
        if not node.scorable:
            continue
        root = root_of(node)
        group = groups[node.part].setdefault(root.pk, {"group": root, "criteria": []})
        parent = by_id.get(node.parent_id) if node.parent_id else None
        group["criteria"].append(
            {"criterion": node, "subgroup": parent if parent is not None and parent is not root else None}
        )
    return [
        {
            "code": part["code"],
            "name_vi": part["name_vi"],
            "max_points": part["max_points"],
            "groups": list(groups[part["code"]].values()),
        }
        for part in criteria_set.release.parts
        if groups.get(part["code"])
    ]


def sheet_criteria(sheet: list[dict[str, Any]]) -> list[Criterion]:
    return [row["criterion"] for part in sheet for group in part["groups"] for row in group["criteria"]]


def self_assessments_of(dossier: Dossier) -> dict[int, SelfAssessment]:
    """Mẫu 02 by criterion id, with the evidence chosen for each."""
    rows = (
        SelfAssessment.objects.filter(dossier=dossier).select_related("option").prefetch_related("evidence")
    )
    return {row.criterion_id: row for row in rows}


def evidence_library(dossier: Dossier) -> QuerySet[Evidence]:
    return Evidence.objects.filter(entity_id=dossier.product.entity_id).order_by("kind", "title", "id")


def dossier_evidence(dossier: Dossier, pk: int) -> Evidence:
    """A document attached to the dossier's self-assessment (what the council reads beside it)."""
    return (
        Evidence.objects.filter(pk=pk, entity_id=dossier.product.entity_id, selfassessment__dossier=dossier)
        .distinct()
        .get()
    )
