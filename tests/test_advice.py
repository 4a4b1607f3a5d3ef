"""Findings, recommendations and notes (docs/model.md, "Findings, recommendations, notes").

The two guideline recommendations follow NICE CG146 (fracture risk assessment)
and OST / QFracture (bone density scan), never the educational score. Each
trigger is tested with and without it, worked out by hand from the rules.
"""

import re

import pytest

import calc


def rec_codes(inputs):
    return [r["code"] for r in calc.assess(inputs)["recommendations"]]


def note_codes(inputs):
    return [n["code"] for n in calc.assess(inputs)["notes"]]


NICE = "fracture_risk_assessment"

# --- NICE CG146: age and sex alone

@pytest.mark.parametrize("sex, age, expected", [
    ("female", 64, False), ("female", 65, True), ("female", 90, True),
    ("male", 74, False), ("male", 75, True), ("male", 65, False)])
def test_nice_by_age_and_sex(sex, age, expected):
    assert (NICE in rec_codes({"sex": sex, "age": age})) is expected


# --- NICE: each risk factor from 50, present and absent

RISKS_AT_50 = [
    {"prior_fracture": True}, {"corticosteroids": True}, {"falls": True}, {"parent_history": True},
    {"height": 200, "weight": 73.9},  # BMI 18.475, below 18.5
    {"smoking": "light"}, {"smoking": "moderate"}, {"smoking": "heavy"},
    {"alcohol": "3to6"}, {"alcohol": "7to9"}, {"alcohol": "gt9"},
    {"ra_sle": True}, {"malabsorption": True}, {"type1_diabetes": True},
    {"endocrine": True, "sex": "female"}, {"renal_disease": True}, {"liver_disease": True},
    {"menopause": "early", "sex": "female"},
    # model v3: QFracture's other conditions that NOGG 2022 and SIGN 142 list, and cancer hormone therapy
    {"type2_diabetes": True}, {"asthma_copd": True}, {"parkinsons": True}, {"dementia": True},
    {"epilepsy": True}, {"cancer": True}, {"antidepressants": True}, {"cancer_hormone_therapy": True},
]
NOT_RISKS = [{"smoking": "ex"}, {"alcohol": "1to2"}, {"height": 200, "weight": 74},  # BMI 18.5
             {"cvd": True}, {"care_home": True}, {"hrt": True, "sex": "female"},
             {"menopause": "yes", "sex": "female"}]


@pytest.mark.parametrize("risk", RISKS_AT_50, ids=lambda r: "-".join(f"{k}={v}" for k, v in r.items()))
def test_nice_each_risk_factor_from_50(risk):
    sex = risk.get("sex", "male")
    assert NICE in rec_codes({"sex": sex, "age": 50, **risk})
    assert NICE not in rec_codes({"sex": sex, "age": 49, **risk}) or risk.get("prior_fracture") \
        or risk.get("corticosteroids") or risk.get("menopause") == "early"


@pytest.mark.parametrize("other", NOT_RISKS, ids=lambda r: "-".join(f"{k}={v}" for k, v in r.items()))
def test_nice_not_for_other_answers_at_50(other):
    sex = other.get("sex", "male")
    assert NICE not in rec_codes({"sex": sex, "age": 60, **other})


@pytest.mark.parametrize("risk, expected", [
    ({"prior_fracture": True}, True), ({"corticosteroids": True}, True),
    ({"menopause": "early", "sex": "female"}, True),
    # v3: an early menopause counts whatever the HRT answer (the form asks only about oestrogen-only HRT)
    ({"menopause": "early", "sex": "female", "hrt": True}, True),
    ({"falls": True}, False), ({"parent_history": True}, False), ({"smoking": "heavy"}, False),
    ({"cancer_hormone_therapy": True}, False), ({"type2_diabetes": True}, False)])
def test_nice_under_50(risk, expected):
    assert (NICE in rec_codes({"sex": risk.get("sex", "male"), "age": 40, **risk})) is expected


@pytest.mark.parametrize("inputs, expected", [
    # no age: only what holds at every age
    ({"sex": "female", "prior_fracture": True}, True),
    ({"sex": "male", "corticosteroids": True}, True),
    ({"sex": "female", "menopause": "early"}, True),
    ({"sex": "female", "menopause": "early", "hrt": True}, True),
    ({"sex": "female", "falls": True}, False),
    ({"sex": "female"}, False),
    # no sex: 75 or over, or a risk factor at 50 or over (and the under-50 rule)
    ({"age": 75}, True), ({"age": 74}, False), ({"age": 55, "falls": True}, True),
    ({"age": 40, "prior_fracture": True}, True), ({"age": 40, "falls": True}, False),
    # neither
    ({"prior_fracture": True}, True), ({"falls": True}, False), ({}, False),
])
def test_nice_with_age_or_sex_missing_only_when_every_value_would(inputs, expected):
    assert (NICE in rec_codes(inputs)) is expected


def test_nice_text_names_the_reason():
    text = next(r["text"] for r in calc.assess({"sex": "female", "age": 70})["recommendations"] if r["code"] == NICE)
    assert "NICE CG146" in text and "women aged 65 and over" in text
    text = next(r["text"] for r in calc.assess({"sex": "male", "age": 55, "falls": True, "smoking": "light"})[
        "recommendations"] if r["code"] == NICE)
    assert "risk factor (falls; smoking)" in text


# --- the scan: OST high or QFracture osteoporotic 10% or more; never the score

def test_no_scan_from_markers_alone():
    # the v1 false alarm: a healthy 35-year-old with raised markers was "High" and told to scan
    inputs = {"age": 35, "sex": "female", "rankl": 100, "rankl_unit": "ng/mL", "tnf_alpha": 100,
              "il6": 100, "crp": 20, "crp_unit": "mg/L", "vitamin_d": 5, "vitamin_d_unit": "ng/mL",
              "exercise_minutes": 0}
    result = calc.assess(inputs)
    assert result["category"] in ("high", "very_high")
    assert "dxa_scan" not in [r["code"] for r in result["recommendations"]]


def test_scan_from_ost_high():
    # (45 - 65) / 5 = -4 for a man: high (-2 or less)
    assert "dxa_scan" in rec_codes({"sex": "male", "age": 65, "weight": 45})
    # (56 - 65) / 5 = -1.8 -> -1: moderate, and no QFracture without height
    assert "dxa_scan" not in rec_codes({"sex": "male", "age": 65, "weight": 56})


def test_scan_from_qfracture_10_percent_and_not_below():
    # the reference case female 80, BMI 25: 10.959% (ClinRisk); female 65, BMI 25: 4.55%
    high = calc.assess({"sex": "female", "age": 80, "height": 200, "weight": 100})
    assert high["qfracture"]["osteoporotic"] >= 10 and high["ost"]["category"] != "high"
    assert "dxa_scan" in [r["code"] for r in high["recommendations"]]
    low = calc.assess({"sex": "female", "age": 65, "height": 200, "weight": 100})
    assert "dxa_scan" not in [r["code"] for r in low["recommendations"]]


def test_the_scan_text_does_not_call_dxa_the_only_test():
    text = next(r["text"] for r in calc.assess({"sex": "male", "age": 65, "weight": 45})["recommendations"]
                if r["code"] == "dxa_scan")
    assert "standard test" in text and "only" not in text and "OST" in text


# --- notes comparing the score with the validated tools

def test_validated_tools_higher():
    # man of 85, 50 kg: OST (50 - 85) / 5 = -7 (high); the score only counts age (18): low
    inputs = {"sex": "male", "age": 85, "weight": 50}
    result = calc.assess(inputs)
    assert result["category"] == "low"
    assert "validated_tools_higher" in note_codes(inputs)


def test_validated_tools_lower():
    # woman of 50, BMI 25, QFracture 1.56%; markers push the score to high
    inputs = {"sex": "female", "age": 50, "height": 200, "weight": 100, "rankl": 100, "rankl_unit": "ng/mL",
              "tnf_alpha": 100, "il6": 100, "exercise_minutes": 0}
    result = calc.assess(inputs)
    assert result["category"] in ("high", "very_high")
    assert "validated_tools_lower" in note_codes(inputs)
    assert "validated_tools_higher" not in note_codes(inputs)
    # without QFracture there is nothing to compare with
    assert "validated_tools_lower" not in note_codes({k: v for k, v in inputs.items() if k != "height"})


@pytest.mark.parametrize("height, weight, expected", [
    (200, 59.9, True), (200, 60, False), (100, 50, False), (100, 50.1, True)])
def test_check_units_for_an_unlikely_bmi(height, weight, expected):
    # BMI = weight / (height / 100)^2: 14.975, 15, 50, 50.1
    assert ("check_units" in note_codes({"height": height, "weight": weight})) is expected


def test_low_bmi_qfracture_note_says_low_weight_raises_risk():
    notes = calc.assess({"sex": "female", "age": 70, "height": 200, "weight": 76})["notes"]  # BMI 19
    note = next(n for n in notes if n["code"] == "qfracture_bmi_out_of_range")
    assert "low body weight" in note["text"] and "OST" in note["text"]
    notes = calc.assess({"sex": "female", "age": 70, "height": 200, "weight": 164})["notes"]  # BMI 41
    note = next(n for n in notes if n["code"] == "qfracture_bmi_out_of_range")
    assert "low body weight" not in note["text"]


def test_not_answered_note_lists_the_unanswered_factors():
    note = next(n for n in calc.assess({"age": 60, "sex": "male"})["notes"] if n["code"] == "not_answered")
    assert "body mass index" in note["text"] and "menopause" not in note["text"].lower()


# --- what the texts may and may not say

ALL_TEXT_INPUTS = [
    {"sex": "female", "age": 44, "menopause": "early", "corticosteroids": True, "alcohol": "gt9",
     "smoking": "heavy", "vitamin_d": 200, "vitamin_d_unit": "ng/mL", "crp": 60, "crp_unit": "mg/L",
     "height": 160, "weight": 40, "exercise_minutes": 0, "falls": True, "ra_sle": True,
     "rankl": 50, "rankl_unit": "ng/mL"},
    {"sex": "male", "age": 80, "height": 170, "weight": 95, "vitamin_d": 15, "vitamin_d_unit": "ng/mL",
     "exercise_minutes": 100, "parent_history": True, "alcohol": "3to6"},
    {"sex": "female", "age": 70, "vitamin_d": 15, "vitamin_d_unit": "ng/mL", "crp": 2, "crp_unit": "mg/L",
     "exercise_minutes": 10, "malabsorption": True},
    {"vitamin_d": 120, "vitamin_d_unit": "ng/mL", "il6": 0.1, "crp": 12, "crp_unit": "mg/L"},
]


def every_text(result):
    for part in ("findings", "recommendations", "notes", "what_if"):
        for item in result[part]:
            yield item["code"], item["text"]


@pytest.mark.parametrize("inputs", ALL_TEXT_INPUTS)
def test_texts_never_tell_a_reader_to_stop_a_medicine_or_diagnose(inputs):
    for code, text in every_text(calc.assess(inputs)):
        lowered = text.lower()
        # "stop" only as "do not stop suddenly" or about smoking
        for match in re.finditer(r"\bstop\w*", lowered):
            window = lowered[max(0, match.start() - 40): match.end() + 40]
            about_smoking = "smok" in window or "smok" in code
            assert about_smoking or "not stop" in window or "stopping suddenly" in window, (code, text)
        assert "you have osteoporosis" not in lowered and "diagnosis of" not in lowered, code
        assert "october" not in lowered and "march" not in lowered, code
        assert not re.search(r"\['|'\]|_", text), (code, text)  # no Python lists or keys in prose


def test_evidence_wording_on_weight_vitamin_d_exercise_and_alcohol():
    texts = dict(every_text(calc.assess(ALL_TEXT_INPUTS[1])))
    high_bmi = texts["high_bmi"]
    assert "fewer hip fractures" in high_bmi and "ankle" in high_bmi and "upper-arm" in high_bmi
    result = calc.assess(ALL_TEXT_INPUTS[2])
    low = next(f["text"] for f in result["findings"] if f["code"] == "vitamin_d_low")
    assert "20 ng/mL (50 nmol/L)" in low and "National Academy of Medicine" in low
    exercise = next(r["text"] for r in result["recommendations"] if r["code"] == "exercise")
    assert "WHO" in exercise and "general" in exercise
    supplement = next(r["text"] for r in result["recommendations"] if r["code"] == "vitamin_d_supplement")
    # the UK amount and the US ones (RDA 600 IU, 800 IU over 70)
    assert "winter" in supplement and "400 IU" in supplement and "600 IU" in supplement and "800 IU" in supplement
    heavy = dict(every_text(calc.assess(ALL_TEXT_INPUTS[0])))
    assert "cut down safely" in heavy["reduce_alcohol"] and "do not stop suddenly" in heavy["reduce_alcohol"]
    assert "HRT" in heavy["early_menopause"] and "right for you" in heavy["early_menopause"]
    assert "Rheumatoid arthritis or lupus adds" in heavy["inflammatory_condition"]
    assert "TNF-alpha and IL-6" in heavy["inflammatory_condition"]


def test_marker_findings_are_never_alerts():
    result = calc.assess({"rankl": 1000, "rankl_unit": "ng/mL", "tnf_alpha": 10000, "il6": 10000})
    levels = {f["code"]: f["level"] for f in result["findings"]}
    # "info" since v3: no guideline uses these tests to judge bone health, so nothing to act on alone
    assert levels == {"rankl_raised": "info", "tnf_alpha_raised": "info", "il6_raised": "info"}
    for f in result["findings"]:
        # no guideline recommends cytokine tests: never suggest ordering or repeating one
        assert "repeat" not in f["text"] and "again" not in f["text"] and "doctor who ordered" in f["text"]


def test_no_text_suggests_ordering_or_repeating_a_cytokine_test():
    inputs = {"rankl": "<20", "rankl_unit": "ng/mL", "tnf_alpha": 30, "il6": 30, "crp": 5, "crp_unit": "mg/L"}
    result = calc.assess(inputs)
    texts = [t for _, t in every_text(result)]
    assert any("RANKL" in t for t in texts) and any("TNF-alpha" in t for t in texts)
    for text in texts:
        for marker in ("RANKL", "TNF-alpha", "IL-6"):
            if marker in text:
                assert not re.search(r"repeat|measured again|new test (?!is not)|\border (a|an|one)\b", text), text


def test_vitamin_d_toxic_asks_to_check_the_unit_first():
    finding = next(f for f in calc.assess({"vitamin_d": 160, "vitamin_d_unit": "ng/mL"})["findings"])
    assert finding["code"] == "vitamin_d_toxic" and finding["level"] == "alert"
    text = finding["text"]
    assert text.index("unit") < text.index("doctor") and "2.496" in text


@pytest.mark.parametrize("crp, code, level", [(9.99, "crp_raised", "warning"), (10, "crp_acute", "warning"),
                                              (49.9, "crp_acute", "warning"), (50, "crp_very_high", "alert")])
def test_crp_findings(crp, code, level):
    findings = calc.assess({"crp": crp, "crp_unit": "mg/L"})["findings"]
    assert [(f["code"], f["level"]) for f in findings] == [(code, level)]


@pytest.mark.parametrize("ng_ml, code", [(100, None), (100.01, "vitamin_d_high"), (150, "vitamin_d_high"),
                                         (150.01, "vitamin_d_toxic")])
def test_vitamin_d_high_findings(ng_ml, code):
    findings = calc.assess({"vitamin_d": ng_ml, "vitamin_d_unit": "ng/mL"})["findings"]
    assert [f["code"] for f in findings] == ([code] if code else [])


def test_exercise_text_matches_its_points_even_for_a_tiny_amount():
    # 0.001 minutes scores 7 (above 0); the text must not say "0 minutes"
    result = calc.assess({"exercise_minutes": "0.001"})
    assert result["points"]["exercise"] == 7
    text = next(f["text"] for f in result["findings"] if f["code"] == "low_exercise")
    assert "0 minutes" not in text.replace("exactly 0 minutes", "")
    assert "less than 75 minutes" in text


def test_recommendations_have_no_duplicates_and_basics_come_last():
    for inputs in ALL_TEXT_INPUTS:
        codes = [r["code"] for r in calc.assess(inputs)["recommendations"]]
        assert len(codes) == len(set(codes)) and codes[-1] == "bone_basics"


def test_guideline_recommendations_come_before_lifestyle_advice():
    codes = [r["code"] for r in calc.assess(ALL_TEXT_INPUTS[0])["recommendations"]]
    assert codes.index(NICE) < codes.index("stop_smoking") < codes.index("exercise")
