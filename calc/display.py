"""display: every number and label the page shows, as text made here.

The page formats nothing itself: it places these strings. Numbers are cut,
never rounded up, so that a shown number never sits on the other side of an
edge the rules use (docs/model.md, "display").
"""

from .score import CATEGORY_LABELS, FACTORS, category as category_of
from .text import cut_1dp, of_100, people, percent
from .view import points_table

FACTOR_MAX = {row["key"]: row["max"] for row in points_table()}  # the bars' full width

OST_LABELS = {"low": "Low", "moderate": "Moderate", "high": "High"}
OST_MEANING = {
    "high": "In the studies behind OST, a bone density scan found osteoporosis most often in "
            "this group. OST suggests a scan is worth discussing.",
    "moderate": "A scan finds osteoporosis in some people in this group; whether one is worth "
                "having depends on your other risk factors.",
    "low": "A scan seldom finds osteoporosis in this group, unless other risk factors are present.",
}
POPULATION_TEXT = {"women": "for women (Koh 2001)", "men": "for men (Adler 2003)"}


def _risk(p):
    return {"percent": percent(p), "people": people(p)}


def qfracture_display(qf):
    if qf is None:
        return None
    shown = {"osteoporotic": _risk(qf["osteoporotic"]), "hip": _risk(qf["hip"])}
    if "typical" in qf:
        typical = qf["typical"]
        shown["typical"] = {"osteoporotic": _risk(typical["osteoporotic"]), "hip": _risk(typical["hip"])}
    return shown


SEX_WORDS = {"female": "woman", "male": "man"}


def qfracture_headline(qf, sex, age):
    """The sentences the page leads with, and how many of 100 figures to fill."""
    if qf is None:
        return None
    mine = people(qf["osteoporotic"])
    typical = qf["typical"]
    return {
        "of_100": of_100(qf["osteoporotic"]),
        "typical_of_100": of_100(typical["osteoporotic"]),
        "sentence": f"{mine[0].upper() + mine[1:]} people like you break a hip, spine, wrist or "
                    "shoulder bone in the next 10 years.",
        "hip": f"Hip fracture alone: {people(qf['hip'])} ({percent(qf['hip'])}).",
        "percent": f"Any of those fractures: {percent(qf['osteoporotic'])}.",
        "typical": f"For a typical {SEX_WORDS[sex]} of {age} (BMI 25, none of the risk factors): "
                   f"{people(typical['osteoporotic'])}.",
    }


def summary(score, category, coverage, ost_result, qf):
    """One short line for the screen reader's live region: the headline result."""
    parts = []
    if qf is not None:
        parts.append(f"QFracture: {people(qf['osteoporotic'])} in 10 years.")
    if ost_result is not None:
        parts.append(f"OST: {OST_LABELS[ost_result['category']].lower()}.")
    parts.append(f"Educational score: {score} out of 100, {CATEGORY_LABELS[category].lower()}, "
                 f"based on {coverage['answered']} of {coverage['applicable']} factors.")
    return " ".join(parts)


def short(score, category, ost_result, qf):
    """The pinned line on a phone: 'QFracture 8 in 100 · OST moderate · Score 29, moderate'."""
    parts = []
    if qf is not None:
        parts.append(f"QFracture {people(qf['osteoporotic'])}")
    if ost_result is not None:
        parts.append(f"OST {OST_LABELS[ost_result['category']].lower()}")
    parts.append(f"Score {score}, {CATEGORY_LABELS[category].lower()}")
    return " · ".join(parts)


def _bar(s, most):
    """The width of a factor's bar, as CSS: None for a factor with no answer."""
    if not s.answered:
        return None
    return f"{100 * s.points // most if most else 0}%"


def _points_text(s):
    if s.answered is None:
        return "does not apply"
    if not s.answered:
        return "not answered"
    return "1 point" if s.points == 1 else f"{s.points} points"


def display(score, category, scored, coverage, bmi, ost_result, qf, what_if, sex=None, age=None):
    factors = [{"key": f.key, "label": f.label, "points": _points_text(scored[f.key]),
                "answered": scored[f.key].answered, "bar": _bar(scored[f.key], FACTOR_MAX[f.key])}
               for f in FACTORS]
    return {
        "score": str(score),
        "score_out_of": f"{score} out of 100",
        "category": CATEGORY_LABELS[category],
        "coverage": f"based on {coverage['answered']} of {coverage['applicable']} factors",
        "factors": factors,
        "bmi": None if bmi is None else cut_1dp(bmi),
        "ost": None if ost_result is None else {
            "index": str(ost_result["index"]),
            "category": OST_LABELS[ost_result["category"]],
            "population": POPULATION_TEXT[ost_result["population"]],
            "meaning": OST_MEANING[ost_result["category"]],
        },
        "qfracture": qfracture_display(qf),
        "headline": qfracture_headline(qf, sex, age),
        "summary": summary(score, category, coverage, ost_result, qf),
        "short": short(score, category, ost_result, qf),
        "what_if": [{"code": item["code"], "score": str(item["score"]),
                     "category": CATEGORY_LABELS[category_of(item["score"])],
                     "qfracture": qfracture_display(item["qfracture"])} for item in what_if],
    }

