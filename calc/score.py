"""A. The inflammation and bone health score: fifteen factors, transparent points.

Each factor is data. A band or choice carries everything that depends on it:
its points, the label the points table shows, and the code and level of the
finding it gives. Scoring reports which band each factor hit, and the advice
reads that, so an edge is written once, here (docs/model.md, "A").
"""

from dataclasses import dataclass
from typing import NamedTuple

from .fields import FIELDS_BY_KEY

INF = float("inf")


@dataclass(frozen=True)
class Band:
    """Values below `upper` (or up to and including it, if inclusive).

    A band with an empty label continues the previous row of the points table:
    it splits a range that scores the same only to give a different finding.
    """

    upper: float
    inclusive: bool
    points: int
    label: str
    code: str | None = None  # the finding this band gives; None gives none
    level: str | None = None  # "info", "warning" or "alert"
    detail: str = ""  # the band's own range, where the label covers more than one band


@dataclass(frozen=True)
class Choice:
    value: str
    points: int
    label: str
    code: str
    level: str


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    why: str  # one plain sentence: why this factor counts
    kind: str  # "bands", "choice" or "flag"
    inputs: tuple  # the input keys that answer it
    bands: tuple = ()  # kind "bands": ascending, the last unbounded
    choices: tuple = ()  # kind "choice": the values that score
    points: int = 0  # kind "flag": points when any input is yes
    code: str = ""  # kind "flag": its finding
    level: str = ""
    unit: str = ""  # the unit the bands are in, for the points table

    @property
    def point_edges(self):
        """The band edges where the points change (docs/model.md, "Bounds")."""
        return _POINT_EDGES[self.key]


class Scores(NamedTuple):
    """What evaluate() found, as plain dicts keyed by factor, in FACTORS order."""

    points: dict  # every factor: its points
    answered: dict  # every factor: True, False, or None where it does not apply (menopause for men)
    hits: dict  # the factors with a Band, Choice or Factor that applies (gives points or a finding)
    imprecise: dict  # the factors read from a bound that spans an edge: that reading (op, x, top)


def _marker_bands(marker, points):
    labels = ("up to the upper limit", "more than 1 and up to 2 times the limit",
              "more than 2 and up to 4 times the limit", "more than 4 times the limit")
    # "info", never more: no guideline uses these tests to judge bone health (docs/model.md)
    return tuple(
        Band(upper, upper != INF, p, label, None if p == 0 else f"{marker}_raised", None if p == 0 else "info")
        for upper, p, label in zip((1, 2, 4, INF), points, labels))


FACTORS = (
    Factor("age", "Age", "Bone mass peaks around 30 and falls with each decade after.",
           "bands", ("age",), unit="years", bands=(
               Band(40, False, 0, "under 40"), Band(50, False, 3, "40 to 49", "age", "info"),
               Band(60, False, 6, "50 to 59", "age", "info"), Band(70, False, 10, "60 to 69", "age", "info"),
               Band(80, False, 14, "70 to 79", "age", "info"), Band(INF, False, 18, "80 and over", "age", "info"))),
    Factor("menopause", "Menopause",
           "Falling oestrogen frees RANKL and inflammatory messengers, and bone loss speeds up.",
           "choice", ("menopause",), choices=(
               Choice("yes", 8, "after menopause", "menopause", "info"),
               Choice("early", 12, "menopause before 45", "early_menopause", "warning"))),
    Factor("bmi", "Body mass index",
           "Low body weight goes with thinner bones and less padding in a fall; obesity brings "
           "low-grade inflammation.",
           "bands", ("height", "weight"), unit="kg/m\u00b2", bands=(
               Band(18.5, False, 8, "below 18.5", "low_bmi", "warning"),
               Band(30, False, 0, "18.5 to under 30"),
               Band(INF, False, 3, "30 or more", "high_bmi", "info"))),
    Factor("smoking", "Smoking", "Smoking raises fracture risk, most of all of the hip.",
           "choice", ("smoking",), choices=tuple(
               Choice(v, 5, f"{v} smoker", "smoking", "warning") for v in ("light", "moderate", "heavy"))),
    Factor("alcohol", "Alcohol", "Above about 2 units a day, fracture risk rises.",
           "choice", ("alcohol",), choices=(
               Choice("3to6", 5, "3 to 6 units a day", "alcohol", "warning"),
               Choice("7to9", 5, "7 to 9 units a day", "heavy_alcohol", "warning"),
               Choice("gt9", 5, "more than 9 units a day", "heavy_alcohol", "warning"))),
    Factor("corticosteroids", "Steroid tablets",
           "Regular steroid tablets slow bone formation and speed bone loss.",
           "flag", ("corticosteroids",), points=10, code="corticosteroids", level="warning"),
    Factor("inflammatory_condition", "Inflammatory disease",
           "Rheumatoid arthritis, lupus and inflammatory bowel disease drive bone loss through "
           "TNF-alpha, IL-6 and RANKL.",
           "flag", ("ra_sle", "malabsorption"), points=10, code="inflammatory_condition", level="warning"),
    Factor("prior_fracture", "Previous fracture",
           "A past fracture is one of the strongest signs that another may follow.",
           "flag", ("prior_fracture",), points=15, code="prior_fracture", level="alert"),
    Factor("parent_history", "Parent with osteoporosis",
           "A parent's fracture, above all a broken hip, raises your own fracture risk.",
           "flag", ("parent_history",), points=6, code="parent_history", level="info"),
    Factor("exercise", "Exercise",
           "Loading bone tells it to grow stronger; inactivity lets it thin.",
           "bands", ("exercise_minutes",), unit="minutes a week", bands=(
               Band(0, True, 10, "none (exactly 0 minutes a week)", "no_exercise", "warning"),
               Band(75, False, 7, "more than 0 and under 75 minutes a week", "low_exercise", "info"),
               Band(150, False, 4, "75 to under 150 minutes a week", "some_exercise", "info"),
               Band(INF, False, 0, "150 minutes a week or more"))),
    Factor("rankl", "RANKL", "RANKL is the signal that creates and activates bone-resorbing osteoclasts.",
           "bands", ("rankl",), unit="times the upper limit", bands=_marker_bands("rankl", (0, 6, 9, 12))),
    Factor("tnf_alpha", "TNF-alpha", "TNF-alpha boosts osteoclasts and holds back bone formation.",
           "bands", ("tnf_alpha",), unit="times the upper limit", bands=_marker_bands("tnf_alpha", (0, 5, 8, 10))),
    Factor("il6", "IL-6", "IL-6 raises RANKL and feeds chronic inflammation.",
           "bands", ("il6",), unit="times the upper limit", bands=_marker_bands("il6", (0, 5, 8, 10))),
    Factor("vitamin_d", "Vitamin D",
           "Without enough vitamin D the gut absorbs too little calcium to keep bone mineralised.",
           "bands", ("vitamin_d",), unit="ng/mL", bands=(
               Band(12, False, 16, "under 12 ng/mL (about 30 nmol/L)", "vitamin_d_deficient", "alert"),
               Band(20, False, 10, "12 to under 20 ng/mL (about 30 to 50 nmol/L)", "vitamin_d_low", "warning"),
               # from 20 ng/mL nothing: the US National Academy of Medicine's level for bone (30 is contested)
               Band(100, True, 0, "20 ng/mL (about 50 nmol/L) or more", detail="20 to 100 ng/mL"),
               Band(150, True, 0, "", "vitamin_d_high", "info", "above 100 and up to 150 ng/mL"),
               Band(INF, False, 0, "", "vitamin_d_toxic", "alert", "above 150 ng/mL"))),
    Factor("crp", "CRP", "CRP is a general marker of inflammation somewhere in the body.",
           "bands", ("crp",), unit="mg/L", bands=(
               Band(1, False, 0, "under 1 mg/L"),
               Band(3, True, 3, "1 to 3 mg/L", "crp_borderline", "info"),
               Band(10, False, 6, "above 3 mg/L", "crp_raised", "warning", "above 3 and under 10 mg/L"),
               Band(50, False, 6, "", "crp_acute", "warning", "10 to under 50 mg/L"),
               Band(INF, False, 6, "", "crp_very_high", "alert", "50 mg/L or more"))),
)

FACTORS_BY_KEY = {f.key: f for f in FACTORS}
_INPUT_SETS = {f.key: frozenset(f.inputs) for f in FACTORS}
_POINT_EDGES = {f.key: tuple(b.upper for b, after in zip(f.bands, f.bands[1:]) if b.points != after.points)
                for f in FACTORS}
MARKERS = ("rankl", "tnf_alpha", "il6")
# For each choice factor, {input value: the Choice that scores it} (values that score nothing are absent)
_CHOICE_BY_VALUE = {f.key: {c.value: c for c in f.choices} for f in FACTORS if f.kind == "choice"}

# Answers and edges that other rules share (the guideline triggers, the what-ifs), read
# from the tables above so that moving an edge is one change.
CURRENT_SMOKING = frozenset(c.value for c in FACTORS_BY_KEY["smoking"].choices)  # light, moderate, heavy
ALCOHOL_3_OR_MORE = frozenset(c.value for c in FACTORS_BY_KEY["alcohol"].choices)  # 3 or more units a day
LOW_BMI = FACTORS_BY_KEY["bmi"].bands[0].upper  # 18.5: below it, a low BMI


def answer_below_scoring(key):
    """The highest answer of a choice factor that scores nothing: 'ex' (smoking), '1to2' (alcohol)."""
    factor = FACTORS_BY_KEY[key]
    order = [value for value, _ in FIELDS_BY_KEY[factor.inputs[0]].choices]
    return order[min(order.index(c.value) for c in factor.choices) - 1]


def scores_nothing_from(key):
    """The value from which a banded factor scores nothing: 150 (exercise), 20 (vitamin D)."""
    bands = FACTORS_BY_KEY[key].bands
    return next(b.upper for b, after in zip(bands, bands[1:]) if b.points and not after.points)


SCORE_CAP = 100
CATEGORIES = ((20, "low"), (40, "moderate"), (60, "high"), (INF, "very_high"))  # (score below which, category)
CATEGORY_LABELS = {"low": "Low", "moderate": "Moderate", "high": "High", "very_high": "Very high"}


def bmi(values):
    """BMI from height (cm) and weight (kg), or None if either is missing."""
    height, weight = values["height"], values["weight"]
    if height is None or weight is None:
        return None
    metres = height / 100
    return weight / (metres * metres)


_EXACT_INPUT = {"age": "age", "exercise": "exercise_minutes"}  # banded factors that read one plain number


def place(factor, reading):
    """(band, imprecise): the band a reading is in, or (None, True) if a bound spans an edge."""
    op, x, top = reading
    if op == "=":
        for band in factor.bands:  # a plain loop: this is the hot path
            if x < band.upper or (band.inclusive and x == band.upper):
                return band, False
    lo, hi = (0.0, x) if op == "<" else (x, top)
    if any(lo < edge < hi for edge in factor.point_edges):
        return None, True
    # Every value the bound allows scores the same. Its finding is that of the
    # band nearest the bound's number, the mildest the bound allows, because
    # findings only grow more severe away from the normal band.
    if op == "<":
        return next(b for b in factor.bands if hi <= b.upper), False
    return next(b for b in factor.bands if lo < b.upper), False


# --- scoring: one function per factor, built once from FACTORS
#
# evaluate() scores fifteen factors on every call (and assess is called per
# keystroke), so what kind each factor is, and where its reading comes from,
# is settled here once rather than looked up again for each factor each time.

def _band_of(bands, x):
    """The band an exact value is in (the last band is unbounded, so there is one)."""
    for band in bands:  # a plain loop: this is the hot path
        if x < band.upper or (band.inclusive and x == band.upper):
            return band
    return None


def _hit_finder(factor):
    """hit(values, bmi) -> (the Band, Choice or Factor that applies, or None;
    the reading if it is imprecise, else None)."""
    key, kind, bands = factor.key, factor.kind, factor.bands
    if kind == "choice":
        by_value, answer = _CHOICE_BY_VALUE[key], factor.inputs[0]
        return lambda values, bmi_value: (by_value.get(values[answer]), None)
    if kind == "flag":
        inputs = factor.inputs

        def flag_hit(values, bmi_value):
            for input_key in inputs:
                if values[input_key]:
                    return factor, None
            return None, None
        return flag_hit
    if key == "bmi" or key in _EXACT_INPUT:  # an exact number: its band, no bounds to weigh
        answer = _EXACT_INPUT.get(key)

        def exact_hit(values, bmi_value):
            x = bmi_value if answer is None else values[answer]
            return (None if x is None else _band_of(bands, x)), None
        return exact_hit

    read_lab = _lab_reading(key)

    def lab_hit(values, bmi_value):
        read = read_lab(values)
        if read is None:
            return None, None
        band, spans = place(factor, read)
        return band, read if spans else None
    return lab_hit


def _lab_reading(key):
    """reading(values) -> what the lab factor `key` reads: (op, x, top) in the factor's unit, or None.

    op is "=" for an exact value, "<" or ">" for a bound; top is the largest
    value the field allows, in the same unit (the far end of a ">" bound). A
    marker is read in multiples of its upper limit. The field, its units and
    whether it is a marker are looked up here, once.
    """
    f = FIELDS_BY_KEY[key]
    units, unit_field, only_unit = {u.name: u for u in f.units}, f.unit_field, f.units[0]
    upper_key = key + "_upper" if key in MARKERS else None  # a marker: in multiples of the upper limit

    def reading(values):
        lab = values[key]
        if lab is None:
            return None
        unit = units[values[unit_field]] if unit_field else only_unit
        op, x = lab
        if upper_key:
            upper = values[upper_key]
            return (op, x / upper, unit.max / upper)
        return (op, unit.to_base(x), unit.to_base(unit.max))
    return reading


def _answered_finder(factor):
    """answered(values, entered) for the two factors with a rule of their own, else None:
    a factor is answered when any of its inputs was entered."""
    if factor.key == "menopause":
        inputs = frozenset(factor.inputs)
        return lambda values, entered: None if values["sex"] == "male" else not entered.isdisjoint(inputs)
    if factor.key == "bmi":
        return lambda values, entered: "height" in entered and "weight" in entered
    return None


_HIT = {f.key: _hit_finder(f) for f in FACTORS}
_SCORERS = tuple((f.key, _HIT[f.key], _INPUT_SETS[f.key], _answered_finder(f)) for f in FACTORS)


def evaluate(values, bmi_value):
    """Scores for all fifteen factors (see Scores)."""
    entered = values["_entered"]
    scores = Scores({}, {}, {}, {})
    points, answered, hits, imprecise = scores
    for key, hit_of, inputs, own_rule in _SCORERS:
        hit, spans = hit_of(values, bmi_value)
        if hit is None:
            points[key] = 0
        else:
            points[key] = hit.points
            hits[key] = hit
        if spans is not None:
            imprecise[key] = spans
        answered[key] = not entered.isdisjoint(inputs) if own_rule is None else own_rule(values, entered)
    return scores


def factors_reading(keys):
    """The keys of the factors that read any of these input keys (a frozenset)."""
    return tuple(f.key for f in FACTORS if not _INPUT_SETS[f.key].isdisjoint(keys))


def points_of(key, values, bmi_value):
    """One factor's points."""
    hit, _ = _HIT[key](values, bmi_value)
    return hit.points if hit else 0


def capped(points):
    return min(SCORE_CAP, sum(points))


def category(score):
    for below, name in CATEGORIES:  # a plain loop: it runs for every what-if too
        if score < below:
            return name
