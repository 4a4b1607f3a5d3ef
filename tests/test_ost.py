"""B. OST: index = (weight - age) / 5 truncated toward zero; cut-offs per population."""

import pytest

import calc


def ost(sex, age, weight):
    return calc.assess({"sex": sex, "age": age, "weight": weight})["ost"]


# Age 50: weight = 50 + 5 * index gives each index exactly.
@pytest.mark.parametrize("index, expected", [
    (-5, "high"), (-4, "moderate"), (-2, "moderate"), (-1, "moderate"), (0, "low"), (5, "low")])
def test_women_cutoffs(index, expected):
    assert ost("female", 50, 50 + 5 * index) == {"index": index, "category": expected, "population": "women"}


# Adler 2003: high -2 or less, moderate -1 to 3, low 4 or more.
@pytest.mark.parametrize("index, expected", [
    (-5, "high"), (-2, "high"), (-1, "moderate"), (0, "moderate"), (3, "moderate"), (4, "low"), (5, "low")])
def test_men_cutoffs(index, expected):
    assert ost("male", 50, 50 + 5 * index) == {"index": index, "category": expected, "population": "men"}


def test_truncation_is_toward_zero():
    # (55.5 - 60) / 5 = -0.9 -> 0, not -1 (floor would say -1, moderate)
    assert ost("female", 60, 55.5) == {"index": 0, "category": "low", "population": "women"}
    # (60 - 84) / 5 = -4.8 -> -4 (moderate), not -5 (high)
    assert ost("female", 84, 60)["index"] == -4
    # (64.9 - 50) / 5 = 2.98 -> 2
    assert ost("male", 50, 64.9)["index"] == 2


def test_needs_sex_weight_and_age_of_45_or_more():
    assert ost("female", 44, 50) is None
    assert ost("female", 45, 50) == {"index": 1, "category": "low", "population": "women"}
    assert calc.assess({"age": 60, "weight": 60})["ost"] is None
    assert calc.assess({"age": 60, "sex": "male"})["ost"] is None
    assert calc.assess({"weight": 60, "sex": "male"})["ost"] is None


def test_why_not_is_reported_as_a_note():
    cases = [({"age": 60, "weight": 60}, "ost_no_sex"), ({"sex": "male", "weight": 60}, "ost_no_age"),
             ({"sex": "male", "age": 44, "weight": 60}, "ost_under_45"),
             ({"sex": "male", "age": 60}, "ost_no_weight")]
    for inputs, code in cases:
        codes = [n["code"] for n in calc.assess(inputs)["notes"]]
        assert code in codes and not any(c.startswith("ost_") and c != code for c in codes), (inputs, codes)
    assert not any(n["code"].startswith("ost_")
                   for n in calc.assess({"sex": "male", "age": 60, "weight": 60})["notes"])
