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


# --- hostile inputs: objects whose methods raise, to prove calc never calls them

class Booby:
    """Every method a careless parser might call raises."""

    def _boom(self, *args, **kwargs):
        raise RuntimeError("a method of the caller's object ran")

    __repr__ = __str__ = __format__ = __eq__ = __hash__ = __float__ = __int__ = __index__ = _boom
    __len__ = __iter__ = __bool__ = _boom


class BoobyList(list):
    def __repr__(self):
        raise RuntimeError("repr of a list ran")

    __str__ = __repr__


class BoobyStr(str):
    def strip(self, *args):
        raise RuntimeError("strip ran")

    def lower(self):
        raise RuntimeError("lower ran")

    def __eq__(self, other):
        raise RuntimeError("eq ran")

    __hash__ = str.__hash__  # a dict must be able to hold it


class BoobyFloat(float):
    def __repr__(self):
        raise RuntimeError("repr ran")

    def __float__(self):
        raise RuntimeError("float ran")


# --- QFracture-2012 worked out here from the published coefficients, apart from calc.qfracture,
# so that rules reading its risks can be tested on inputs no ClinRisk reference case covers.

_COEFFICIENTS = json.loads((Path(__file__).parent.parent / "calc" / "qfracture" / "coefficients.json")
                           .read_text())["equations"]
# docs/model.md's mapping of QFracture's yes/no terms to calc's keys, written out independently
# of calc.qfracture (tests/test_qfracture.py reads it too)
QFRACTURE_TERMS = {
    "b_antidepressant": "antidepressants", "b_anycancer": "cancer", "b_asthmacopd": "asthma_copd",
    "b_corticosteroids": "corticosteroids", "b_cvd": "cvd", "b_dementia": "dementia",
    "b_endocrine": "endocrine", "b_epilepsy2": "epilepsy", "b_falls": "falls",
    "b_fracture4": "prior_fracture", "b_hrt_oest": "hrt", "b_liver": "liver_disease",
    "b_malabsorption": "malabsorption", "b_parkinsons": "parkinsons", "b_ra_sle": "ra_sle",
    "b_renal": "renal_disease", "b_type1": "type1_diabetes", "b_type2": "type2_diabetes",
    "fh_osteoporosis": "parent_history", "b_carehome": "care_home"}
_C_TERMS = {key: term for term, key in QFRACTURE_TERMS.items()}


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
