"""Parsing and validation rules of docs/model.md, one at a time."""

import math

import pytest

import calc
from tests.helpers import errors_of, fields_in_error


def value_of(key, raw, **other):
    """How `raw` for `key` is understood, seen through a score that reads it."""
    return calc.assess({key: raw, **other})


# --- numbers

@pytest.mark.parametrize("raw", [62.5, "62.5", "62,5", " 62.5 ", "\t62,5\n", "+62.5"])
def test_number_spellings_are_the_same_value(raw):
    # the BMI shows the exact value the weight was read as
    result = calc.assess({"height": 200, "weight": raw})
    assert result["bmi"] == 62.5 / 4


@pytest.mark.parametrize("raw", ["1e2", "1E2", "1,000.5", "1.000,5", "1_000", "12,5,0", "12.5.1",
                                 "nan", "NaN", "inf", "-inf", "Infinity", "twelve", "12 kg",
                                 "\u0661\u0662", "0x10", ",", ".", "+", "--5", "5-"])
def test_malformed_number_strings_are_errors(raw):
    errors = errors_of({"weight": raw})
    assert [e["field"] for e in errors] == ["weight"]
    assert "Weight" in errors[0]["message"]
    assert "25 to 300" in errors[0]["message"]


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), -float("inf"), True, False,
                                 [70], {"kg": 70}, 10 ** 400, "9" * 400])
def test_non_numbers_and_non_finite_values_are_errors(raw):
    assert fields_in_error({"weight": raw}) == ["weight"]


def test_signs_are_allowed_and_then_range_checked():
    assert calc.assess({"exercise_minutes": "+0"})["points"]["exercise"] == 10
    assert calc.assess({"exercise_minutes": "-0"})["points"]["exercise"] == 10
    errors = errors_of({"exercise_minutes": "-5"})
    assert "Exercise" in errors[0]["message"] and "0 to 10080" in errors[0]["message"]


def test_a_lone_comma_is_the_decimal_mark():
    assert calc.assess({"height": 200, "weight": "100,5"})["bmi"] == 100.5 / 4
    assert calc.assess({"height": 200, "weight": "100,0000"})["bmi"] == 25.0


@pytest.mark.parametrize("raw", ["1,000", "100,000", "12,500", "+1,000", "0,125"])
def test_a_comma_and_exactly_three_digits_is_ambiguous(raw):
    # docs/model.md: "1,000" could be a thousand or one; ask rather than guess.
    errors = errors_of({"exercise_minutes": raw})
    assert [e["field"] for e in errors] == ["exercise_minutes"]
    assert "thousands separator" in errors[0]["message"]


@pytest.mark.parametrize("raw", [None, ""])
def test_none_and_empty_string_mean_not_entered(raw):
    result = calc.assess({"age": raw, "weight": raw, "sex": raw, "falls": raw, "vitamin_d_unit": raw})
    assert result["points"]["age"] == 0 and result["bmi"] is None


def test_whitespace_only_means_not_entered():
    result = calc.assess({"age": "   ", "sex": " \t", "falls": "  "})
    assert result["answered"]["age"] is False and result["points"]["age"] == 0


# --- whole numbers (age)

@pytest.mark.parametrize("raw", [65, 65.0, "65", "65.0", "65,0", " 65 "])
def test_age_whole_number_spellings(raw):
    assert calc.assess({"age": raw})["points"]["age"] == 10


@pytest.mark.parametrize("raw", [65.5, "65.5", "65,5", 17, 111, "17", 0, -65, True])
def test_age_must_be_whole_and_in_range(raw):
    errors = errors_of({"age": raw})
    assert [e["field"] for e in errors] == ["age"]
    assert "Age" in errors[0]["message"] and "18 to 110" in errors[0]["message"]


def test_age_limits_themselves_are_allowed():
    assert calc.assess({"age": 18})["points"]["age"] == 0
    assert calc.assess({"age": 110})["points"]["age"] == 18


# --- ranges of every number field, both sides

RANGES = {  # docs/model.md's table
    "height": (100, 250), "weight": (25, 300), "exercise_minutes": (0, 10080),
    "rankl": (0, 1000), "tnf_alpha": (0, 10000), "il6": (0, 10000),
}
UNITS = {"rankl": {"rankl_unit": "ng/mL"}}


@pytest.mark.parametrize("key", sorted(RANGES))
def test_number_ranges_are_inclusive(key):
    low, high = RANGES[key]
    unit = UNITS.get(key, {})
    calc.assess({key: low, **unit})
    calc.assess({key: high, **unit})
    for outside in (low - 0.01, high + 0.01):
        errors = errors_of({key: outside, **unit})
        assert [e["field"] for e in errors] == [key]
        assert f"{low} to {high}" in errors[0]["message"]


@pytest.mark.parametrize("unit, high", [("ng/mL", 400), ("nmol/L", 1000)])
def test_vitamin_d_range_depends_on_its_unit(unit, high):
    calc.assess({"vitamin_d": high, "vitamin_d_unit": unit})
    calc.assess({"vitamin_d": 0, "vitamin_d_unit": unit})
    errors = errors_of({"vitamin_d": high + 0.1, "vitamin_d_unit": unit})
    assert [e["field"] for e in errors] == ["vitamin_d"]
    assert f"0 to {high} {unit}" in errors[0]["message"]


@pytest.mark.parametrize("unit, high", [("mg/L", 500), ("mg/dL", 50)])
def test_crp_range_depends_on_its_unit(unit, high):
    calc.assess({"crp": high, "crp_unit": unit})
    errors = errors_of({"crp": high + 0.1, "crp_unit": unit})
    assert [e["field"] for e in errors] == ["crp"]
    assert f"0 to {high} {unit}" in errors[0]["message"]


def test_a_bad_unit_reports_the_unit_and_does_not_invent_a_range_error():
    errors = errors_of({"vitamin_d": 900, "vitamin_d_unit": "nmol"})
    assert [e["field"] for e in errors] == ["vitamin_d_unit"]
    assert "ng/mL, nmol/L" in errors[0]["message"]


def test_a_bad_unit_and_a_non_number_both_report():
    assert sorted(fields_in_error({"crp": "lots", "crp_unit": "g"})) == ["crp", "crp_unit"]


@pytest.mark.parametrize("key, unit, high", [("rankl_upper", {"rankl_unit": "ng/mL"}, 1000),
                                             ("rankl_upper", {"rankl_unit": "pg/mL"}, 1000000),
                                             ("tnf_alpha_upper", {}, 10000), ("il6_upper", {}, 10000)])
def test_upper_limits_have_a_sensible_minimum_and_the_fields_maximum(key, unit, high):
    # A limit of 0 would divide by zero; one of 1e-300 would make the ratio infinite.
    calc.assess({key: 0.001, **unit})
    calc.assess({key: high, **unit})
    for bad in (0, -1, 0.0009, "0,0000000001", high + 0.5):
        errors = errors_of({key: bad, **unit})
        assert [e["field"] for e in errors] == [key]
        assert f"from 0.001 to {high}" in errors[0]["message"]


# --- booleans

@pytest.mark.parametrize("raw", [True, 1, "true", "TRUE", "True", "yes", "YES", "on", "On", "1", " yes "])
def test_true_spellings(raw):
    assert calc.assess({"prior_fracture": raw})["points"]["prior_fracture"] == 15


@pytest.mark.parametrize("raw", [False, 0, "false", "FALSE", "no", "No", "off", "OFF", "0", "", None])
def test_false_spellings(raw):
    assert calc.assess({"prior_fracture": raw})["points"]["prior_fracture"] == 0


@pytest.mark.parametrize("raw", [2, -1, 1.0, 0.5, "y", "n", "maybe", "ja", "2"])
def test_other_boolean_values_are_errors(raw):
    errors = errors_of({"falls": raw})
    assert [e["field"] for e in errors] == ["falls"]
    assert "Falls" in errors[0]["message"] and "yes or no" in errors[0]["message"]


@pytest.mark.parametrize("raw", [[], {}, [True], object()])
def test_containers_and_objects_are_errors_for_any_field(raw):
    for key in ("falls", "age", "sex", "vitamin_d"):
        errors = errors_of({key: raw, "vitamin_d_unit": "ng/mL"})
        assert [e["field"] for e in errors] == [key]
        assert "not text or a number" in errors[0]["message"]


# --- choices

CHOICES = {  # docs/model.md's table, in order
    "sex": ["female", "male"],
    "menopause": ["no", "yes", "early"],
    "ethnicity": ["white", "indian", "pakistani", "bangladeshi", "other_asian",
                  "black_caribbean", "black_african", "chinese", "other"],
    "smoking": ["non", "ex", "light", "moderate", "heavy"],
    "alcohol": ["none", "lt1", "1to2", "3to6", "7to9", "gt9"],
    "vitamin_d_unit": ["ng/mL", "nmol/L"],
    "crp_unit": ["mg/L", "mg/dL"],
}


@pytest.mark.parametrize("key", sorted(CHOICES))
def test_every_listed_choice_is_accepted(key):
    assert [value for value, _ in calc.FIELDS_BY_KEY[key].choices] == CHOICES[key]  # the same list, in order
    for value in CHOICES[key]:
        result = calc.assess({key: value, "sex": "female"} if key == "menopause" else {key: value})
        if key in result["answered"]:  # a scored factor: the choice counts as an answer
            assert result["answered"][key] is True, (key, value)


@pytest.mark.parametrize("key, raw", [("sex", "Female"), ("sex", " female"), ("sex", "f"), ("sex", 1),
                                      ("smoking", "never"), ("alcohol", "3-6"), ("ethnicity", "White"),
                                      ("vitamin_d_unit", "ng/m"), ("crp_unit", "mg"), ("sex", True)])
def test_choices_must_match_exactly(key, raw):
    errors = errors_of({key: raw})
    assert [e["field"] for e in errors] == [key]
    for value in CHOICES[key]:
        assert value in errors[0]["message"]


# --- sex-specific fields and combinations

@pytest.mark.parametrize("key, value, sex", [
    ("menopause", "yes", "female"), ("menopause", "early", "female"), ("hrt", True, "female"),
    ("endocrine", "yes", "female"), ("care_home", "1", "male")])
def test_sex_specific_fields_need_the_matching_sex(key, value, sex):
    other = "male" if sex == "female" else "female"
    calc.assess({key: value, "sex": sex})
    for given in ({"sex": other}, {}):
        errors = errors_of({key: value, **given})
        assert [e["field"] for e in errors] == [key]
        assert sex in errors[0]["message"]


@pytest.mark.parametrize("key, default", [("menopause", "no"), ("hrt", False), ("endocrine", "no"),
                                          ("care_home", "0")])
def test_sex_specific_fields_at_their_default_are_fine_for_anyone(key, default):
    for given in ({"sex": "male"}, {"sex": "female"}, {}):
        with_default, without = calc.assess({key: default, "age": 70, **given}), calc.assess({"age": 70, **given})
        # accepted, and the default adds nothing: the same score, points and QFracture as no answer
        for part in ("score", "points", "qfracture"):
            assert with_default[part] == without[part], (key, given, part)


def test_no_sex_specific_pile_up_when_sex_itself_is_invalid():
    assert fields_in_error({"sex": "F", "menopause": "yes"}) == ["sex"]


def test_both_diabetes_types_is_an_error_on_both_fields():
    errors = errors_of({"type1_diabetes": True, "type2_diabetes": "yes"})
    assert sorted(e["field"] for e in errors) == ["type1_diabetes", "type2_diabetes"]
    calc.assess({"type1_diabetes": True})
    calc.assess({"type2_diabetes": True})


# --- error collection

def test_unknown_keys_are_errors():
    errors = errors_of({"agee": 50, "age": 50})
    assert [e["field"] for e in errors] == ["agee"]
    assert "agee" in errors[0]["message"]


def test_every_problem_is_collected_not_only_the_first():
    bad = {"age": 12, "sex": "x", "weight": "heavy", "falls": "maybe", "crp": -1, "colour": "blue"}
    assert sorted(fields_in_error({**bad, "crp_unit": "mg/L"})) == sorted(bad)


def test_every_message_names_its_field_and_says_what_is_allowed():
    bad = {"age": "old", "height": 99, "smoking": "lots", "care_home": "perhaps", "il6_upper": 0}
    for error in errors_of(bad):
        label = calc.FIELDS_BY_KEY[error["field"]].label
        assert error["message"].startswith(label)
        assert "must" in error["message"]


def test_validation_error_is_a_value_error_with_structured_errors():
    with pytest.raises(ValueError) as caught:
        calc.assess({"age": 5})
    assert isinstance(caught.value, calc.ValidationError)
    assert caught.value.errors == [{"field": "age", "message": caught.value.errors[0]["message"]}]
    assert "Age" in str(caught.value)


@pytest.mark.parametrize("inputs", [None, [], [("age", 50)], "age=50", 42, 3.5])
def test_anything_but_a_mapping_is_a_validation_error(inputs):
    errors = errors_of(inputs)
    assert errors[0]["field"] == "inputs"


def test_assess_does_not_change_its_input():
    inputs = {"age": "65", "sex": "female", "vitamin_d": "40", "vitamin_d_unit": "nmol/L"}
    copy = dict(inputs)
    calc.assess(inputs)
    assert inputs == copy


def test_huge_and_tiny_values_never_become_nan_or_infinite():
    result = calc.assess({"rankl": "1000000", "rankl_unit": "pg/mL", "rankl_upper": "0.001"})
    assert result["points"]["rankl"] == 12
    assert not math.isnan(result["score"])
    assert all("inf" not in f["text"] for f in result["findings"])
