"""B. OST: index = (weight - age) / 5 truncated toward zero; cut-offs per population."""

import pytest

import calc


def ost(sex, age, weight):
    return calc.assess({"sex": sex, "age": age, "weight_kg": weight})["ost"]


# Age 50: weight = 50 + 5 * index gives each index exactly.
@pytest.mark.parametrize("index, expected", [
    (-5, "high"), (-4, "moderate"), (-2, "moderate"), (-1, "moderate"), (0, "low"), (5, "low")])
def test_women_cutoffs(index, expected):
    assert ost("female", 50, 50 + 5 * index) == {"index": index, "category": expected, "population": "women"}


@pytest.mark.parametrize("index, expected", [
    (-5, "high"), (-2, "high"), (-1, "moderate"), (4, "moderate"), (5, "low")])
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
    assert calc.assess({"age": 60, "weight_kg": 60})["ost"] is None
    assert calc.assess({"age": 60, "sex": "male"})["ost"] is None
    assert calc.assess({"weight_kg": 60, "sex": "male"})["ost"] is None
