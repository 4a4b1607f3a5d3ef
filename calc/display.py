"""display: every number and label the page shows, as text made here.

The page formats nothing itself: it places these strings. Numbers are cut,
never rounded up, so that a shown number never sits on the other side of an
edge the rules use (docs/model.md, "display").
"""

from .fields import FIELDS
from .qfracture import TYPICAL_BMI
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
    "low": "A scan seldom finds osteoporosis in this group, unless other risk factors are present. "
           "This does not replace the bone density screening some countries offer all women from 65.",
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


def qfracture_headline(qf, shown, sex, age):
    """The sentences the page leads with, and how many of 100 figures to fill.

    `shown` is qfracture_display(qf): its texts are reused, not made again.
    """
    if qf is None:
        return None
    mine, hip, typical = shown["osteoporotic"], shown["hip"], shown["typical"]["osteoporotic"]
    people_like_you = mine["people"]
    return {
        "of_100": of_100(qf["osteoporotic"]),
        "typical_of_100": of_100(qf["typical"]["osteoporotic"]),
        "sentence": f"{people_like_you[0].upper() + people_like_you[1:]} people like you break a hip, spine, wrist or "
                    "shoulder bone in the next 10 years.",
        "hip": f"Hip fracture alone: {hip['people']} ({hip['percent']}).",
        "percent": f"Any of those fractures: {mine['percent']}.",
        "typical": f"For a typical {SEX_WORDS[sex]} of {age} (BMI {TYPICAL_BMI}, none of the risk factors): "
                   f"{typical['people']}.",
    }


# What a missing validated result still needs, or why it does not apply, in a few words:
# keyed by the why-not codes of calc.qfracture and calc.ost.
QFRACTURE_MISSING = {"no_sex": "needs your sex", "no_age": "needs your age",
                     "age_out_of_range": "not for your age", "no_bmi": "needs height and weight",
                     "bmi_out_of_range": "not for your BMI"}
OST_MISSING = {"no_sex": "needs your sex", "no_age": "needs your age", "under_45": "not used under 45",
               "no_weight": "needs your weight"}


def _validated_parts(ost_result, ost_why, qf, shown_qf, qf_why):
    """(QFracture, OST) in a few words each: the result, or what it still needs.

    When the hip risk reaches the risk of any of those fractures, the hip figure
    goes beside it: the risk of any is at least the hip figure (qfracture_hip_higher),
    so the lead figure alone would understate it."""
    if shown_qf:
        qf_text = shown_qf["osteoporotic"]["people"]
        if qf["hip"] >= qf["osteoporotic"]:
            qf_text += f" (hip fracture alone {shown_qf['hip']['people']})"
    else:
        qf_text = QFRACTURE_MISSING[qf_why]
    ost_text = OST_LABELS[ost_result["category"]].lower() if ost_result else OST_MISSING[ost_why]
    return qf_text, ost_text


def summary(score, category, coverage, ost_result, ost_why, qf, shown_qf, qf_why):
    """One sentence for the screen reader's live region: the validated tools first."""
    qf_text, ost_text = _validated_parts(ost_result, ost_why, qf, shown_qf, qf_why)
    qf_text = f"{qf_text}, a broken hip, spine, wrist or shoulder in 10 years" if shown_qf else qf_text
    return (f"QFracture: {qf_text}. OST: {ost_text}. Educational score (not validated): {score} "
            f"out of 100, {CATEGORY_LABELS[category].lower()}, based on {coverage['answered']} of "
            f"{coverage['applicable']} factors.")


def short(score, category, ost_result, ost_why, qf, shown_qf, qf_why):
    """The pinned line on a phone: 'QFracture 8 in 100 · OST moderate · Educational score 29, moderate'."""
    qf_text, ost_text = _validated_parts(ost_result, ost_why, qf, shown_qf, qf_why)
    return (f"QFracture {qf_text} \u00b7 OST {ost_text} \u00b7 Educational score {score}, "
            f"{CATEGORY_LABELS[category].lower()}")


def _points_text(points):
    return "1 point" if points == 1 else f"{points} points"


def _answered_texts(factor):
    """{points: (text, bar)} for every number of points `factor` can give: made once, here.

    The bar is the factor's points as a share of the most it can give, as CSS width.
    """
    most = FACTOR_MAX[factor.key]
    possible = {0, factor.points, *(b.points for b in factor.bands), *(c.points for c in factor.choices)}
    return {p: (_points_text(p), f"{100 * p // most if most else 0}%") for p in possible}


_FACTOR_ROWS = tuple((f.key, f.label, _answered_texts(f)) for f in FACTORS)
_UNANSWERED_TEXT = {None: "does not apply", False: "not answered"}  # and no bar


def factor_rows(scores):
    """One row per factor of the score: its points as text and its bar (None if unanswered)."""
    rows = []
    points, answers = scores.points, scores.answered
    for key, label, texts in _FACTOR_ROWS:
        answered = answers[key]
        if answered:
            text, bar = texts[points[key]]
        else:
            text, bar = _UNANSWERED_TEXT[answered], None
        rows.append({"key": key, "label": label, "points": text, "answered": answered, "bar": bar})
    return rows


def display(score, category, scores, coverage, bmi, ost_result, qf, what_if, values, why_not):
    """Every shown number and line as text. `why_not` is (OST's, QFracture's) why-not code."""
    shown_qf = qfracture_display(qf)
    sex, age = values["sex"], values["age"]
    ost_why, qf_why = why_not
    return {
        "score": str(score),
        "score_out_of": f"{score} out of 100",
        "category": CATEGORY_LABELS[category],
        "coverage": f"based on {coverage['answered']} of {coverage['applicable']} factors",
        "factors": factor_rows(scores),
        "bmi": None if bmi is None else cut_1dp(bmi),
        "ost": None if ost_result is None else {
            "index": str(ost_result["index"]),
            "category": OST_LABELS[ost_result["category"]],
            "population": POPULATION_TEXT[ost_result["population"]],
            "meaning": OST_MEANING[ost_result["category"]],
        },
        "qfracture": shown_qf,
        "headline": qfracture_headline(qf, shown_qf, sex, age),
        "summary": summary(score, category, coverage, ost_result, ost_why, qf, shown_qf, qf_why),
        "short": short(score, category, ost_result, ost_why, qf, shown_qf, qf_why),
        "units": units_read(values),
        "what_if": what_if_rows(what_if, qf, shown_qf),
    }


_UNIT_KEYS = tuple((f.key, f.unit_field) for f in FIELDS if f.unit_field and not f.limit_of)


def units_read(values):
    """{value key: the unit it was read in} for each entered value with a unit choice, so that
    the page can show the unit calc read from text like "45 nmol/L" (docs/model.md, "display")."""
    entered = values["_entered"]
    return {key: values[unit_field] for key, unit_field in _UNIT_KEYS if key in entered}


def what_if_rows(what_if, qf, shown_qf):
    """Each what-if's score and QFracture as text.

    A change that leaves QFracture as assessed (exercise, vitamin D) shows the
    assessed figures, already made for `shown_qf`: equal numbers, equal text.
    """
    rows = []
    for item in what_if:
        new_qf = item["qfracture"]
        if new_qf is not None and new_qf["osteoporotic"] == qf["osteoporotic"] and new_qf["hip"] == qf["hip"]:
            shown = {"osteoporotic": dict(shown_qf["osteoporotic"]), "hip": dict(shown_qf["hip"])}
        else:
            shown = qfracture_display(new_qf)
        rows.append({"code": item["code"], "score": str(item["score"]),
                     "category": CATEGORY_LABELS[category_of(item["score"])], "qfracture": shown})
    return rows
