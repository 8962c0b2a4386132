"""Loading criteria releases and sets (rules as data). A set is validated before anything is written:
every group sums to its maximum, every part to the release's part maximum, the set to 100."""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from evaluation.models import CouncilLevel, CriteriaRelease, CriteriaSet, Criterion, CriterionOption, StarBand
from registry.models import ProductCategory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RELEASE_26_2026 = FIXTURES / "criteria-26-2026"
EARLIER_RELEASES = FIXTURES / "earlier_releases.json"
LEVEL_ORDER = ["commune", "district", "province", "central"]


def _set_problems(data: dict[str, Any], *, parts_max: dict[str, int]) -> list[str]:
    """Every inconsistency of a set, as sentences an official can act on (empty: the set is sound)."""
    problems: list[str] = []
    code = data.get("set_code", "?")
    seen: set[tuple[str, str]] = set()

    def walk(node: dict[str, Any], part: str) -> int:
        label = f"{code} {part}.{node.get('code', '?')}"
        key = (part, str(node.get("code")))
        if key in seen:
            problems.append(_("%(label)s: the code appears twice.") % {"label": label})
        seen.add(key)
        maximum = node.get("max_points")
        if not isinstance(maximum, int) or maximum < 0:
            problems.append(_("%(label)s: the maximum points must be a whole number.") % {"label": label})
            return 0
        children, options = node.get("children") or [], node.get("options") or []
        if children and options:
            problems.append(
                _("%(label)s: a criterion has either sub-criteria or options, not both.") % {"label": label}
            )
        if children:
            total = sum(walk(child, part) for child in children)
            if total != maximum:
                problems.append(
                    _("%(label)s: its sub-criteria add up to %(total)s points, not %(max)s.")
                    % {"label": label, "total": total, "max": maximum}
                )
        elif options:
            points = [opt.get("points") for opt in options]
            if any(not isinstance(p, int) or p < 0 for p in points):
                problems.append(_("%(label)s: every option needs whole points.") % {"label": label})
            elif max(points) != maximum:
                problems.append(
                    _("%(label)s: the best option gives %(best)s points, not the maximum %(max)s.")
                    % {"label": label, "best": max(points), "max": maximum}
                )
            for star, minimum in (node.get("min_points_for_star") or {}).items():
                if minimum not in points:
                    problems.append(
                        _("%(label)s: the %(star)s-star minimum %(min)s is not one of the options' points.")
                        % {"label": label, "star": star, "min": minimum}
                    )
        else:
            problems.append(_("%(label)s: it has neither sub-criteria nor options.") % {"label": label})
        return maximum

    grand = 0
    parts = data.get("parts") or []
    for part in parts:
        part_code = part.get("code")
        total = sum(walk(node, part_code) for node in part.get("criteria") or [])
        expected = parts_max.get(part_code)
        if expected is None:
            problems.append(_("%(code)s: unknown part %(part)s.") % {"code": code, "part": part_code})
        elif total != expected or part.get("max_points") != expected:
            problems.append(
                _("%(code)s part %(part)s: its criteria add up to %(total)s points, not %(max)s.")
                % {"code": code, "part": part_code, "total": total, "max": expected}
            )
        grand += total
    if grand != data.get("total_points", 100) or grand != 100:
        problems.append(
            _("%(code)s: the set adds up to %(total)s points, not 100.") % {"code": code, "total": grand}
        )
    return problems


def _criteria_write(criteria_set: CriteriaSet, data: dict[str, Any]) -> None:
    position = 0
    options: list[CriterionOption] = []

    def write(node: dict[str, Any], part: str, parent: Criterion | None) -> None:
        nonlocal position
        position += 1
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            part=part,
            code=str(node["code"]),
            name_vi=node.get("name_vi", ""),
            description_vi=node.get("description_vi", ""),
            max_points=node["max_points"],
            position=position,
            min_points_for_star={str(k): v for k, v in (node.get("min_points_for_star") or {}).items()},
            elimination_notes_vi=node.get("elimination_notes_vi") or [],
            notes_vi=node.get("notes_vi") or [],
            scorable=bool(node.get("options")),
        )
        for index, opt in enumerate(node.get("options") or []):
            options.append(
                CriterionOption(
                    criterion=criterion,
                    position=index,
                    text_vi=opt.get("text_vi", ""),
                    points=opt["points"],
                    star_marker=opt.get("star_marker"),
                    points_blank_in_source=bool(opt.get("points_blank_in_source")),
                )
            )
        for child in node.get("children") or []:
            write(child, part, criterion)

    for part in data["parts"]:
        for node in part["criteria"]:
            write(node, part["code"], None)
    CriterionOption.objects.bulk_create(options)


def criteria_set_import(*, actor, release: CriteriaRelease, data: dict[str, Any]) -> CriteriaSet:
    """Add one set (the JSON shape of the decision's files) to a release; nothing is written when the
    set is inconsistent. A set already in the release is not replaced: releases are versioned."""
    parts_max = {p["code"]: p["max_points"] for p in release.parts}
    problems = _set_problems(data, parts_max=parts_max)
    if not data.get("set_code") or not data.get("name_vi"):
        problems.insert(0, _("A criteria set needs a code and a Vietnamese name."))
    if problems:
        raise ValidationError(problems)
    if CriteriaSet.objects.filter(release=release, code=data["set_code"]).exists():
        raise ValidationError(
            _("Set %(code)s is already part of release %(release)s; load a corrected set as a new release.")
            % {"code": data["set_code"], "release": release.code}
        )
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.create(
            release=release,
            code=data["set_code"],
            category=ProductCategory.objects.filter(code=data["set_code"]).first(),
            name_vi=data["name_vi"],
            name_en=(data.get("name_en") or "").replace(" (unofficial translation)", ""),
            total_points=data.get("total_points", 100),
            disqualification_vi=data.get("disqualification_vi") or [],
            source_anomalies=data.get("source_anomalies") or [],
        )
        _criteria_write(criteria_set, data)
        audit_record(
            actor=actor,
            action="criteria_set.import",
            obj=criteria_set,
            after={"release": release.code, "code": criteria_set.code},
        )
    return criteria_set


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _bands_write(release: CriteriaRelease, bands: list[dict[str, Any]]) -> None:
    StarBand.objects.bulk_create(
        StarBand(
            release=release,
            stars=band["stars"],
            min_score=Decimal(str(band["min"])),
            max_score=Decimal(str(band["max"])),
            max_inclusive=bool(band.get("max_inclusive")),
            certifiable=bool(band.get("certifiable")),
            certifier_vi=band.get("certifier") or "",
        )
        for band in bands
    )


def _levels_write(release: CriteriaRelease, levels: list[dict[str, Any]]) -> None:
    created = {}
    for level in levels:
        created[level["code"]] = CouncilLevel.objects.create(
            release=release,
            code=level["code"],
            name_vi=level["name_vi"],
            max_star_certified=level.get("max_star_certified"),
            role_vi=level.get("role_vi", ""),
            article=level.get("article", ""),
            position=LEVEL_ORDER.index(level["code"]) if level["code"] in LEVEL_ORDER else 9,
        )
    for level in levels:
        if level.get("forwards_to"):
            CouncilLevel.objects.filter(pk=created[level["code"]].pk).update(
                forwards_to=created[level["forwards_to"]]
            )


def _rules_26_2026(rules: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Release fields and council levels from ocop_rules_QD26-2026.json (with its articles)."""
    re_eval = rules["re_evaluation"]
    window = re_eval["submission_window_days_before_expiry"]
    fields = {
        "decision": rules["decision"],
        "title_vi": "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm",
        "effective_from": dt.date.fromisoformat(rules["effective_from"]),
        "parts": [{k: p[k] for k in ("code", "name_vi", "max_points")} for p in rules["parts"]],
        "certificate_validity_months": rules["certificate"]["validity_months"],
        "reevaluation_window_earliest_days": window["earliest"],
        "reevaluation_window_latest_days": window["latest"],
        "reevaluation_decision_days": re_eval["max_duration_days"],
        "revocation_deadline_days": rules["revocation"]["deadline_days"],
        "source": rules.get("source", ""),
    }
    forwards = {"commune": "province", "province": "central", "central": None}
    names = {"commune": "UBND cấp xã", "province": "Hội đồng cấp tỉnh", "central": "Hội đồng cấp trung ương"}
    levels = []
    for code, level in rules["levels"].items():
        certifies = level.get("certifies") or []
        levels.append(
            {
                "code": code,
                "name_vi": names.get(code, code),
                "max_star_certified": max(certifies) if certifies else None,
                "forwards_to": forwards.get(code),
                "role_vi": level.get("role_vi", ""),
                "article": level.get("article", ""),
            }
        )
    return fields, levels


def criteria_release_load(*, actor=None, folder: Path = RELEASE_26_2026) -> tuple[CriteriaRelease, bool]:
    """Load Decision 26/2026's release with its 26 sets, bands and levels. Returns (release, created).
    Loading the same files again changes nothing; different files under the same code are refused."""
    digest = _folder_digest(folder)
    rules = json.loads((folder / "ocop_rules_QD26-2026.json").read_text(encoding="utf-8"))
    code = "26/2026"
    existing = CriteriaRelease.objects.filter(code=code).first()
    if existing is not None:
        if existing.content_sha256 != digest:
            message = _(
                "Release %(code)s is already loaded from different files; load a corrected decision "
                "as a new release."
            )
            raise ValidationError(message % {"code": code})
        return existing, False
    fields, levels = _rules_26_2026(rules)
    with transaction.atomic():
        release = CriteriaRelease.objects.create(code=code, content_sha256=digest, **fields)
        _bands_write(release, rules["star_bands"])
        _levels_write(release, levels)
        for path in sorted(folder.glob("criteria_QD26-[0-9]*.json")):
            criteria_set_import(
                actor=actor, release=release, data=json.loads(path.read_text(encoding="utf-8"))
            )
        audit_record(
            actor=actor,
            action="criteria_release.load",
            obj=release,
            after={"code": code, "sets": release.criteria_sets.count()},
        )
    return release, True


def earlier_releases_load(*, actor=None, path: Path = EARLIER_RELEASES) -> int:
    """148/2023 and 1048/2019: part structure, bands and council levels only (for history)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for spec in data["releases"]:
            if CriteriaRelease.objects.filter(code=spec["code"]).exists():
                continue
            release = CriteriaRelease.objects.create(
                code=spec["code"],
                decision=spec["decision"],
                title_vi=spec["title_vi"],
                effective_from=dt.date.fromisoformat(spec["effective_from"]),
                effective_to=dt.date.fromisoformat(spec["effective_to"])
                if spec.get("effective_to")
                else None,
                parts=spec["parts"],
                has_criteria_text=False,
                source=data["note"],
            )
            _bands_write(release, data["star_bands"])
            _levels_write(release, spec["levels"])
            audit_record(
                actor=actor, action="criteria_release.load", obj=release, after={"code": spec["code"]}
            )
            created += 1
    return created
