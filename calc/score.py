"""A. The inflammation and bone health score: fifteen factors, transparent points.

Each factor is data: which input it reads and how that input maps to points.
The scoring below and the "How the calculator works" page both read FACTORS,
so the page cannot drift from the code.
"""

from dataclasses import dataclass

INF = float("inf")


@dataclass(frozen=True)
class Band:
    """Values below `upper` (or up to and including it, if inclusive) score `points`."""

    upper: float
    inclusive: bool
    points: int
    label: str


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    why: str  # one plain sentence: why this factor counts
    kind: str  # "bands", "choice" or "flag"
    bands: tuple = ()  # kind "bands": ascending Band entries, the last is unbounded
    choices: tuple = ()  # kind "choice": (value, points, label) for values that score
    flags: tuple = ()  # kind "flag": input keys, any one set scores `points` once
    points: int = 0  # kind "flag"
    source: str = ""  # input key (bands, choice); for derived values, a description


def band_points(bands, x):
    """Points of the first band that holds x."""
    for band in bands:
        if x < band.upper or (band.inclusive and x == band.upper):
            return band.points
    raise ValueError(f"no band holds {x!r}")  # unreachable: the last band is unbounded


_MARKER_LABELS = ("up to the upper limit", "more than 1 and up to 2 times the limit",
                  "more than 2 and up to 4 times the limit", "more than 4 times the limit")


def _marker_bands(points):
    return tuple(Band(upper, True, p, label)
                 for upper, p, label in zip((1, 2, 4, INF), points, _MARKER_LABELS))


FACTORS = (
    Factor("age", "Age", "Bone mass peaks around 30 and falls with each decade after.",
           "bands", source="age", bands=(
               Band(40, False, 0, "under 40"), Band(50, False, 3, "40 to 49"),
               Band(60, False, 6, "50 to 59"), Band(70, False, 10, "60 to 69"),
               Band(80, False, 14, "70 to 79"), Band(INF, False, 18, "80 and over"))),
    Factor("menopause", "Menopause",
           "Falling oestrogen frees RANKL and inflammatory cytokines, and bone loss speeds up.",
           "choice", source="menopause",
           choices=(("yes", 8, "after menopause"), ("early", 12, "menopause before 45"))),
    Factor("bmi", "Body mass index",
           "Low body weight means less bone to lose; obesity adds low-grade inflammation.",
           "bands", source="weight in kg / (height in m)\u00b2", bands=(
               Band(18.5, False, 8, "below 18.5"), Band(30, False, 0, "18.5 to under 30"),
               Band(INF, False, 3, "30 or more"))),
    Factor("smoking", "Smoking", "Smoking slows bone-building cells and lowers oestrogen.",
           "choice", source="smoking",
           choices=(("light", 5, "light smoker"), ("moderate", 5, "moderate smoker"),
                    ("heavy", 5, "heavy smoker"))),
    Factor("alcohol", "Alcohol", "Three or more units a day harms bone cells and raises the risk of falls.",
           "choice", source="alcohol",
           choices=(("3to6", 5, "3 to 6 units a day"), ("7to9", 5, "7 to 9 units a day"),
                    ("gt9", 5, "more than 9 units a day"))),
    Factor("corticosteroids", "Steroid tablets",
           "Long courses of oral steroids slow bone formation within weeks.",
           "flag", flags=("corticosteroids",), points=10),
    Factor("inflammatory_condition", "Inflammatory disease",
           "Rheumatoid arthritis, lupus and inflammatory bowel disease drive bone loss through TNF-alpha, IL-6 and RANKL.",
           "flag", flags=("ra_sle", "malabsorption"), points=10),
    Factor("prior_fracture", "Previous fracture",
           "A past fracture is one of the strongest signs that another may follow.",
           "flag", flags=("prior_fracture",), points=15),
    Factor("parent_history", "Parent with osteoporosis",
           "Peak bone mass and bone shape are largely inherited.",
           "flag", flags=("parent_history",), points=6),
    Factor("exercise", "Exercise",
           "Loading bone tells it to grow stronger; inactivity lets it thin.",
           "bands", source="exercise_minutes", bands=(
               Band(0, True, 10, "none (0 minutes a week)"),
               Band(75, False, 7, "more than 0 and under 75 minutes a week"),
               Band(150, False, 4, "75 to under 150 minutes a week"),
               Band(INF, False, 0, "150 minutes a week or more"))),
    Factor("rankl", "RANKL", "RANKL is the signal that creates and activates bone-resorbing osteoclasts.",
           "bands", source="rankl / rankl_upper", bands=_marker_bands((0, 10, 15, 20))),
    Factor("tnf_alpha", "TNF-alpha", "TNF-alpha boosts osteoclasts and holds back bone formation.",
           "bands", source="tnf_alpha / tnf_alpha_upper", bands=_marker_bands((0, 8, 12, 16))),
    Factor("il6", "IL-6", "IL-6 raises RANKL and feeds chronic inflammation.",
           "bands", source="il6 / il6_upper", bands=_marker_bands((0, 8, 12, 16))),
    Factor("vitamin_d", "Vitamin D",
           "Without enough vitamin D the gut absorbs too little calcium to keep bone mineralised.",
           "bands", source="vitamin_d in ng/mL", bands=(
               Band(12, False, 20, "under 12 ng/mL (30 nmol/L)"),
               Band(20, False, 14, "12 to under 20 ng/mL"),
               Band(30, False, 8, "20 to under 30 ng/mL"),
               Band(INF, False, 0, "30 ng/mL (75 nmol/L) or more"))),
    Factor("crp", "CRP", "CRP is a general marker of inflammation somewhere in the body.",
           "bands", source="crp in mg/L", bands=(
               Band(1, False, 0, "under 1 mg/L"), Band(3, True, 3, "1 to 3 mg/L"),
               Band(INF, False, 6, "above 3 mg/L"))),
)

FACTORS_BY_KEY = {f.key: f for f in FACTORS}

SCORE_CAP = 100

CATEGORIES = (  # (score below which, category)
    (20, "low"), (40, "moderate"), (60, "high"), (INF, "very_high"),
)
CATEGORY_LABELS = {"low": "Low", "moderate": "Moderate", "high": "High", "very_high": "Very high"}


def bmi(values):
    """BMI from height and weight, or None if either is missing."""
    height, weight = values["height_cm"], values["weight_kg"]
    if height is None or weight is None:
        return None
    metres = height / 100
    return weight / (metres * metres)


def vitamin_d_ng_ml(values):
    x = values["vitamin_d"]
    if x is None or values["vitamin_d_unit"] == "ng/mL":
        return x
    return x / 2.496


def crp_mg_l(values):
    x = values["crp"]
    if x is None or values["crp_unit"] == "mg/L":
        return x
    return x * 10


def marker_ratio(values, key):
    x = values[key]
    return None if x is None else x / values[key + "_upper"]


def measures(values):
    """The number each banded factor reads, or None where it was not entered."""
    return {
        "age": values["age"],
        "bmi": bmi(values),
        "exercise": values["exercise_minutes"],
        "rankl": marker_ratio(values, "rankl"),
        "tnf_alpha": marker_ratio(values, "tnf_alpha"),
        "il6": marker_ratio(values, "il6"),
        "vitamin_d": vitamin_d_ng_ml(values),
        "crp": crp_mg_l(values),
    }


def factor_points(values, measured):
    """{factor key: points} for all fifteen factors."""
    points = {}
    for factor in FACTORS:
        if factor.kind == "bands":
            x = measured[factor.key]
            points[factor.key] = 0 if x is None else band_points(factor.bands, x)
        elif factor.kind == "choice":
            value = values[factor.source]
            points[factor.key] = next((p for v, p, _ in factor.choices if v == value), 0)
        else:
            points[factor.key] = factor.points if any(values[k] for k in factor.flags) else 0
    return points


def category(score):
    for below, name in CATEGORIES:
        if score < below:
            return name
    raise ValueError(score)  # unreachable


def total(points):
    return min(SCORE_CAP, sum(points.values()))
