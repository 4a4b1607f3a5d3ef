"""C. QFracture-2012: 10-year risk of osteoporotic and of hip fracture.

The equations are ClinRisk's QFracture-2012 (LGPL-3.0-or-later; see COPYING,
COPYING.LESSER and Readme.txt beside this file). The coefficients travel as
data in coefficients.json, exactly as published; this module only evaluates
them. The licence requires DISCLAIMER to be shown alongside any result.
"""

import json
import math
from functools import lru_cache
from importlib import resources

MIN_AGE, MAX_AGE = 30, 100  # the age range the equations were developed on
MIN_BMI, MAX_BMI = 20, 40  # likewise for BMI, inclusive, unrounded
HORIZON = 10  # years

DISCLAIMER = (
    "The initial version of this file, to be found at http://svn.clinrisk.co.uk/qfracture, "
    "faithfully implements QFracture-2012. "
    "We have released this code under the GNU Lesser General Public License to enable others "
    "to implement the algorithm faithfully. "
    "However, the nature of the GNU Lesser General Public License is such that we cannot "
    "prevent, for example, someone altering the coefficients. "
    "We stress, therefore, that it is the responsibility of the end user to check that the "
    "source that they receive produces the same results as the original code posted at "
    "http://svn.clinrisk.co.uk/qfracture. "
    "Inaccurate implementations of risk scores can lead to wrong patients being given the "
    "wrong treatment."
)

EQUATIONS = json.loads(
    resources.files(__name__).joinpath("coefficients.json").read_text(encoding="utf-8")
)["equations"]

# The calculator's input keys, in the order of each C array (index = position).
ETHNICITY = ("white", "indian", "pakistani", "bangladeshi", "other_asian",
             "black_caribbean", "black_african", "chinese", "other")  # ethrisk 1..9
SMOKING = ("non", "ex", "light", "moderate", "heavy")  # smoke_cat 0..4
ALCOHOL = ("none", "lt1", "1to2", "3to6", "7to9", "gt9")  # alcohol_cat6 0..5

# C yes/no parameter -> calculator input key
YES_NO_TERMS = {
    "b_antidepressant": "antidepressants", "b_anycancer": "cancer",
    "b_asthmacopd": "asthma_copd", "b_corticosteroids": "corticosteroids",
    "b_cvd": "cvd", "b_dementia": "dementia", "b_endocrine": "endocrine",
    "b_epilepsy2": "epilepsy", "b_falls": "falls", "b_fracture4": "prior_fracture",
    "b_hrt_oest": "hrt", "b_liver": "liver_disease", "b_malabsorption": "malabsorption",
    "b_parkinsons": "parkinsons", "b_ra_sle": "ra_sle", "b_renal": "renal_disease",
    "b_type1": "type1_diabetes", "b_type2": "type2_diabetes",
    "fh_osteoporosis": "parent_history", "b_carehome": "care_home",
}


# Each equation's terms as tuples, in the published order (read once, at import).
_TERMS = {name: [(t["of"], t["power"], t["times_log"], t["centre"], t["coefficient"])
                 for t in eq["continuous"].values()] for name, eq in EQUATIONS.items()}
_BOOLEANS = {name: list(eq["booleans"].items()) for name, eq in EQUATIONS.items()}
# ... and its yes/no terms by the calculator's input key (see YES_NO_TERMS), also in the published order
_BOOLEAN_INPUTS = {name: [(YES_NO_TERMS[term], coefficient) for term, coefficient in eq["booleans"].items()]
                   for name, eq in EQUATIONS.items()}
# Each equation's categorical coefficients (alcohol_cat6, ethrisk, smoke_cat) and S(10), looked up once
_CATEGORICAL = {name: (eq["alcohol_cat6"], eq["ethrisk"], eq["smoke_cat"], eq["survivor"][HORIZON])
                for name, eq in EQUATIONS.items()}
_ETHRISK = {key: i + 1 for i, key in enumerate(ETHNICITY)}
_SMOKE_CAT = {key: i for i, key in enumerate(SMOKING)}
_ALCOHOL_CAT6 = {key: i for i, key in enumerate(ALCOHOL)}

# Every input the equations read (besides height and weight, through BMI).
INPUTS = frozenset({"sex", "age", "ethnicity", "smoking", "alcohol", *YES_NO_TERMS.values()})


def _continuous(equation, age, bmi):
    """Each continuous term's value, in the published order.

    x = age/10 or bmi/10; a term is (x^power, times ln x where so marked,
    minus its centre) times its coefficient, as the published C computes it.
    """
    scaled = {"age": age / 10, "bmi": bmi / 10}
    terms = []
    for of, power, times_log, centre, coefficient in _TERMS[equation]:
        x = scaled[of]
        value = x ** power
        if times_log:
            value *= math.log(x)
        terms.append((value - centre) * coefficient)
    return terms


def _risk(equation, alcohol_cat6, ethrisk, smoke_cat, continuous, booleans):
    """10-year risk in percent: 100 * (1 - S(10)^exp(a)).

    a is summed exactly as the C adds it: the categorical terms, then each
    continuous term in order, then each ticked yes/no coefficient in order.
    Do not regroup these additions: the results are checked to the last bits
    against the C's reference values.
    """
    alcohol, ethnicity, smoking, survivor = _CATEGORICAL[equation]
    a = alcohol[alcohol_cat6] + ethnicity[ethrisk] + smoking[smoke_cat]
    for term in continuous:
        a += term
    for coefficient in booleans:
        a += coefficient
    return 100.0 * (1.0 - survivor ** math.exp(a))


def risk(equation, args):
    """10-year risk in percent from the C parameters (age, bmi, ethrisk, ...)."""
    booleans = [coefficient for name, coefficient in _BOOLEANS[equation] if args.get(name)]
    return _risk(equation, args.get("alcohol_cat6", 0), args.get("ethrisk", 1), args.get("smoke_cat", 0),
                 _continuous(equation, args["age"], args["bmi"]), booleans)


def why_not(sex, age, bmi):
    """None if QFracture applies, else a code for why it does not."""
    if sex is None:
        return "no_sex"
    if age is None:
        return "no_age"
    if not MIN_AGE <= age <= MAX_AGE:
        return "age_out_of_range"
    if bmi is None:
        return "no_bmi"
    if not MIN_BMI <= bmi <= MAX_BMI:
        return "bmi_out_of_range"
    return None


# The inputs fixed_terms() reads (besides BMI): all but those of the categorical
# terms (ethnicity, smoking, alcohol), which are the ones a what-if changes.
FIXED_INPUTS = INPUTS - {"ethnicity", "smoking", "alcohol"}


def fixed_terms(values, bmi):
    """[(outcome, equation, continuous terms, ticked yes/no coefficients)] for the sex's two equations.

    Everything in the sum but the categorical terms: it depends on sex, age,
    BMI and the yes/no answers only (FIXED_INPUTS), so a what-if that changes
    none of those can reuse it (risks() adds it again in the same order).
    """
    sex, age = values["sex"], values["age"]
    out = []
    for outcome in ("osteoporotic", "hip"):
        equation = f"{outcome}_{sex}"
        booleans = [coefficient for key, coefficient in _BOOLEAN_INPUTS[equation] if values[key]]
        out.append((outcome, equation, _continuous(equation, age, bmi), booleans))
    return out


def risks(values, fixed):
    """{"osteoporotic", "hip"} for the categorical answers in `values` and fixed_terms()."""
    alcohol_cat6 = _ALCOHOL_CAT6[values["alcohol"]]
    ethrisk = _ETHRISK[values["ethnicity"]]
    smoke_cat = _SMOKE_CAT[values["smoking"]]
    return {outcome: _risk(equation, alcohol_cat6, ethrisk, smoke_cat, continuous, booleans)
            for outcome, equation, continuous, booleans in fixed}


TYPICAL_BMI = 25  # the comparison person: BMI 25, every other answer at its lowest-risk value


def _both(sex, args):
    return {"osteoporotic": risk(f"osteoporotic_{sex}", args), "hip": risk(f"hip_{sex}", args)}


def qfracture(values, bmi, fixed=None):
    """{"osteoporotic", "hip", "typical"} in percent, unrounded; None where the model does not apply.

    "typical" is the risk of a person of the same sex and age with BMI 25 and no
    other risk factor (docs/model.md, "C").
    `fixed` is fixed_terms(values, bmi), for a caller that has worked it out already.
    """
    if why_not(values["sex"], values["age"], bmi):
        return None
    result = risks(values, fixed_terms(values, bmi) if fixed is None else fixed)
    result["typical"] = typical_risk(values["sex"], values["age"])
    return result


@lru_cache(maxsize=None)  # at most 2 sexes x 71 ages
def _typical(sex, age):
    return _both(sex, {"age": age, "bmi": TYPICAL_BMI})


def typical_risk(sex, age):
    """The comparison person's risk: a fresh dict, so a caller can never change the cache."""
    return dict(_typical(sex, age))
