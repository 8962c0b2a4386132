"""Reads of criteria data."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from evaluation.models import CriteriaRelease, CriteriaSet, Criterion


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
