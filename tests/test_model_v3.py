"""Model version 3, rule by rule (docs/model.md): golden cases worked out by hand.

QFracture figures that a rule reads come from tests.helpers.qfracture_by_hand,
worked out from the published coefficients apart from calc.qfracture, or from
ClinRisk's reference values (female 80, BMI 25: 10.959%).
"""

import json
import re

import pytest

import calc
from tests.helpers import errors_of, qfracture_by_hand


def result(**inputs):
    return calc.assess(inputs)


def codes(items):
    return [item["code"] for item in items]


def text_of(items, code):
    found = [item["text"] for item in items if item["code"] == code]
    assert len(found) == 1, (code, codes(items))
    return found[0]


# --- fracture_followup: whenever there was a fracture, worded by age (NOGG 2022)

def test_followup_at_50_asks_about_treatment_to_prevent_another():
    text = text_of(result(age=50, prior_fracture=True)["recommendations"], "fracture_followup")
    assert "treatment to prevent another" in text and "scan" in text and "NOGG 2022" in text
    assert "tests for a cause" not in text


def test_followup_at_49_asks_about_tests_for_a_cause():
    text = text_of(result(age=49, prior_fracture=True)["recommendations"], "fracture_followup")
    assert "little force" in text and "tests for a cause" in text
    assert "treatment to prevent another" not in text


def test_followup_with_no_age_says_both_in_one_sentence():
    text = text_of(result(prior_fracture=True)["recommendations"], "fracture_followup")
    assert "prevent another" in text and "tests for a cause" in text
    assert text.count(". ") == 0 and text.endswith(".")


def test_no_followup_without_a_fracture():
    assert "fracture_followup" not in codes(result(age=70, prior_fracture=False)["recommendations"])
    assert "fracture_followup" not in codes(result(age=70)["recommendations"])


def test_the_guideline_steps_come_first_in_order():
    recs = codes(result(sex="male", age=80, prior_fracture=True, corticosteroids=True, falls=True,
                        crp=60, crp_unit="mg/L")["recommendations"])
    assert recs[:3] == ["fracture_risk_assessment", "fracture_followup", "dxa_scan"]


# --- dxa_scan: each trigger, with a reason a reader understands, and its absence

def dxa_text(**inputs):
    recs = result(**inputs)["recommendations"]
    return text_of(recs, "dxa_scan") if "dxa_scan" in codes(recs) else None


def test_scan_reason_ost_high():
    # man of 65, 45 kg: (45 - 65) / 5 = -4, high (-2 or less); no QFracture without height
    assert "OST index is in the high range" in dxa_text(sex="male", age=65, weight=45)


def test_scan_reason_osteoporotic_risk_10_percent():
    # woman of 80, BMI 25: 10.959% (ClinRisk); OST (100 - 80) / 5 = 4: low
    text = dxa_text(sex="female", age=80, height=200, weight=100)
    assert "hip, spine, wrist or shoulder fracture" in text and "10% or more" in text and "SIGN 142" in text
    assert "OST" not in text


def test_scan_for_a_man_of_80_whose_hip_risk_alone_reaches_10_percent():
    # 180 cm, 75 kg (BMI 23.15), previous fracture and falls
    bmi = 75 / 1.8 ** 2
    osteoporotic = qfracture_by_hand("osteoporotic", "male", 80, bmi, "prior_fracture", "falls")
    hip = qfracture_by_hand("hip", "male", 80, bmi, "prior_fracture", "falls")
    assert osteoporotic < 10 <= hip  # 9.80% and 11.37%
    r = result(sex="male", age=80, height=180, weight=75, prior_fracture=True, falls=True)
    assert r["ost"]["category"] == "moderate"  # (75 - 80) / 5 = -1
    text = text_of(r["recommendations"], "dxa_scan")
    assert "risk of a hip fracture alone is 10% or more" in text and "any of those fractures is too" in text
    # and the hip figure does not read as a bug: it is higher than "any of those"
    assert "qfracture_hip_higher" in codes(r["notes"])


def test_scan_reason_steroid_tablets_at_any_adult_age_names_acr_dose_and_duration():
    for inputs in ({"age": 18, "corticosteroids": True}, {"corticosteroids": True},
                   {"age": 30, "sex": "female", "corticosteroids": "yes"}):
        text = dxa_text(**inputs)
        assert "2.5 mg" in text and "over 3 months" in text and "spine X-ray" in text
        assert "American College of Rheumatology (2022)" in text


def test_scan_reason_cancer_hormone_therapy():
    text = dxa_text(age=40, sex="female", cancer_hormone_therapy=True)
    assert "breast or prostate cancer" in text and "NOGG 2022" in text and "SIGN 142" in text


def test_every_reason_that_applies_in_order():
    text = dxa_text(sex="male", age=85, weight=45, corticosteroids=True, cancer_hormone_therapy=True)
    parts = ["OST index", "steroid tablets", "breast or prostate cancer"]
    assert [text.index(p) for p in parts] == sorted(text.index(p) for p in parts)


def test_no_scan_without_a_trigger():
    # woman of 65, BMI 25: 4.55% and 1.19% (ClinRisk); OST (100 - 65) / 5 = 7: low
    assert dxa_text(sex="female", age=65, height=200, weight=100) is None
    assert dxa_text(age=40, cancer_hormone_therapy=False, corticosteroids=False) is None


# --- validated_tools_lower: only when nothing suggests the validated tools understate the risk

HIGH_SCORE = {"sex": "female", "age": 50, "height": 200, "weight": 100, "rankl": 100, "rankl_unit": "ng/mL",
              "tnf_alpha": 100, "il6": 100, "exercise_minutes": 0}  # 3 + 12 + 10 + 10 + 10 = 45: high


def lower_note(inputs):
    return "validated_tools_lower" in codes(calc.assess(inputs)["notes"])


def test_validated_tools_lower_when_nothing_blocks_it():
    r = calc.assess(HIGH_SCORE)
    assert r["category"] == "high" and max(r["qfracture"]["osteoporotic"], r["qfracture"]["hip"]) < 10
    text = text_of(r["notes"], "validated_tools_lower")
    assert "better guide" not in text and "not been tested against real fractures" in text


@pytest.mark.parametrize("blocker", [
    {"prior_fracture": True}, {"corticosteroids": True}, {"menopause": "early"},
    {"cancer_hormone_therapy": True}])
def test_validated_tools_lower_is_blocked_by_each_limit_of_the_tools(blocker):
    assert not lower_note({**HIGH_SCORE, **blocker})


def test_validated_tools_lower_is_blocked_at_80_but_not_at_79():
    # man, BMI 25: 3.88% at 80 (ClinRisk), under 10 at 79 too; OST (100 - age) / 5 >= 4: low
    man = {**HIGH_SCORE, "sex": "male"}
    assert qfracture_by_hand("osteoporotic", "male", 79, 25) < 10
    assert lower_note({**man, "age": 79})
    assert not lower_note({**man, "age": 80})


def test_validated_tools_lower_needs_qfracture_and_no_scan_reason():
    assert not lower_note({k: v for k, v in HIGH_SCORE.items() if k != "height"})  # no QFracture
    # 45 kg at 50: (45 - 50) / 5 = -1, moderate for women; BMI 11.25 is outside QFracture's range
    assert not lower_note({**HIGH_SCORE, "weight": 45})


# --- qfracture_limits: a sentence for each limit that applies, in order

WOMAN_60 = {"sex": "female", "age": 60, "height": 200, "weight": 100}
LIMIT_WORDS = {"corticosteroids": "yes or no, not the dose", "prior_fracture": "first years after one",
               "early": "no term for an early menopause", "cancer": "aromatase inhibitors",
               "old": "At 80 and over"}


def limits(**extra):
    notes = calc.assess({**WOMAN_60, **extra})["notes"]
    return text_of(notes, "qfracture_limits") if "qfracture_limits" in codes(notes) else None


@pytest.mark.parametrize("extra, part", [
    ({"corticosteroids": True}, "corticosteroids"), ({"prior_fracture": True}, "prior_fracture"),
    ({"menopause": "early"}, "early"), ({"cancer_hormone_therapy": True}, "cancer"), ({"age": 80}, "old")])
def test_qfracture_limits_each_part_alone(extra, part):
    text = limits(**extra)
    assert text.startswith("QFracture-2012 may understate your risk.")
    assert [p for p, words in LIMIT_WORDS.items() if words in text] == [part]


def test_qfracture_limits_all_parts_in_order_and_one_sentence_for_both_missing_terms():
    text = limits(corticosteroids=True, prior_fracture=True, menopause="early", cancer_hormone_therapy=True,
                  age=85)
    positions = [text.index(words) for words in LIMIT_WORDS.values()]
    assert positions == sorted(positions)
    assert "no term for an early menopause or aromatase inhibitors or androgen deprivation therapy." in text


def test_no_qfracture_limits_without_a_limit_or_without_qfracture():
    assert limits() is None
    assert "qfracture_limits" not in codes(result(age=85, sex="female", prior_fracture=True)["notes"])


# --- qfracture_hip_higher: from the age where hip reaches "any of those"

def test_hip_higher_note_from_the_age_where_hip_reaches_the_total():
    # man with type 1 diabetes, BMI 25: hip 3.37% < 3.46% at 67; 3.76% >= 3.69% at 68
    assert qfracture_by_hand("hip", "male", 67, 25, "type1_diabetes") < \
        qfracture_by_hand("osteoporotic", "male", 67, 25, "type1_diabetes")
    assert qfracture_by_hand("hip", "male", 68, 25, "type1_diabetes") >= \
        qfracture_by_hand("osteoporotic", "male", 68, 25, "type1_diabetes")
    man = {"sex": "male", "height": 200, "weight": 100, "type1_diabetes": True}
    assert "qfracture_hip_higher" not in codes(calc.assess({**man, "age": 67})["notes"])
    note = text_of(calc.assess({**man, "age": 68})["notes"], "qfracture_hip_higher")
    assert "separate equations" in note and "at least the hip figure" in note


# --- vitamin D: nothing from 20 ng/mL; its what-if goes to 20, from below 20 only

def test_vitamin_d_points_at_19_9_and_20():
    assert result(vitamin_d=19.9, vitamin_d_unit="ng/mL")["points"]["vitamin_d"] == 10
    assert result(vitamin_d=20, vitamin_d_unit="ng/mL")["points"]["vitamin_d"] == 0
    assert codes(result(vitamin_d=25, vitamin_d_unit="ng/mL")["findings"]) == []


def test_vitamin_d_what_if_goes_to_20_and_its_text_is_honest_about_vital():
    item = result(vitamin_d=19.9, vitamin_d_unit="ng/mL")["what_if"][0]
    assert item["code"] == "vitamin_d" and item["score"] == 0
    assert "20 ng/mL (50 nmol/L)" in item["text"] and "VITAL" in item["text"]
    assert "did not prevent fractures" in item["text"]


def test_exercise_what_if_text_follows_cochrane_2019():
    text = result(exercise_minutes=30)["what_if"][0]["text"]
    assert "about a quarter" in text and "high-certainty" in text and "60 and over" in text
    assert "Cochrane" in text and "has not been shown" not in text


# --- early menopause: counts before 50 whatever the HRT answer; HRT suggested only under 51 without HRT

def early(age, **extra):
    return calc.assess({"sex": "female", "menopause": "early", **({"age": age} if age else {}), **extra})


def test_early_menopause_at_45_with_hrt_still_counts_for_nice_but_gets_no_hrt_suggestion():
    r = early(45, hrt=True)
    assert "fracture_risk_assessment" in codes(r["recommendations"])
    assert "HRT" not in text_of(r["findings"], "early_menopause")


@pytest.mark.parametrize("age, suggested", [(45, True), (50, True), (51, False), (None, False)])
def test_the_hrt_suggestion_only_to_women_under_51_not_on_hrt(age, suggested):
    text = text_of(early(age)["findings"], "early_menopause")
    assert ("hormone replacement therapy (HRT)" in text) is suggested


# --- lab findings name the value as read, and converted, in the same band

def finding_text(code, **inputs):
    return text_of(calc.assess(inputs)["findings"], code)


def test_a_converted_value_is_named_beside_the_value_as_read():
    assert "0.8 mg/dL (8 mg/L)" in finding_text("crp_raised", crp="0,8", crp_unit="mg/dL")


def test_a_figure_cut_onto_an_edge_of_the_band_below_is_rounded_up():
    # 0.304 mg/dL = 3.04 mg/L: above 3, so never "3 mg/L"
    assert "0.304 mg/dL (3.1 mg/L)" in finding_text("crp_raised", crp=0.304, crp_unit="mg/dL")
    # IL-6 5.025 pg/mL over the usual 5: r = 1.005, so "1.1 times", never "1 times"
    assert "5.025 pg/mL (1.1 times the default upper limit)" in finding_text("il6_raised", il6=5.025)
    # 249.7 nmol/L = 100.04 ng/mL: above 100 ("100" belongs to the band below)
    assert "249.7 nmol/L (100.1 ng/mL)" in finding_text("vitamin_d_high", vitamin_d=249.7, vitamin_d_unit="nmol/L")
    # elsewhere the figure is cut: 12 pg/mL over 5 is 2.4 times; 30 nmol/L = 12.02 ng/mL
    assert "12 pg/mL (2.4 times the default upper limit)" in finding_text("il6_raised", il6=12)
    assert "30 nmol/L (12 ng/mL)" in finding_text("vitamin_d_low", vitamin_d=30, vitamin_d_unit="nmol/L")


def test_vitamin_d_toxic_text_fits_the_unit_chosen():
    in_ng = finding_text("vitamin_d_toxic", vitamin_d=160, vitamin_d_unit="ng/mL")
    assert "if it says nmol/L" in in_ng
    in_nmol = finding_text("vitamin_d_toxic", vitamin_d=400, vitamin_d_unit="nmol/L")  # 160.3 ng/mL
    assert "400 nmol/L (160.2 ng/mL)" in in_nmol and "nmol/L, choose" not in in_nmol and "doctor" in in_nmol


# --- typed units: read, or refused with one message

@pytest.mark.parametrize("inputs, key, unit, points", [
    ({"vitamin_d": "45 nmol/L"}, "vitamin_d", "nmol/L", 10),  # 18.03 ng/mL
    ({"vitamin_d": "45nmol/l"}, "vitamin_d", "nmol/L", 10),
    ({"vitamin_d": "45 ng/mL", "vitamin_d_unit": "ng/mL"}, "vitamin_d", "ng/mL", 0),
    ({"crp": "12 MG/L"}, "crp", "mg/L", 6),
    ({"crp": "0.5 mg / dL"}, "crp", "mg/dL", 6),  # 5 mg/L
    ({"rankl": "25 ng/mL"}, "rankl", "ng/mL", 9),  # r = 2.5 with the default 10 ng/mL
    ({"rankl": "25000 pg/mL"}, "rankl", "pg/mL", 9),  # the default limit follows: 10000 pg/mL
])
def test_a_typed_unit_is_read(inputs, key, unit, points):
    r = calc.assess(inputs)
    assert r["display"]["units"][key] == unit
    assert r["points"][key] == points


def test_a_typed_bound_and_imperial_units_are_read():
    assert "imprecise_crp" in codes(result(crp="<5 mg/L")["notes"])  # [0, 5) spans 1 and 3
    assert result(height="200 cm", weight="150 lb")["bmi"] == pytest.approx(150 * 0.45359237 / 4, rel=1e-12)
    assert result(height="78.74 inches", weight="100 kg")["bmi"] == pytest.approx(100 / (78.74 * 2.54 / 100) ** 2)
    assert result(height="6 ft 6.74", weight="15 st 10")["display"]["units"] == {"height": "ft_in", "weight": "st_lb"}
    assert result(tnf_alpha="6 ng/L")["points"]["tnf_alpha"] == 5  # ng/L is the same number as pg/mL


def test_a_unit_the_calculator_cannot_use_gets_one_message_on_the_value():
    errors = errors_of({"rankl": "0.45 pmol/L"})
    assert [e["field"] for e in errors] == ["rankl"]
    message = errors[0]["message"]
    assert "pmol/L" in message and "ng/mL or pg/mL" in message and "blank" in message


def test_a_typed_unit_that_clashes_with_the_chosen_one_names_both():
    errors = errors_of({"vitamin_d": "45 nmol/L", "vitamin_d_unit": "ng/mL"})
    assert [e["field"] for e in errors] == ["vitamin_d"]
    assert "nmol/L" in errors[0]["message"] and "ng/mL" in errors[0]["message"]
    assert [e["field"] for e in errors_of({"height": "5 ft 3", "height_unit": "cm"})] == ["height"]


def test_an_invalid_unit_key_gets_its_own_error_and_no_typed_unit_error():
    assert [e["field"] for e in errors_of({"vitamin_d": "45 pmol/L", "vitamin_d_unit": "bad"})] == ["vitamin_d_unit"]


@pytest.mark.parametrize("typed", ["1e3 nmol/L", "5-", "12_", "45 nmol/L 2"])
def test_what_is_not_a_number_and_a_unit_stays_a_number_error(typed):
    assert "vitamin_d" in [e["field"] for e in errors_of({"vitamin_d": typed, "vitamin_d_unit": "ng/mL"})]


# --- hardening: every number path gives ValidationError, with a short message

@pytest.mark.parametrize("inputs", [
    {"height": "9" * 5000 + " ft 3", "height_unit": "ft_in"},
    {"height": "5 ft " + "9" * 5000, "height_unit": "ft_in"},
    {"weight": "9" * 5000 + " st", "weight_unit": "st_lb"},
    {"height": "5 ft " + "3" * 3000},
])
def test_thousands_of_digits_give_a_short_validation_error(inputs):
    errors = errors_of(inputs)
    assert all(len(e["message"]) < 200 for e in errors), errors


@pytest.mark.parametrize("typed, part, quoted", [("5.5 ft 5", "feet must be a whole number from 3 to 8", "5.5"),
                                                 ("5 ft 12", "inches must be a number from 0 to under 12", "12"),
                                                 ("9 ft", "feet must be a whole number from 3 to 8", "9")])
def test_feet_and_inches_messages_name_the_part_the_reader_typed(typed, part, quoted):
    message = errors_of({"height": typed, "height_unit": "ft_in"})[0]["message"]
    assert part in message and f"\u201c{quoted}\u201d" in message and typed not in message


def test_stones_and_pounds_messages_name_the_part():
    message = errors_of({"weight": "9 st 14", "weight_unit": "st_lb"})[0]["message"]
    assert "pounds must be a number from 0 to under 14" in message


def test_a_choice_with_a_space_says_so_and_a_yes_no_value_is_not_a_number():
    assert "remove the space" in errors_of({"sex": "female "})[0]["message"]
    message = errors_of({"age": True})[0]["message"]
    assert "a yes/no value is not a number" in message and "is a yes/no value" not in message


# --- readers outside the UK

def test_alcohol_choices_give_us_drinks_so_two_glasses_of_wine_land_in_3_to_6():
    labels = dict(calc.FIELDS_BY_KEY["alcohol"].choices)
    # a US drink is 14 g and a UK unit 8 g: 2 US drinks (a glass of wine each) are 3.5 UK units
    assert 3 <= 2 * 14 / 8 <= 6 and "2 to 3\u00bd US drinks" in labels["3to6"]
    assert "US drink" in labels["lt1"] and "US drink" in labels["gt9"]


def test_recommendations_say_your_doctor_and_name_us_guidance_where_it_agrees():
    text = text_of(result(sex="female", age=70)["recommendations"], "fracture_risk_assessment")
    assert text.startswith("Ask your doctor (in the UK, your GP or practice nurse)")
    assert "USPSTF (2025)" in text
    text = text_of(result(sex="male", age=76)["recommendations"], "fracture_risk_assessment")
    assert "Bone Health and Osteoporosis Foundation" in text and "70 and over" in text


def test_no_text_anywhere_says_better_guide():
    r = result(sex="male", age=80, prior_fracture=True, falls=True, height=175, weight=70,
               rankl=100, rankl_unit="ng/mL", exercise_minutes=0)
    assert "better guide" not in json.dumps(r).lower()
    assert not re.search("better guide", json.dumps(calc.schema()), re.I)
