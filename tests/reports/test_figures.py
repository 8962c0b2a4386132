"""The seed articles' figures, from records built to match them, to the unit and to the decimal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from places.models import Province
from registry.models import Recognition, Role
from reports import figures
from reports.figures_activity import (
    demand_and_capacity,
    events_per_year,
    expiring_per_month,
    recognitions_granted,
    recognitions_valid,
    scans_per_product_month,
)
from reports.jurisdiction import NATION, Jurisdiction, jurisdiction_for
from reports.models import Target
from reports.services import target_set
from reports.summary import summary
from reports.targets import achievements, percent
from scans.models import DailyScanRollup
from tests.certificates.factories import make_certificate
from tests.factories import make_entity, make_product, make_user, with_role
from tests.reports.records import LANG_SON_ON, LAO_CAI_ON, lang_son, lao_cai, scan_rollups

pytestmark = pytest.mark.django_db


@pytest.fixture
def lc():
    return lao_cai()


@pytest.fixture
def ls():
    return lang_son()


class TestLaoCai:
    """ "604 OCOP products from 3 to 5 stars, in 82 communes and wards: 2 five-star, 49 four-star and
    553 three-star (including 3 potential four-star)" (Báo Lào Cai, 18 August 2025)."""

    def test_it_counts_the_current_products_per_star(self, lc):
        area = Jurisdiction(province=lc["province"])
        assert figures.current_total(area, LAO_CAI_ON) == 604
        assert figures.current_per_star(area, LAO_CAI_ON) == {3: 553, 4: 49, 5: 2}

    def test_it_counts_the_communes_with_a_current_product(self, lc):
        assert figures.communes_with_products(Jurisdiction(province=lc["province"]), LAO_CAI_ON) == 82

    def test_it_counts_the_potential_four_star(self, lc):
        assert figures.potential_next_star(Jurisdiction(province=lc["province"]), LAO_CAI_ON) == {
            3: 3,
            4: 0,
            5: 0,
        }

    def test_it_splits_the_province_by_commune_and_the_nation_by_province(self, lc):
        rows = figures.current_by(Jurisdiction(province=lc["province"]), LAO_CAI_ON, "commune")
        assert len(rows) == 82
        assert sum(r.total for r in rows) == 604
        first = {r.key: r for r in rows}[lc["communes"][0].code]
        assert first.total == 8  # products 0, 82, …, 574 of the 604
        nation = {r.key: r.per_star for r in figures.current_by(NATION, LAO_CAI_ON, "province")}
        assert nation[lc["province"].code] == [553, 49, 2]
        assert sum(sum(v) for v in nation.values()) == 609  # and 5 of Hà Nội

    def test_a_commune_sees_its_own_products_only(self, lc):
        place = lc["communes"][0]
        assert figures.current_total(Jurisdiction(province=lc["province"], commune=place), LAO_CAI_ON) == 8

    def test_it_counts_by_group_criteria_set_and_entity_type(self, lc, english):
        area = Jurisdiction(province=lc["province"])
        [group] = figures.current_by(area, LAO_CAI_ON, "group")
        [category] = figures.current_by(area, LAO_CAI_ON, "category")
        [kind] = figures.current_by(area, LAO_CAI_ON, "entity_kind")
        assert (group.total, category.key, category.total, kind.total) == (604, "QD26-11", 604, 604)
        assert kind.label == "Cooperative"

    def test_the_reference_date_decides_what_is_current(self, lc):
        area = Jurisdiction(province=lc["province"])
        # The certificate decided on 1 September 2025 counts from that day; the revoked one (1 March
        # 2025) counted before its revocation.
        assert figures.current_total(area, date(2025, 9, 1)) == 605
        [revoked] = figures.revoked_products(area, date(2025, 3, 1))
        assert figures.revoked_products(area, date(2025, 2, 28)).count() == 0
        assert figures.current_certificates(area, date(2025, 2, 28)).filter(pk=revoked.pk).exists()
        assert not figures.current_certificates(area, date(2025, 3, 1)).filter(pk=revoked.pk).exists()

    def test_it_lists_expired_and_revoked_apart(self, lc):
        area = Jurisdiction(province=lc["province"])
        assert figures.expired_not_reevaluated(area, LAO_CAI_ON).count() == 10
        assert figures.revoked_products(area, LAO_CAI_ON).count() == 1


class TestLangSon:
    """ "215 products certified in 2021–2025, 358% of the period target and 153.6% of the 2030 target;
    235 recognised since 2019 (22 four-star, 213 three-star); 72 expired and not re-evaluated"
    (Báo Nông nghiệp Việt Nam, 20 November 2025)."""

    def test_it_counts_first_certifications_and_all_decisions_in_the_period(self, ls):
        area = Jurisdiction(province=ls["province"])
        assert figures.first_certified(area, date(2021, 1, 1), LANG_SON_ON) == 215
        # + 20 re-evaluations in 2023 of products first certified in 2020 + 2 downgrades in 2025
        assert figures.certifications(area, date(2021, 1, 1), LANG_SON_ON) == 237

    def test_it_counts_the_products_recognised_since_2019_at_their_latest_star(self, ls):
        area = Jurisdiction(province=ls["province"])
        assert figures.recognised_since(area, 2019, LANG_SON_ON) == {3: 213, 4: 22, 5: 0}

    def test_it_counts_the_expired_and_not_re_evaluated(self, ls):
        area = Jurisdiction(province=ls["province"])
        assert figures.expired_not_reevaluated(area, LANG_SON_ON).count() == 72
        assert figures.current_total(area, LANG_SON_ON) == 162  # 20 + 142

    def test_it_counts_what_expires_in_90_days_and_what_is_due_for_re_evaluation(self, ls):
        area = Jurisdiction(province=ls["province"])
        expiring = figures.expiring(area, LANG_SON_ON)
        assert {c.product_id for c in expiring} == {p.pk for p in ls["expiring"]}
        due = figures.reevaluation_due(area, LANG_SON_ON)
        assert {c.product_id for c in due} == {p.pk for p in ls["due"][1:]}  # the first has filed

    def test_it_counts_upgrades_and_downgrades_per_year(self, ls):
        events = events_per_year(Jurisdiction(province=ls["province"]), 2020, 2025)
        assert [events[y]["upgrade"] for y in range(2020, 2026)] == [0, 0, 0, 2, 0, 0]
        assert [events[y]["downgrade"] for y in range(2020, 2026)] == [0, 0, 0, 0, 0, 2]
        assert events[2023]["renewal"] == 18 and events[2023]["revocation"] == 1
        assert events[2024]["lapse"] == 72
        assert [events[y]["issue"] for y in range(2020, 2026)] == [20, 72, 3, 15, 60, 65]

    def test_it_gives_achieved_over_target_to_one_decimal(self, ls):
        province = ls["province"]
        target_set(
            actor=None,
            province=province,
            kind=Target.Kind.FIRST_CERTIFIED,
            start_year=2021,
            end_year=2025,
            value=60,
            source="Kế hoạch OCOP tỉnh Lạng Sơn 2021–2025",
        )
        target_set(
            actor=None,
            province=province,
            kind=Target.Kind.FIRST_CERTIFIED,
            start_year=2021,
            end_year=2030,
            value=140,
            source="Kế hoạch OCOP tỉnh Lạng Sơn đến 2030",
        )
        period, vision = achievements(Jurisdiction(province=province), LANG_SON_ON)
        # The article's "358%" is 358.3 to one decimal: 215 / 60 = 3.58333…
        assert (period.achieved, period.percent) == (215, Decimal("358.3"))
        assert (vision.achieved, vision.percent, vision.until) == (215, Decimal("153.6"), LANG_SON_ON)


def test_it_rounds_half_up_to_one_decimal():
    assert percent(215, 60) == Decimal("358.3")
    assert percent(215, 140) == Decimal("153.6")  # 153.571…
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3, half up (not to even)
    assert percent(2, 3) == Decimal("66.7")


def test_the_province_summary_takes_a_fixed_number_of_queries(ls, django_assert_max_num_queries):
    province = ls["province"]
    for end, value in ((2025, 60), (2030, 140)):
        target_set(
            actor=None,
            province=province,
            kind="first_certified",
            start_year=2021,
            end_year=end,
            value=value,
            source="Kế hoạch",
        )
    area = Jurisdiction(province=Province.objects.get(pk=province.pk))
    with django_assert_max_num_queries(16):
        s = summary(area, LANG_SON_ON)
    assert (s.current, s.first_certified, s.recognised_since_total, s.expired_not_reevaluated) == (
        162,
        215,
        235,
        72,
    )
    assert (s.expiring, s.reevaluation_due, len(s.rows), s.rows_by) == (10, 4, 40, "commune")
    assert [str(a.percent) for a in s.targets] == ["358.3", "153.6"]


def test_it_counts_recognitions_of_the_area(ls):
    lsp = ls["province"]
    product = ls["expiring"][0]
    entity = product.entity
    rows = [
        Recognition(
            entity=entity,
            product=product,
            kind=Recognition.Kind.RURAL_INDUSTRIAL,
            valid_from=date(2022, 1, 1) + timedelta(days=i),
        )
        for i in range(22)
    ]
    rows += [
        Recognition(entity=entity, kind=Recognition.Kind.GOLDEN_BRAND, valid_from=date(2024, 5, 1))
        for _ in range(9)
    ]
    rows.append(
        Recognition(
            entity=entity,
            kind=Recognition.Kind.RURAL_INDUSTRIAL,
            valid_from=date(2019, 5, 1),
            valid_to=date(2020, 5, 1),
        )
    )
    Recognition.objects.bulk_create(rows)
    granted = recognitions_granted(Jurisdiction(province=lsp), date(2021, 1, 1), date(2025, 12, 31))
    assert (granted["rural_industrial"], granted["golden_brand"], granted["vietgap"]) == (22, 9, 0)
    valid = recognitions_valid(Jurisdiction(province=lsp), LANG_SON_ON)
    assert (valid["rural_industrial"], valid["golden_brand"]) == (22, 9)
    assert (
        recognitions_valid(
            Jurisdiction(province=Province.objects.get(name__contains="Cao Bằng")), LANG_SON_ON
        )["golden_brand"]
        == 0
    )


def test_it_sums_scans_per_product_and_month_from_the_daily_rollups(ls, django_assert_num_queries):
    a, b = ls["expiring"][:2]
    scan_rollups(
        *[DailyScanRollup(product=a, day=date(2025, 10, d), scans=10, visitors=4) for d in (1, 2, 31)],
        DailyScanRollup(product=a, day=date(2025, 11, 1), scans=7, visitors=3),
        DailyScanRollup(product=b, day=date(2025, 10, 5), scans=50, visitors=9),
    )
    with django_assert_num_queries(3):  # one per month, then the names
        rows = scans_per_product_month(
            Jurisdiction(province=ls["province"]), date(2025, 10, 1), date(2025, 11, 1)
        )
    assert [(r.product_id, r.month, r.scans, r.visitor_days) for r in rows] == [
        (b.pk, date(2025, 10, 1), 50, 9),
        (a.pk, date(2025, 10, 1), 30, 12),
        (a.pk, date(2025, 11, 1), 7, 3),
    ]
    assert rows[0].name == f"Sản phẩm {b.pk}"
    # `limit` is per month: the most scanned of each month, November's too.
    top = scans_per_product_month(
        Jurisdiction(province=ls["province"]), date(2025, 10, 1), date(2025, 11, 1), limit=1
    )
    assert [(r.product_id, r.month, r.scans) for r in top] == [
        (b.pk, date(2025, 10, 1), 50),
        (a.pk, date(2025, 11, 1), 7),
    ]
    assert (
        scans_per_product_month(Jurisdiction(province=ls["province"]), date(2025, 11, 1), date(2025, 11, 30))[
            0
        ].scans
        == 7
    )


def test_demand_and_capacity_is_the_inquiries_table_for_the_area(english):
    product = make_product(entity=make_entity(), monthly_capacity=500, capacity_unit="kg")
    make_certificate(product=product, stars=4)
    today = timezone.localdate()
    month = today.replace(day=1)
    national = with_role(make_user(), Role.Kind.NATIONAL)
    area = Jurisdiction(province=product.province)
    table = demand_and_capacity(national, area, first_month=month, last_month=month, today=today)
    [row] = table.rows
    assert (row.category.code, row.unit, row.capacity) == ("QD26-11", "kg", 500)
    commune_official = with_role(make_user(), Role.Kind.COMMUNE, commune=product.commune)
    with pytest.raises(PermissionDenied):
        demand_and_capacity(commune_official, area, first_month=month, last_month=month, today=today)


def test_a_province_official_of_two_provinces_starts_with_the_first_and_may_open_the_other():
    a, b = Province.objects.get(name__contains="Lạng Sơn"), Province.objects.get(name__contains="Lào Cai")
    user = with_role(with_role(make_user(), Role.Kind.PROVINCE, province=a), Role.Kind.PROVINCE, province=b)
    assert jurisdiction_for(user).province.code == min(a.code, b.code)
    assert jurisdiction_for(user, province=b.code).province == b


def test_the_other_target_kinds_count_decisions_and_current_products(ls):
    province = ls["province"]
    common = {"actor": None, "start_year": 2021, "end_year": 2025, "source": "Kế hoạch"}
    target_set(province=province, kind=Target.Kind.CERTIFICATIONS, value=200, **common)
    target_set(province=province, kind=Target.Kind.CURRENT, value=150, **common)
    target_set(province=None, kind=Target.Kind.FIRST_CERTIFIED, value=400, **common)  # national
    decisions, current = achievements(Jurisdiction(province=province), LANG_SON_ON)
    assert (decisions.achieved, decisions.percent) == (237, Decimal("118.5"))
    assert (current.achieved, current.percent) == (162, Decimal("108.0"))
    [national] = achievements(NATION, LANG_SON_ON)
    assert (national.achieved, national.percent) == (218, Decimal("54.5"))  # 215 + 3 of Cao Bằng
    # A past reference date counts up to that date only.
    [earlier] = [
        a
        for a in achievements(Jurisdiction(province=province), date(2021, 12, 31))
        if a.target.kind == "certifications"
    ]
    assert earlier.achieved == 72


@pytest.mark.parametrize("records", [lao_cai, lang_son])
@pytest.mark.parametrize("level", ["nation", "province", "commune"])
def test_the_summary_counts_as_the_single_figures_do(records, level):
    """The dashboard reads the latest certificates once (reports.snapshot); each figure alone is its
    own query (reports.figures). Both give the same numbers at every level."""
    data = records()
    on = LAO_CAI_ON if records is lao_cai else LANG_SON_ON
    area = {
        "nation": NATION,
        "province": Jurisdiction(province=data["province"]),
        "commune": Jurisdiction(province=data["province"], commune=data["communes"][1]),
    }[level]
    s = summary(area, on, period=(2021, 2025), since_year=2019)
    by = {"nation": "province", "province": "commune", "commune": "category"}[level]
    assert s.per_star == figures.current_per_star(area, on)
    assert [(r.key, r.label, r.stars) for r in s.rows] == [
        (r.key, r.label, r.stars) for r in figures.current_by(area, on, by)
    ]
    assert [(r.key, r.stars) for r in s.groups] == [
        (r.key, r.stars) for r in figures.current_by(area, on, "group")
    ]
    assert s.communes == figures.communes_with_products(area, on)
    assert s.potential == figures.potential_next_star(area, on)
    assert s.recognised_since == figures.recognised_since(area, 2019, on)
    assert s.expired_not_reevaluated == figures.expired_not_reevaluated(area, on).count()
    assert s.expiring == figures.expiring(area, on).count()
    assert s.expiring_months == expiring_per_month(area, on)
