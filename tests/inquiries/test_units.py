"""Units as producers declare capacity and buyers ask: weights and volumes convert, others match by name."""

from fractions import Fraction

from inquiries.units import unit_convert, unit_parse


def test_it_converts_tonnes_quintals_and_grams_to_kilograms():
    assert unit_convert(2, source="tấn", target="kg") == 2000
    assert unit_convert(3, source="tạ", target="kg") == 300
    assert unit_convert(1500, source="kg", target="tấn") == Fraction(3, 2)
    assert unit_convert(500, source="g", target="kg") == Fraction(1, 2)
    assert unit_convert(2, source="Tan", target="KG") == 2000  # typed without diacritics


def test_it_converts_litres_and_millilitres():
    assert unit_convert(1, source="lít", target="ml") == 1000
    assert unit_convert(750, source="ml", target="l") == Fraction(3, 4)


def test_it_matches_other_units_only_by_the_same_name_folded():
    assert unit_convert(10, source="Hộp", target="hop") == 10
    assert unit_convert(10, source="hộp", target="chai") is None
    assert unit_convert(10, source="hộp", target="kg") is None


def test_it_keeps_a_dozen_apart_from_a_quintal():
    # "tá" (a dozen) and "tạ" (100 kg) fold to the same letters; only "tạ" is a weight.
    assert unit_parse("tạ").dimension == "mass"
    assert unit_parse("tá").dimension == "count:ta"
    assert unit_parse("") is None
