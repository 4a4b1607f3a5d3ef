"""calc's tables as a page or a document shows them: the presentation API.

The site's build, docs and tests read these instead of calc's internals, so
the points table, the levels and the form can never drift from the scoring.
"""

from .advice import GUIDELINE_STEPS
from .fields import FIELDS, FIELDS_BY_KEY, SECTIONS
from .parse import FALSE_WORDS, TRUE_WORDS
from .score import CATEGORIES, CATEGORY_LABELS, FACTORS, INF, SCORE_CAP
from .text import join_words

LEVEL_LABELS = {"alert": "Important", "warning": "Worth acting on", "info": "Good to know"}


def _rows(factor):
    """(what counts, points) rows; a band with no label continues the row above it."""
    if factor.kind == "bands":
        rows = []
        for band in factor.bands:
            if band.label:
                rows.append((band.label, band.points))
        return rows
    if factor.kind == "choice":
        return [(choice.label, choice.points) for choice in factor.choices]
    names = [FIELDS_BY_KEY[key].label for key in factor.inputs]
    label = join_words(names, "or") + (" (counted once)" if len(names) > 1 else "")
    return [(label, factor.points)]


def points_table():
    """Every factor of the score with its rows and the most points it can give."""
    table = []
    for factor in FACTORS:
        rows = _rows(factor)
        table.append({"key": factor.key, "label": factor.label, "why": factor.why, "rows": rows,
                      "max": max(points for _, points in rows)})
    return table


def levels_text():
    """'under 20 low; 20 to 39 moderate; 40 to 59 high; 60 and over very high'."""
    parts, low = [], 0
    for below, name in CATEGORIES:
        label = CATEGORY_LABELS[name].lower()
        if low == 0:
            parts.append(f"under {below} {label}")
        elif below == INF:
            parts.append(f"{low} and over {label}")
        else:
            parts.append(f"{low} to {below - 1} {label}")
        low = below
    return "; ".join(parts)


def form():
    """The form's sections in order, each with its fields; a unit choice is listed
    with the value it sets (as "unit"), not as a field of its own."""
    sections = []
    for section in SECTIONS:
        fields = []
        for f in FIELDS:
            if f.section != section.key or f.unit_of:
                continue
            unit = FIELDS_BY_KEY[f.unit_field] if f.unit_field and not f.limit_of else None
            fields.append({"field": f, "unit": unit})
        sections.append({"section": section, "fields": fields})
    return sections


# The results' fixed headings and labels, placed by the page's template, so
# that no label of a result is written in the page's JavaScript.
RESULT_TEXT = {
    "validated": "Validated tool",
    "unvalidated": "Educational, not validated",
    "qfracture_title": "QFracture-2012: your chance of a broken bone in 10 years",
    "qfracture_figure": "Each grid is 100 people. On the left, people with your answers; on the right, "
                        "people of your age and sex with a BMI of 25 and none of the risk factors. "
                        "A filled figure is one who breaks a hip, spine, wrist or shoulder bone in 10 years.",
    "you": "You",
    "typical": "Typical",
    "ost_title": "OST: how likely a bone density scan is to find osteoporosis",
    "ost_index": "OST index",
    "score_title": "Inflammation and bone health score",
    "score_note": "An educational summary, not a validated test and not a diagnosis. Unanswered "
                  "questions are left out, not counted as good answers.",
    "factors_title": "Where the points come from",
    "next_title": "Next steps",
    "what_if_title": "What would help",
    "what_if_intro": "The score and QFracture again, with one habit changed and everything else as you entered it.",
    "what_if_score": "Educational score after the change",
    "what_if_qfracture": "QFracture after the change",
    "findings_title": "What stands out",
    "advice_title": "What you can do",
    "notes_title": "Notes",
}
NEXT_STEPS = GUIDELINE_STEPS  # the recommendations shown first, as next steps
# The words calc reads as yes and as no, for a page that reads answers from a link.
YES_NO_WORDS = {"true": sorted(TRUE_WORDS), "false": sorted(FALSE_WORDS)}
