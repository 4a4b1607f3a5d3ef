"""display: every number and label the page shows, as text made here.

The page formats nothing itself: it places these strings. Numbers are cut,
never rounded up, so that a shown number never sits on the other side of an
edge the rules use (docs/model.md, "display").
"""

from .score import CATEGORY_LABELS, FACTORS, category as category_of
from .text import cut_1dp, people, percent

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


def _points_text(s):
    if s.answered is None:
        return "does not apply"
    if not s.answered:
        return "not answered"
    return "1 point" if s.points == 1 else f"{s.points} points"


def display(score, category, scored, coverage, bmi, ost_result, qf, what_if):
    factors = [{"key": f.key, "label": f.label, "points": _points_text(scored[f.key])}
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
        "what_if": [{"code": item["code"], "score": str(item["score"]),
                     "category": CATEGORY_LABELS[category_of(item["score"])],
                     "qfracture": qfracture_display(item["qfracture"])} for item in what_if],
    }

