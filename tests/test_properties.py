"""Property tests with Hypothesis: what must hold for every input."""

import json
import math

from hypothesis import assume, given, settings, strategies as st

import calc
from calc.parse import parse
from calc.qfracture import EQUATIONS

KEYS = [f.key for f in calc.FIELDS]

class Hostile:
    """An object whose every method raises."""

    def __repr__(self):
        raise RuntimeError("repr")

    __str__ = __eq__ = __hash__ = __float__ = __int__ = __repr__


class HostileStr(str):
    def strip(self, *args):
        raise RuntimeError("strip")

    def __eq__(self, other):
        raise RuntimeError("eq")

    __hash__ = str.__hash__


anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["", " ", "12,5", "1,000", "1e5", "yes", "female", "nmol/L",
                                           "-0", "+3", "<5", "> 150", "<0", ">-1", "5 ft 3", "9 st 2",
                                           "5'3\"", "<", "ng/ml", "st_lb", "ft_in"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(Hostile), st.builds(HostileStr, st.sampled_from(["65", "female", "yes"])),
)


@settings(max_examples=600)
@given(st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)), anything, max_size=14))
def test_assess_raises_nothing_but_validation_error(inputs):
    try:
        result = calc.assess(inputs)
    except calc.ValidationError as error:
        assert error.errors and all(set(e) == {"field", "message"} for e in error.errors)
        assert all(isinstance(e["field"], str) and e["message"] for e in error.errors)
        return
    check_result(result)


def _finite_everywhere(value):
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite_everywhere(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite_everywhere(v) for v in value)
    return True


def check_result(result):
    json.dumps(result, allow_nan=False)
    assert isinstance(result["score"], int) and 0 <= result["score"] <= 100
    assert _finite_everywhere(result)
    if result["qfracture"]:
        qf = result["qfracture"]
        for v in (qf["osteoporotic"], qf["hip"], *qf["typical"].values()):
            assert 0 <= v <= 100
    assert result["display"]["score"] == str(result["score"])


def numbers(low, high):
    return st.one_of(st.floats(low, high), st.integers(math.ceil(low), math.floor(high)),
                     st.floats(low, high).map(lambda x: f"{x:.4f}".replace(".", ",")))


def lab(low, high):
    """An exact value or a bound as printed on a report."""
    return st.one_of(numbers(low, high),
                     st.floats(max(low, 0.001), high).map(lambda x: f"<{x:.4f}"),
                     st.floats(low, high * 0.999).map(lambda x: f"> {x:.4f}"))


LAB_RANGES = {"rankl": {"ng/mL": 1000, "pg/mL": 1_000_000}, "vitamin_d": {"ng/mL": 400, "nmol/L": 1000},
              "crp": {"mg/L": 500, "mg/dL": 50}}


@st.composite
def valid_inputs(draw):
    """A random valid input set: some fields left out, sex-specific ones matching."""
    sex = draw(st.sampled_from([None, "female", "male"]))
    inputs = {"sex": sex}
    optional = {
        "age": st.integers(18, 110),
        "height": numbers(100, 250), "weight": numbers(25, 300),
        "ethnicity": st.sampled_from([v for v, _ in calc.FIELDS_BY_KEY["ethnicity"].choices]),
        "smoking": st.sampled_from(["non", "ex", "light", "moderate", "heavy"]),
        "alcohol": st.sampled_from(["none", "lt1", "1to2", "3to6", "7to9", "gt9"]),
        "exercise_minutes": numbers(0, 10080),
        "tnf_alpha": lab(0, 10000), "il6": lab(0, 10000),
        "tnf_alpha_upper": numbers(0.001, 10000), "il6_upper": numbers(0.001, 10000),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            inputs[key] = draw(strategy)
    for key, units in LAB_RANGES.items():
        if draw(st.booleans()):
            unit = draw(st.sampled_from(sorted(units)))
            inputs[key + "_unit"] = unit
            inputs[key] = draw(lab(0, units[unit]))
            if key == "rankl" and draw(st.booleans()):
                inputs["rankl_upper"] = draw(numbers(0.001, units[unit]))
    for f in calc.FIELDS:
        if f.kind == "boolean" and (f.sex is None or f.sex == sex) and draw(st.booleans()):
            inputs[f.key] = draw(st.sampled_from([True, "yes", 1, "on", False, "no"]))
    if sex == "female" and draw(st.booleans()):
        inputs["menopause"] = draw(st.sampled_from(["no", "yes", "early"]))
    if inputs.get("type1_diabetes") in (True, "yes", 1, "on") and "type2_diabetes" in inputs:
        del inputs["type2_diabetes"]
    return inputs


@settings(max_examples=300)
@given(valid_inputs())
def test_valid_inputs_give_a_complete_json_result(inputs):
    result = calc.assess(inputs)
    check_result(result)
    assert len(result["points"]) == 15
    assert result["score"] == min(100, sum(result["points"].values()))
    codes = [r["code"] for r in result["recommendations"]]
    assert len(codes) == len(set(codes)), "no duplicate recommendations"
    # coverage counts answered and applicable factors
    answered = result["answered"]
    assert result["coverage"] == {"answered": sum(1 for a in answered.values() if a is True),
                                  "applicable": sum(1 for a in answered.values() if a is not None)}
    # no what-if makes things worse, and each is exactly assess's answer for changed inputs
    for item in result["what_if"]:
        assert item["score"] <= result["score"]
    # the educational score never suggests a scan: only the four guideline triggers do, and always
    values = parse(inputs)
    triggered = bool((result["ost"] and result["ost"]["category"] == "high")
                     or (result["qfracture"] and max(result["qfracture"]["osteoporotic"],
                                                     result["qfracture"]["hip"]) >= 10)
                     or values["corticosteroids"] or values["cancer_hormone_therapy"])
    assert ("dxa_scan" in codes) == triggered
    # version 2's reassurance is gone from every text
    assert "better guide" not in json.dumps(result).lower()


# A unit typed after the number reads exactly as the same unit chosen (docs/model.md, "Inputs").
TYPED_UNITS = {"vitamin_d": ("vitamin_d_unit", ["ng/mL", "nmol/L"]), "crp": ("crp_unit", ["mg/L", "mg/dL"]),
               "rankl": ("rankl_unit", ["ng/mL", "pg/mL"]), "height": ("height_unit", ["cm", "in"]),
               "weight": ("weight_unit", ["kg", "lb"])}


@settings(max_examples=300)
@given(valid_inputs(), st.sampled_from(sorted(TYPED_UNITS)), st.data())
def test_a_typed_unit_gives_the_same_result_as_the_same_unit_chosen(inputs, key, data):
    unit_key, units = TYPED_UNITS[key]
    unit = data.draw(st.sampled_from(units))
    number = data.draw(st.sampled_from(["<", ">", ""]) if key not in ("height", "weight") else st.just(""))
    number += f"{data.draw(st.floats(0, 300)):.3f}"  # (an exponent is a number error either way)
    spelling = data.draw(st.sampled_from([unit, unit.lower(), unit.upper(), " " + unit]))
    base = {k: v for k, v in inputs.items() if k not in (key, unit_key, key + "_upper")}

    def outcome(given):
        try:
            return calc.assess(given)
        except calc.ValidationError as error:
            return error.errors
    chosen = outcome({**base, key: number, unit_key: unit})
    typed = outcome({**base, key: number + spelling})
    assert typed == chosen


RISK_FLAGS = ["corticosteroids", "ra_sle", "malabsorption", "prior_fracture", "parent_history",
              "falls", "antidepressants", "cancer", "asthma_copd", "cvd", "dementia", "endocrine",
              "epilepsy", "liver_disease", "parkinsons", "renal_disease", "type1_diabetes",
              "type2_diabetes", "care_home"]


@settings(max_examples=300)
@given(valid_inputs(), st.sampled_from(RISK_FLAGS))
def test_turning_a_risk_factor_on_never_lowers_the_score(inputs, flag):
    before = calc.assess(inputs)["score"]
    try:
        after = calc.assess({**inputs, flag: True})["score"]
    except calc.ValidationError:
        assume(False)  # e.g. a sex-specific flag for the other sex
    assert after >= before


@settings(max_examples=300)
@given(valid_inputs(), st.sampled_from(["rankl", "tnf_alpha", "il6", "crp", "vitamin_d"]),
       st.floats(0, 1))
def test_worsening_a_lab_value_never_lowers_the_score(inputs, marker, fraction):
    base = {**inputs, marker: 0 if marker != "vitamin_d" else 400}
    base.pop(marker + "_upper", None)
    if marker == "vitamin_d":
        base["vitamin_d_unit"] = "ng/mL"
        worse = {**base, marker: 400 * (1 - fraction)}  # lower vitamin D is worse
    else:
        if marker in ("crp", "rankl"):
            base[marker + "_unit"] = "mg/L" if marker == "crp" else "ng/mL"
        high = 500 if marker == "crp" else 1000
        worse = {**base, marker: high * fraction}
    try:
        before, after = calc.assess(base)["score"], calc.assess(worse)["score"]
    except calc.ValidationError:
        assume(False)
    assert after >= before


def age_rises_between(equation):
    """Ages in 30..100 where the published age terms make the linear predictor rise.

    d/dx of coefficient * x^p (* ln x) at x = age / 10, worked out here from the
    coefficients themselves; the age terms are the only ones that change with age.
    """
    terms = [t for t in EQUATIONS[equation]["continuous"].values() if t["of"] == "age"]

    def slope(age):
        x = age / 10
        total = 0.0
        for t in terms:
            p = t["power"]
            d = p * x ** (p - 1)
            if t["times_log"]:
                d = d * math.log(x) + x ** (p - 1)
            total += t["coefficient"] * d
        return total

    rising = [age for age in range(30, 101) if slope(age) > 0]
    # one contiguous stretch, so any two ages in it have only rising ages between them
    assert rising == list(range(rising[0], rising[-1] + 1))
    return rising


def test_the_age_rise_regions_are_what_the_coefficients_say():
    # Women (both outcomes) and men's hip fracture rise over the whole range; men's
    # osteoporotic risk dips in the early thirties (-9.0 sqrt(x) + 2.4 x falls until x = 3.51).
    assert age_rises_between("osteoporotic_female") == list(range(30, 101))
    assert age_rises_between("hip_female") == list(range(30, 101))
    assert age_rises_between("hip_male") == list(range(30, 101))
    assert age_rises_between("osteoporotic_male") == list(range(36, 101))


@settings(max_examples=300)
@given(valid_inputs(), st.sampled_from(["osteoporotic_female", "hip_female", "osteoporotic_male", "hip_male"]),
       st.data())
def test_qfracture_rises_with_age_where_the_coefficients_say_it_must(inputs, equation, data):
    outcome, sex = equation.split("_")
    region = age_rises_between(equation)
    younger = data.draw(st.sampled_from(region[:-1]))
    older = data.draw(st.sampled_from([a for a in region if a > younger]))
    base = {k: v for k, v in inputs.items() if calc.FIELDS_BY_KEY[k].sex in (None, sex)}
    base.update(sex=sex, height=170, weight=data.draw(st.floats(57.8, 115.6)))
    for unit in ("height_unit", "weight_unit"):
        base.pop(unit, None)
    if sex == "male":
        base.pop("menopause", None)
    low = calc.assess({**base, "age": younger})["qfracture"][outcome]
    high = calc.assess({**base, "age": older})["qfracture"][outcome]
    assert high >= low


# The same quantity typed in another unit gives the same points, away from band edges.
def _far_from(edges, x, margin=1e-6):
    return all(abs(x - e) > margin * max(1, abs(e)) for e in edges)


@settings(max_examples=300)
@given(st.floats(0, 400), st.floats(0, 50), st.floats(0, 1000), st.floats(100, 250), st.floats(25, 300))
def test_the_same_quantity_in_another_unit_scores_the_same(vit_ng, crp_mg_dl, rankl_ng, cm, kg):
    assume(_far_from((12, 20, 30), vit_ng) and _far_from((1, 3), crp_mg_dl * 10))
    assume(_far_from((10, 20, 40), rankl_ng))
    metric = calc.assess({"vitamin_d": vit_ng, "vitamin_d_unit": "ng/mL", "crp": crp_mg_dl * 10,
                          "crp_unit": "mg/L", "rankl": rankl_ng, "rankl_unit": "ng/mL",
                          "height": cm, "weight": kg})
    inches, pounds = cm / 2.54, kg / 0.45359237
    assume(100 <= inches * 2.54 <= 250 and 25 <= pounds * 0.45359237 <= 300)
    assume(vit_ng * 2.496 <= 1000)
    other = calc.assess({"vitamin_d": vit_ng * 2.496, "vitamin_d_unit": "nmol/L", "crp": crp_mg_dl,
                         "crp_unit": "mg/dL", "rankl": rankl_ng * 1000, "rankl_unit": "pg/mL",
                         "height": inches, "height_unit": "in", "weight": pounds, "weight_unit": "lb"})
    assume(_far_from((18.5, 30), metric["bmi"]))
    assert metric["points"] == other["points"]
