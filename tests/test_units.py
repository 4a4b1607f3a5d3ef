"""Units: lab units chosen, never assumed; imperial height and weight (docs/model.md, "Inputs").

Expected values are worked out here by hand from the conversions the model states:
in -> cm x 2.54; lb -> kg x 0.45359237; ft_in and st_lb via total inches or pounds.
"""

import pytest

import calc
from tests.helpers import errors_of, fields_in_error, points


# --- lab units are required, with the unit's own message

@pytest.mark.parametrize("lab, unit_key, names", [
    ("vitamin_d", "vitamin_d_unit", "ng/mL or nmol/L"), ("crp", "crp_unit", "mg/L or mg/dL"),
    ("rankl", "rankl_unit", "ng/mL or pg/mL")])
def test_a_lab_value_without_its_unit_is_an_error_on_the_unit(lab, unit_key, names):
    errors = errors_of({lab: "45"})
    assert [e["field"] for e in errors] == [unit_key]
    assert errors[0]["message"].endswith(f"choose the unit printed on your report ({names}).")


def test_the_missing_unit_message_reads_as_the_model_words_it():
    assert errors_of({"vitamin_d": 45})[0]["message"] == (
        "Vitamin D: choose the unit printed on your report (ng/mL or nmol/L).")


def test_a_unit_without_its_value_is_ignored_but_a_bad_unit_is_not():
    assert calc.assess({"vitamin_d_unit": "nmol/L", "crp_unit": "mg/dL", "rankl_unit": "pg/mL"})["score"] == 0
    assert [e["field"] for e in errors_of({"crp_unit": "g/L"})] == ["crp_unit"]


@pytest.mark.parametrize("typed, unit", [("nmol/l", "nmol/L"), ("NMOL/L", "nmol/L"), ("ng/ml", "ng/mL"),
                                         ("MG/DL", "mg/dL"), ("PG/ML", "pg/mL"), ("CM", "cm"), ("ST_LB", "st_lb")])
def test_unit_choices_ignore_case(typed, unit):
    key, value = {"nmol/L": ("vitamin_d_unit", "40"), "ng/mL": ("vitamin_d_unit", "20"), "mg/dL": ("crp_unit", "0.4"),
                  "pg/mL": ("rankl_unit", "10"), "cm": ("height_unit", "160"),
                  "st_lb": ("weight_unit", "9 st 6")}[unit]
    field = key.removesuffix("_unit")
    typed_result = calc.assess({field: value, key: typed})
    assert typed_result == calc.assess({field: value, key: unit})  # read as the unit it names


def test_other_choices_still_match_exactly():
    assert [e["field"] for e in errors_of({"sex": "Female"})] == ["sex"]


def test_a_non_number_without_a_unit_reports_both():
    assert sorted(e["field"] for e in errors_of({"crp": "lots"})) == ["crp", "crp_unit"]


def test_a_value_without_its_unit_gets_no_invented_range_error():
    # 900 is too big for ng/mL but fine in nmol/L: without the unit, say only "choose the unit"
    assert [e["field"] for e in errors_of({"vitamin_d": 900})] == ["vitamin_d_unit"]


# --- the v1 misreadings that model v2 fixes

def test_uk_vitamin_d_in_nmol_l_is_not_read_as_ng_ml():
    # 40 nmol/L is 16.0 ng/mL: low (10 points), not "30 or more" (0 points)
    assert points({"vitamin_d": 40, "vitamin_d_unit": "nmol/L"}, "vitamin_d") == 10
    # 160 nmol/L is 64.1 ng/mL: no toxicity finding
    result = calc.assess({"vitamin_d": 160, "vitamin_d_unit": "nmol/L"})
    assert not [f for f in result["findings"] if f["code"].startswith("vitamin_d")]


# --- height and weight in imperial units

@pytest.mark.parametrize("typed, inches", [
    ("5'3\"", 63), ("5' 3", 63), ("5 ft 3 in", 63), ("5ft3", 63), ("5 ft", 60), ("5'", 60),
    ("5 FT 3 IN", 63), ("5 feet 3 inches", 63), ("5 foot 3 inch", 63), ("5\u2019 3\u201d", 63),
    ("5\u2032 3\u2033", 63), ("5' 3''", 63), ("5 ft 3.5", 63.5), ("5 ft 3,5 in", 63.5),
    ("  6 ft 0 in ", 72), ("4'11\"", 59), ("5 ft 11.9", 71.9)])
def test_feet_and_inches(typed, inches):
    # weight 100 kg: BMI = 100 / (inches * 2.54 / 100)^2
    result = calc.assess({"height": typed, "height_unit": "ft_in", "weight": 100})
    metres = inches * 2.54 / 100
    assert result["bmi"] == pytest.approx(100 / (metres * metres), rel=1e-12)


@pytest.mark.parametrize("typed", ["5.3", "63", 63, "5 ft 12", "5 ft 3 ft", "five ft", "5 3",
                                   "ft 3", "9 ft", "2 ft 11", "5 ft -3", "5' 3\" 2", "5,5 ft"])
def test_feet_and_inches_errors_show_the_expected_form_or_the_limit(typed):
    errors = errors_of({"height": typed, "height_unit": "ft_in"})
    assert [e["field"] for e in errors] == ["height"]
    message = errors[0]["message"]
    assert "5 ft 3" in message or "from 3 to 8" in message or "under 12" in message


@pytest.mark.parametrize("typed, pounds", [
    ("9 st 2 lb", 128), ("9st 2", 128), ("9 st", 126), ("9st2lb", 128), ("9 STONE 2 POUNDS", 128),
    ("9 stones 2 lbs", 128), ("9 st 2.5", 128.5), ("9 st 2,5 lb", 128.5), ("12 st 13.9", 181.9)])
def test_stones_and_pounds(typed, pounds):
    result = calc.assess({"weight": typed, "weight_unit": "st_lb", "height": 200})
    assert result["bmi"] == pytest.approx(pounds * 0.45359237 / 4, rel=1e-12)


@pytest.mark.parametrize("typed", ["9.2", "128", 128, "9 st 14", "0 st 5", "51 st", "st 2", "9 lb 2 st"])
def test_stones_and_pounds_errors(typed):
    errors = errors_of({"weight": typed, "weight_unit": "st_lb"})
    assert [e["field"] for e in errors] == ["weight"]


def test_inches_and_pounds_are_plain_numbers():
    result = calc.assess({"height": "70", "height_unit": "in", "weight": "154,5", "weight_unit": "lb"})
    metres = 70 * 2.54 / 100
    assert result["bmi"] == pytest.approx(154.5 * 0.45359237 / (metres * metres), rel=1e-12)
    assert [e["field"] for e in errors_of({"height": "5 ft 10", "height_unit": "in"})] == ["height"]


@pytest.mark.parametrize("inputs, shown", [
    # 100 cm = 39.37 in and 250 cm = 98.43 in, cut inward to one decimal
    ({"height": "39.3", "height_unit": "in"}, "(39.4 in to 98.4 in)"),
    ({"height": "3 ft 3", "height_unit": "ft_in"}, "(3 ft 3.4 in to 8 ft 2.4 in)"),
    # 25 kg = 55.12 lb = 3 st 13.12 lb; 300 kg = 661.39 lb = 47 st 3.39 lb
    ({"weight": "55", "weight_unit": "lb"}, "(55.2 lb to 661.3 lb)"),
    ({"weight": "48 st", "weight_unit": "st_lb"}, "(3 st 13.2 lb to 47 st 3.3 lb)"),
])
def test_range_is_checked_after_conversion_and_also_given_in_the_readers_unit(inputs, shown):
    message = errors_of(inputs)[0]["message"]
    assert "from 100 to 250 cm" in message or "from 25 to 300 kg" in message
    assert shown in message


@pytest.mark.parametrize("inside, outside, cm, kg", [
    # 1 in = 2.54 cm, 1 lb = 0.45359237 kg; the ranges are 100 to 250 cm and 25 to 300 kg
    ({"height": "39.4", "height_unit": "in"}, {"height": "39.3", "height_unit": "in"}, 100.076, 60),
    ({"height": "8 ft 2.4", "height_unit": "ft_in"}, {"height": "8 ft 2.5", "height_unit": "ft_in"}, 249.936, 60),
    ({"weight": "3 st 13.2", "weight_unit": "st_lb"}, {"weight": "3 st 13.1", "weight_unit": "st_lb"},
     160, 55.2 * 0.45359237),
    ({"weight": "661.3", "weight_unit": "lb"}, {"weight": "661.4", "weight_unit": "lb"}, 160, 661.3 * 0.45359237),
])
def test_imperial_range_edges(inside, outside, cm, kg):
    other = {"height": 160, "height_unit": "cm"} if "weight" in inside else {"weight": 60, "weight_unit": "kg"}
    bmi = calc.assess({**inside, **other})["bmi"]  # accepted, and converted as written above
    assert bmi == pytest.approx(kg / (cm / 100) ** 2, rel=1e-9)
    assert fields_in_error({**outside, **other}) == [next(iter(outside))]  # a tenth further is refused


def test_ost_uses_weight_in_kg_after_conversion():
    # 11 st = 154 lb = 69.853 kg; (69.853 - 60) / 5 = 1.97 -> 1: low for women
    ost = calc.assess({"sex": "female", "age": 60, "weight": "11 st", "weight_unit": "st_lb"})["ost"]
    assert ost == {"index": 1, "category": "low", "population": "women"}
