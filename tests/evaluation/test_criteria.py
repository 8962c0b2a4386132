import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from evaluation.models import CouncilLevel, CriteriaRelease, CriteriaSet, Criterion, StarBand
from evaluation.services_criteria import (
    RELEASE_26_2026,
    criteria_release_load,
    criteria_set_import,
    earlier_releases_load,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SET_FILES = sorted(RELEASE_26_2026.glob("criteria_QD26-[0-9]*.json"))


def _file(code: str) -> dict:
    return json.loads(next(p for p in SET_FILES if p.name.startswith(f"criteria_{code}_")).read_text())


@pytest.fixture
def release():
    """Loaded once for the session by the root conftest (criteria_release_load)."""
    return CriteriaRelease.objects.get(code="26/2026")


def test_it_loads_the_26_sets_of_the_decision(release):
    index = json.loads((RELEASE_26_2026 / "criteria_index_QD26-2026.json").read_text())
    assert len(SET_FILES) == len(index) == 26
    assert set(release.criteria_sets.values_list("code", flat=True)) == {row["set_code"] for row in index}
    # Every set is linked to the registry's product category of the same code.
    assert not release.criteria_sets.filter(category__isnull=True).exists()


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.name[9:16])
def test_every_set_sums_to_100_and_every_group_to_its_maximum(release, path):
    source = json.loads(path.read_text())
    criteria_set = CriteriaSet.objects.get(release=release, code=source["set_code"])
    top = Criterion.objects.filter(criteria_set=criteria_set, parent=None)
    assert top.aggregate(total=Sum("max_points"))["total"] == source["total_points"] == 100
    for part in source["parts"]:
        assert top.filter(part=part["code"]).aggregate(t=Sum("max_points"))["t"] == part["max_points"]
    for group in Criterion.objects.filter(criteria_set=criteria_set, scorable=False):
        assert sum(c.max_points for c in group.children.all()) == group.max_points, group
    for criterion in Criterion.objects.filter(criteria_set=criteria_set, scorable=True):
        assert max(o.points for o in criterion.options.all()) == criterion.max_points, criterion


def test_it_keeps_per_star_minimums_and_knock_outs(release):
    raw = _file("QD26-11")["parts"][0]["criteria"][0]["children"][0]  # 1.1 Nguồn nguyên liệu
    criterion = Criterion.objects.get(criteria_set__code="QD26-11", part="A", code="1.1")
    assert (
        criterion.min_points_for_star
        == {k: v for k, v in raw["min_points_for_star"].items()}
        == {"3": 2, "4": 2, "5": 2}
    )
    assert "Bị loại nếu" in criterion.elimination_notes_vi[0]
    assert criterion.options.get(star_marker=3).points == 2
    assert CriteriaSet.objects.get(code="QD26-11").disqualification_vi[0].startswith("Hồ sơ bị loại khi")


def test_it_loads_the_bands_levels_and_validity_as_data(release):
    bands = {b.stars: b for b in StarBand.objects.filter(release=release)}
    assert [(s, bands[s].min_score) for s in (5, 4, 3, 2, 1)] == [(5, 90), (4, 70), (3, 50), (2, 30), (1, 0)]
    assert {s for s, b in bands.items() if b.certifiable} == {3, 4, 5}
    assert bands[5].contains(100) and not bands[4].contains(90) and bands[4].contains(89.99)
    province = CouncilLevel.objects.get(release=release, code="province")
    assert province.max_star_certified == 4 and province.forwards_to.code == "central"
    assert (
        release.certificate_validity_months,
        release.reevaluation_window_earliest_days,
        release.reevaluation_window_latest_days,
    ) == (36, 180, 120)


def test_loading_again_changes_nothing(release):
    again, created = criteria_release_load()
    assert (again.pk, created) == (release.pk, False)
    assert CriteriaSet.objects.count() == 26


def test_it_keeps_earlier_releases_for_history():
    assert earlier_releases_load() == 2
    old = CriteriaRelease.objects.get(code="1048/2019")
    assert [(p["code"], p["max_points"]) for p in old.parts] == [("A", 35), ("B", 25), ("C", 40)]
    district = CouncilLevel.objects.get(release__code="148/2023", code="district")
    assert district.max_star_certified == 3 and district.forwards_to.code == "province"
    assert earlier_releases_load() == 0


@pytest.fixture
def empty_release():
    return CriteriaRelease.objects.create(
        code="test/2027",
        decision="test",
        effective_from="2027-01-01",
        parts=[
            {"code": "A", "name_vi": "A", "max_points": 40},
            {"code": "B", "name_vi": "B", "max_points": 25},
            {"code": "C", "name_vi": "C", "max_points": 35},
        ],
    )


def test_an_inconsistent_set_is_refused_with_the_criterion_named(empty_release):
    data = copy.deepcopy(_file("QD26-07"))
    data["parts"][0]["criteria"][0]["children"][0]["options"][-1]["points"] = 9
    with pytest.raises(ValidationError) as exc:
        criteria_set_import(actor=None, release=empty_release, data=data)
    text = " ".join(exc.value.messages)
    assert "QD26-07 A.1.1" in text and "best option gives 9 points" in text
    assert not CriteriaSet.objects.filter(release=empty_release).exists()


def test_a_set_that_does_not_add_up_to_100_is_refused(empty_release):
    data = copy.deepcopy(_file("QD26-07"))
    data["parts"][2]["criteria"].pop()
    with pytest.raises(ValidationError) as exc:
        criteria_set_import(actor=None, release=empty_release, data=data)
    assert "not 100" in " ".join(exc.value.messages)


def test_a_set_is_never_replaced_inside_a_release(release):
    with pytest.raises(ValidationError) as exc:
        criteria_set_import(actor=None, release=release, data=_file("QD26-11"))
    assert "new release" in " ".join(exc.value.messages)


@pytest.mark.parametrize("code", ["QD26-07", "QD26-11", "QD26-26"])
def test_an_exported_set_matches_the_decisions_file_and_imports_back(release, empty_release, code):
    from evaluation.selectors import criteria_set_export

    exported = criteria_set_export(CriteriaSet.objects.get(release=release, code=code))
    source = _file(code)

    def strip(part):  # what the model keeps of a source part
        def node(n):
            kept = {
                k: n[k]
                for k in (
                    "code",
                    "name_vi",
                    "description_vi",
                    "max_points",
                    "notes_vi",
                    "elimination_notes_vi",
                    "min_points_for_star",
                )
                if n.get(k)
            }
            if n.get("options"):
                kept["options"] = [
                    {
                        k: o[k]
                        for k in ("text_vi", "points", "star_marker", "points_blank_in_source")
                        if k in o
                    }
                    for o in n["options"]
                ]
            else:
                kept["children"] = [node(c) for c in n["children"]]
            return kept

        return {
            "code": part["code"],
            "max_points": part["max_points"],
            "criteria": [node(c) for c in part["criteria"]],
        }

    assert [strip(p) for p in exported["parts"]] == [strip(p) for p in source["parts"]]
    copy_set = criteria_set_import(actor=None, release=empty_release, data=exported)
    assert [strip(p) for p in criteria_set_export(copy_set)["parts"]] == [strip(p) for p in exported["parts"]]


def test_the_admin_shows_a_set_and_exports_it(admin_client, release):
    criteria_set = CriteriaSet.objects.get(release=release, code="QD26-11")
    page = admin_client.get(f"/admin/evaluation/criteriaset/{criteria_set.pk}/change/").content.decode()
    assert "Nguồn nguyên liệu" in page
    response = admin_client.post(
        "/admin/evaluation/criteriaset/", {"action": "export_json", "_selected_action": [criteria_set.pk]}
    )
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["set_code"] == "QD26-11"


def test_a_set_exported_to_excel_reads_back_and_imports(release, empty_release):
    from evaluation.criteria_xlsx import criteria_set_from_xlsx, criteria_set_to_xlsx
    from evaluation.selectors import criteria_set_export

    exported = criteria_set_export(CriteriaSet.objects.get(release=release, code="QD26-07"))
    data = criteria_set_from_xlsx(criteria_set_to_xlsx(exported))
    assert data["set_code"] == "QD26-07" and data["disqualification_vi"] == exported["disqualification_vi"]
    copy_set = criteria_set_import(actor=None, release=empty_release, data=data)
    again = criteria_set_export(copy_set)
    assert [p["criteria"] for p in again["parts"]] == [p["criteria"] for p in exported["parts"]]


def test_a_workbook_with_bad_points_is_refused_with_sheet_and_row(release, empty_release):
    import io

    from openpyxl import load_workbook

    from evaluation.criteria_xlsx import criteria_set_from_xlsx, criteria_set_to_xlsx
    from evaluation.selectors import criteria_set_export

    content = criteria_set_to_xlsx(
        criteria_set_export(CriteriaSet.objects.get(release=release, code="QD26-07"))
    )
    book = load_workbook(io.BytesIO(content))
    book["options"]["E3"] = "hai"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as exc:
        criteria_set_from_xlsx(out.getvalue())
    assert "“options”, row 3" in " ".join(exc.value.messages) and "hai" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        criteria_set_from_xlsx(b"PK\x03\x04 not really a workbook")
    assert "not an Excel workbook" in " ".join(exc.value.messages)
    assert not CriteriaSet.objects.filter(release=empty_release).exists()


def test_an_admin_imports_an_excel_set_and_a_broken_file_changes_nothing(
    admin_client, release, empty_release
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluation.criteria_xlsx import criteria_set_to_xlsx
    from evaluation.selectors import criteria_set_export

    content = criteria_set_to_xlsx(
        criteria_set_export(CriteriaSet.objects.get(release=release, code="QD26-13"))
    )
    bad = admin_client.post(
        "/admin/evaluation/criteriaset/import/",
        {"release": empty_release.pk, "file": SimpleUploadedFile("set.json", b"{not json")},
    )
    page = bad.content.decode()
    assert "neither valid JSON" in page or "không phải là JSON hợp lệ" in page
    response = admin_client.post(
        "/admin/evaluation/criteriaset/import/",
        {"release": empty_release.pk, "file": SimpleUploadedFile("QD26-13.xlsx", content)},
    )
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(release=empty_release, code="QD26-13").exists()
