"""Shared test helpers: the golden cases and small wrappers around calc."""

import json
from pathlib import Path

import calc

CASES_DIR = Path(__file__).parent / "cases"


def golden_cases():
    return [json.loads(p.read_text()) for p in sorted(CASES_DIR.glob("*.json"))]


def errors_of(inputs):
    """The ValidationError's errors for `inputs` (fails if assess accepts them)."""
    try:
        calc.assess(inputs)
    except calc.ValidationError as error:
        return error.errors
    raise AssertionError(f"expected a ValidationError for {inputs!r}")


def fields_in_error(inputs):
    return [e["field"] for e in errors_of(inputs)]


def points(inputs, factor):
    return calc.assess(inputs)["points"][factor]


# --- QFracture-2012 worked out here from the published coefficients, apart from calc.qfracture,
# so that rules reading its risks can be tested on inputs no ClinRisk reference case covers.

_COEFFICIENTS = json.loads((Path(__file__).parent.parent / "calc" / "qfracture" / "coefficients.json")
                           .read_text())["equations"]
_C_TERMS = {"antidepressants": "b_antidepressant", "cancer": "b_anycancer", "asthma_copd": "b_asthmacopd",
            "corticosteroids": "b_corticosteroids", "cvd": "b_cvd", "dementia": "b_dementia",
            "endocrine": "b_endocrine", "epilepsy": "b_epilepsy2", "falls": "b_falls",
            "prior_fracture": "b_fracture4", "hrt": "b_hrt_oest", "liver_disease": "b_liver",
            "malabsorption": "b_malabsorption", "parkinsons": "b_parkinsons", "ra_sle": "b_ra_sle",
            "renal_disease": "b_renal", "type1_diabetes": "b_type1", "type2_diabetes": "b_type2",
            "parent_history": "fh_osteoporosis", "care_home": "b_carehome"}


def qfracture_by_hand(outcome, sex, age, bmi, *flags):
    """10-year risk in percent, white, never smoked, no alcohol, with the yes/no answers in `flags`:
    100 (1 - S10 ^ exp(a)), a the sum of the terms as docs/model.md states it."""
    import math
    eq = _COEFFICIENTS[f"{outcome}_{sex}"]
    a = eq["alcohol_cat6"][0] + eq["ethrisk"][1] + eq["smoke_cat"][0]
    for term in eq["continuous"].values():
        x = (age if term["of"] == "age" else bmi) / 10
        value = x ** term["power"] * (math.log(x) if term["times_log"] else 1)
        a += (value - term["centre"]) * term["coefficient"]
    a += sum(eq["booleans"].get(_C_TERMS[flag], 0) for flag in flags)
    return 100 * (1 - eq["survivor"][10] ** math.exp(a))
