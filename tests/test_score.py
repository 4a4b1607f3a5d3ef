"""A. The inflammation and bone health score: every band boundary, both sides.

Expected points are docs/model.md's table, written out here by hand.
"""

import pytest

import calc
from calc.score import category
from tests.helpers import points


@pytest.mark.parametrize("age, expected", [
    (18, 0), (39, 0), (40, 3), (49, 3), (50, 6), (59, 6), (60, 10), (69, 10),
    (70, 14), (79, 14), (80, 18), (110, 18)])
def test_age(age, expected):
    assert points({"age": age}, "age") == expected


@pytest.mark.parametrize("menopause, expected", [("no", 0), ("yes", 8), ("early", 12)])
def test_menopause(menopause, expected):
    assert points({"sex": "female", "menopause": menopause}, "menopause") == expected


# Height 200 cm makes BMI = weight / 4 exactly, so the band edges are hit exactly.
@pytest.mark.parametrize("weight, expected", [
    (73.96, 8), (74, 0), (119.96, 0), (120, 3), (300, 3), (25, 8)])
def test_bmi(weight, expected):
    assert points({"height": 200, "weight": weight}, "bmi") == expected


def test_bmi_needs_both_height_and_weight():
    assert points({"weight": 40}, "bmi") == 0
    assert points({"height": 200}, "bmi") == 0
    assert calc.assess({"weight": 40})["bmi"] is None


@pytest.mark.parametrize("smoking, expected", [
    ("non", 0), ("ex", 0), ("light", 5), ("moderate", 5), ("heavy", 5)])
def test_smoking(smoking, expected):
    assert points({"smoking": smoking}, "smoking") == expected


@pytest.mark.parametrize("alcohol, expected", [
    ("none", 0), ("lt1", 0), ("1to2", 0), ("3to6", 5), ("7to9", 5), ("gt9", 5)])
def test_alcohol(alcohol, expected):
    assert points({"alcohol": alcohol}, "alcohol") == expected


@pytest.mark.parametrize("key, factor, expected", [
    ("corticosteroids", "corticosteroids", 10), ("prior_fracture", "prior_fracture", 15),
    ("parent_history", "parent_history", 6), ("ra_sle", "inflammatory_condition", 10),
    ("malabsorption", "inflammatory_condition", 10)])
def test_yes_no_factors(key, factor, expected):
    assert points({key: True}, factor) == expected
    assert points({key: False}, factor) == 0


def test_inflammatory_condition_counts_once():
    assert points({"ra_sle": True, "malabsorption": True}, "inflammatory_condition") == 10


def test_other_conditions_do_not_score():
    for key in ("antidepressants", "cancer", "asthma_copd", "cvd", "dementia", "epilepsy",
                "falls", "liver_disease", "parkinsons", "renal_disease", "type1_diabetes"):
        assert calc.assess({key: True})["score"] == 0


@pytest.mark.parametrize("minutes, expected", [
    (0, 10), (0.01, 7), (74.99, 7), (75, 4), (149.99, 4), (150, 0), (10080, 0)])
def test_exercise(minutes, expected):
    assert points({"exercise_minutes": minutes}, "exercise") == expected


# r = value / upper limit; bands r <= 1, <= 2, <= 4, above (docs/model.md, model v2 points).
@pytest.mark.parametrize("marker, unit, upper, band_points", [
    ("rankl", "ng/mL", 10, (0, 6, 9, 12)), ("rankl", "pg/mL", 10000, (0, 6, 9, 12)),
    ("tnf_alpha", None, 5, (0, 5, 8, 10)), ("il6", None, 5, (0, 5, 8, 10))])
def test_markers_with_default_limits(marker, unit, upper, band_points):
    p0, p1, p2, p3 = band_points
    units = {marker + "_unit": unit} if unit else {}
    cases = [(0, p0), (upper, p0), (upper * 1.001, p1), (upper * 2, p1), (upper * 2.001, p2),
             (upper * 4, p2), (upper * 4.001, p3), (upper * 100, p3)]
    for value, expected in cases:
        assert points({marker: value, **units}, marker) == expected, value


def test_rankl_in_pg_ml_is_not_read_as_ng_ml():
    # The v1 false alarm: 1500 pg/mL (1.5 ng/mL) is well within the 10 ng/mL limit.
    assert points({"rankl": 1500, "rankl_unit": "pg/mL"}, "rankl") == 0
    assert points({"rankl": 1.5, "rankl_unit": "ng/mL"}, "rankl") == 0
    # the reader's own limit is in the same unit as the value
    assert points({"rankl": 1500, "rankl_unit": "pg/mL", "rankl_upper": 1000}, "rankl") == 6


@pytest.mark.parametrize("marker, unit", [("rankl", {"rankl_unit": "ng/mL"}), ("tnf_alpha", {}), ("il6", {})])
def test_markers_with_the_readers_own_limit(marker, unit):
    limit = {marker + "_upper": 8, **unit}
    assert points({marker: 8, **limit}, marker) == 0
    assert points({marker: 8.01, **limit}, marker) > 0
    default = 10 if marker == "rankl" else 5
    assert points({marker: 16, **limit}, marker) == points({marker: 2 * default, **unit}, marker)


@pytest.mark.parametrize("ng_ml, expected", [
    (400, 0), (30, 0), (29.99, 0), (20, 0), (19.99, 10), (19.9, 10), (12, 10), (11.99, 16), (0, 16)])
def test_vitamin_d_in_ng_ml(ng_ml, expected):
    assert points({"vitamin_d": ng_ml, "vitamin_d_unit": "ng/mL"}, "vitamin_d") == expected


# nmol/L / 2.496 = ng/mL: 76 -> 30.4 (0), 74.88 -> 29.999999999999996 (0 since v3),
# 50 -> 20.03 (0), 49.92 -> 20.0 (0), 49.9 -> 19.99 (10), 30 -> 12.02 (10), 29.9 -> 11.98 (16)
@pytest.mark.parametrize("nmol_l, expected", [
    (76, 0), (74.88, 0), (74, 0), (50, 0), (49.92, 0), (49.9, 10), (49.8, 10), (30, 10), (29.9, 16), (1000, 0)])
def test_vitamin_d_in_nmol_l(nmol_l, expected):
    assert points({"vitamin_d": nmol_l, "vitamin_d_unit": "nmol/L"}, "vitamin_d") == expected


def test_the_documented_float_edge_is_real():
    # docs/model.md's example: the division, done as written, lands just under 30.
    assert 74.88 / 2.496 == 29.999999999999996
    assert 0.3 * 10 == 3.0  # and the v1 docs' example was not an edge at all


@pytest.mark.parametrize("mg_l, expected", [
    (0, 0), (0.99, 0), (1, 3), (2, 3), (3, 3), (3.01, 6), (500, 6)])
def test_crp_in_mg_l(mg_l, expected):
    assert points({"crp": mg_l, "crp_unit": "mg/L"}, "crp") == expected


# mg/L = mg/dL x 10: 0.099 -> 0.99 (0), 0.1 -> 1 (3), 0.25 -> 2.5 (3), 0.31 -> 3.1 (6)
@pytest.mark.parametrize("mg_dl, expected", [(0.099, 0), (0.1, 3), (0.25, 3), (0.3, 3), (0.31, 6), (50, 6)])
def test_crp_in_mg_dl(mg_dl, expected):
    assert points({"crp": mg_dl, "crp_unit": "mg/dL"}, "crp") == expected


def test_every_factor_scores_zero_when_not_entered():
    result = calc.assess({})
    assert result["points"] == dict.fromkeys([
        "age", "menopause", "bmi", "smoking", "alcohol", "corticosteroids",
        "inflammatory_condition", "prior_fracture", "parent_history", "exercise",
        "rankl", "tnf_alpha", "il6", "vitamin_d", "crp"], 0)
    assert result["score"] == 0 and result["category"] == "low"


@pytest.mark.parametrize("score, expected", [
    (0, "low"), (19, "low"), (20, "moderate"), (39, "moderate"), (40, "high"),
    (59, "high"), (60, "very_high"), (100, "very_high")])
def test_category_edges(score, expected):
    assert category(score) == expected


def test_score_is_the_sum_capped_at_100():
    everything = {"age": 90, "sex": "female", "menopause": "early", "height": 150, "weight": 40,
                  "smoking": "heavy", "alcohol": "gt9", "corticosteroids": 1, "ra_sle": 1,
                  "prior_fracture": 1, "parent_history": 1, "exercise_minutes": 0, "rankl": 1000,
                  "rankl_unit": "ng/mL", "tnf_alpha": 1000, "il6": 1000, "vitamin_d": 1,
                  "vitamin_d_unit": "ng/mL", "crp": 100, "crp_unit": "mg/L"}
    result = calc.assess(everything)
    # 18 + 12 + 8 + 5 + 5 + 10 + 10 + 15 + 6 + 10 + 12 + 10 + 10 + 16 + 6 = 153
    assert sum(result["points"].values()) == 153
    assert result["score"] == 100
