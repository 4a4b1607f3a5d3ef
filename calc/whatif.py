"""What if: the score and QFracture-2012 again, with one habit changed.

For readers who ask what would help most (docs/model.md, "What if"). Each
change is applied to the parsed values and everything else stays as entered.
"""

from .fields import FIELDS_BY_KEY
from .text import join_words


def _exact_vitamin_d(values):
    """An exact vitamin D in ng/mL; infinity for none or a bound (what-if skips bounds)."""
    lab = values["vitamin_d"]
    if lab is None or lab[0] != "=":
        return float("inf")
    return FIELDS_BY_KEY["vitamin_d"].unit(values["vitamin_d_unit"]).to_base(lab[1])

# (code, applies to these values, the change, what the reader is told)
CHANGES = (
    ("stop_smoking",
     lambda v: v["smoking"] in ("light", "moderate", "heavy"),
     {"smoking": "ex"},
     "If you stopped smoking. Ex-smokers have a lower fracture risk than current smokers, "
     "though the benefit builds up over years."),
    ("less_alcohol",
     lambda v: v["alcohol"] in ("3to6", "7to9", "gt9"),
     {"alcohol": "1to2"},
     "If you drank 1 to 2 units a day. Fracture risk rises above about 2 units a day, and "
     "drinking less also makes falls less likely."),
    ("more_exercise",
     lambda v: v["exercise_minutes"] is not None and v["exercise_minutes"] < 150,
     {"exercise_minutes": 150},
     "If you did 150 minutes a week of weight-bearing or strengthening exercise. In trials, "
     "exercise slows bone loss a little and prevents falls; on its own it has not been shown "
     "to prevent fractures."),
    ("vitamin_d",
     lambda v: _exact_vitamin_d(v) < 30,
     {"vitamin_d": ("=", 30.0), "vitamin_d_unit": "ng/mL"},
     "If your vitamin D were 30 ng/mL (75 nmol/L). Correcting a low level helps bone, but in "
     "people not chosen for low levels, extra vitamin D did not prevent fractures."),
)
_CHANGED = {code: frozenset(change) for code, _, change, _ in CHANGES}  # the keys each change sets
ALL_TEXT = "If you made all of these changes: {changes}."
SHORT = {"stop_smoking": "stopped smoking", "less_alcohol": "drank less",
         "more_exercise": "exercised 150 minutes a week", "vitamin_d": "raised vitamin D to 30 ng/mL"}


def what_if(values, rescore):
    """[{"code", "text", "score", "qfracture"}] for each change that applies.

    `rescore(values, changed keys)` gives (score, qfracture without "typical")
    for changed values; the keys come as a frozenset.
    """
    items, combined = [], {}
    for code, applies, change, text in CHANGES:
        if not applies(values):
            continue
        combined.update(change)
        score, qf = rescore({**values, **change}, _CHANGED[code])
        items.append({"code": code, "text": text, "score": score, "qfracture": qf})
    if len(items) >= 2:
        score, qf = rescore({**values, **combined}, frozenset(combined))
        items.append({"code": "all", "text": ALL_TEXT.format(changes=join_words(SHORT[i["code"]] for i in items)),
                      "score": score, "qfracture": qf})
    return items
