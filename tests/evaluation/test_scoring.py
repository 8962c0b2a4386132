from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from evaluation.scoring import Band, CriterionRule, outcome_compute

BANDS = [
    Band(5, Decimal(90), Decimal(100), True, True),
    Band(4, Decimal(70), Decimal(90), False, True),
    Band(3, Decimal(50), Decimal(70), False, True),
    Band(2, Decimal(30), Decimal(50), False, False),
    Band(1, Decimal(0), Decimal(30), False, False),
]
# Two criteria: "origin" (max 10, needs 5 for 4★ and 8 for 5★) and "rest" (max 90).
RULES = [
    CriterionRule(1, "A.1.1 Nguồn nguyên liệu", 10, {4: 5, 5: 8}),
    CriterionRule(2, "B.3 Câu chuyện sản phẩm", 90, {}),
]


def _compute(scores, *, level_max=4, knockouts=None):
    return outcome_compute(
        rules=RULES,
        bands=BANDS,
        scores=scores,
        max_star_certified=level_max,
        spread_limit=Decimal(10),
        knockout_reasons=knockouts,
    )


def test_it_averages_the_members_totals_and_bands_the_star():
    outcome = _compute({"an": {1: 10, 2: 62}, "binh": {1: 10, 2: 65}, "chi": {1: 10, 2: 68}})
    assert outcome.average_total == Decimal("75.00")
    assert (outcome.band_stars, outcome.stars, outcome.certifiable) == (4, 4, True)


def test_a_criterion_below_its_minimum_caps_the_star():
    outcome = _compute({"an": {1: 4, 2: 76}, "binh": {1: 4, 2: 76}})
    assert (outcome.band_stars, outcome.stars) == (4, 3)
    assert outcome.capped_by == [
        {"criterion": "A.1.1 Nguồn nguyên liệu", "star": 4, "minimum": 5, "average": "4.00"}
    ]


def test_a_score_above_the_level_is_a_potential_higher_star():
    outcome = _compute({"an": {1: 9, 2: 83}, "binh": {1: 9, 2: 81}})
    assert outcome.average_total == Decimal("91.00")
    assert (outcome.stars, outcome.potential_stars) == (4, 5)
    central = _compute({"an": {1: 9, 2: 83}, "binh": {1: 9, 2: 81}}, level_max=5)
    assert (central.stars, central.potential_stars) == (5, None)


def test_the_band_boundaries_follow_article_3():
    just_below = _compute({"an": {1: 8, 2: 81}, "binh": {1: 8, 2: 82}}, level_max=5)  # 89.5
    assert just_below.average_total == Decimal("89.50") and just_below.stars == 4
    exactly = _compute({"an": {1: 8, 2: 82}}, level_max=5)
    assert exactly.stars == 5


def test_a_knock_out_rejects_whatever_the_score():
    outcome = _compute({"an": {1: 10, 2: 85}}, knockouts=["Không có giấy chứng nhận ATTP"])
    assert outcome.knocked_out and not outcome.certifiable
    assert outcome.next_star is None


def test_two_stars_is_not_certified():
    outcome = _compute({"an": {1: 5, 2: 40}})
    assert (outcome.stars, outcome.certifiable) == (2, False)


def test_members_far_apart_are_asked_to_rediscuss():
    assert _compute({"an": {1: 5, 2: 60}, "binh": {1: 5, 2: 71}}).needs_rediscussion
    assert not _compute({"an": {1: 5, 2: 60}, "binh": {1: 5, 2: 70}}).needs_rediscussion


def test_it_says_what_would_lift_the_product_to_the_next_star():
    outcome = _compute({"an": {1: 4, 2: 61}, "binh": {1: 4, 2: 62}})  # 65.5
    assert outcome.next_star["stars"] == 4
    assert outcome.next_star["points_short"] == "4.50"
    assert outcome.next_star["unmet_minimums"][0]["criterion"] == "A.1.1 Nguồn nguyên liệu"
    assert outcome.next_star["criteria_with_room"][0] == {
        "criterion": "B.3 Câu chuyện sản phẩm",
        "room": "28.50",
    }


member_scores = st.dictionaries(
    st.sampled_from(["an", "binh", "chi", "dung", "em"]),
    st.fixed_dictionaries({1: st.integers(0, 10), 2: st.integers(0, 90)}),
    min_size=1,
)


@given(member_scores, st.sampled_from([4, 5]))
def test_the_result_never_exceeds_the_band_nor_the_members(scores, level_max):
    outcome = _compute(scores, level_max=level_max)
    totals = [sum(s.values()) for s in scores.values()]
    assert min(totals) <= outcome.average_total <= max(totals)
    assert outcome.stars <= outcome.band_stars
    assert outcome.stars <= level_max
    if outcome.potential_stars is not None:
        assert outcome.stars < outcome.potential_stars <= outcome.band_stars
