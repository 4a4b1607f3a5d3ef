"""What if: the score and QFracture-2012 again, with one habit changed.

For readers who ask what would help most (docs/model.md, "What if"). Each
change is applied to the parsed values and everything else stays as entered.

Nothing is scored twice. A change sets every input of the score's factors it
touches, and never height, weight, sex, age or a yes/no answer, so:
- the points those factors give after the change depend on the change alone,
  and are worked out once, at import, from the score's own tables;
- QFracture differs only in its categorical terms (smoking, alcohol), which
  qfracture.risks() adds to the assessed fixed terms in the C's order.
Each result is still exactly what assess would give for the changed inputs
(tests/test_results.py checks that).
"""

from . import score
from .fields import FIELDS, FIELDS_BY_KEY
from .qfracture import FIXED_INPUTS as QFRACTURE_FIXED_INPUTS, INPUTS as QFRACTURE_INPUTS, risks
from .text import fmt, join_words


def _exact_vitamin_d(values):
    """An exact vitamin D in ng/mL; infinity for none or a bound (what-if skips bounds)."""
    lab = values["vitamin_d"]
    if lab is None or lab[0] != "=":
        return float("inf")
    return FIELDS_BY_KEY["vitamin_d"].unit(values["vitamin_d_unit"]).to_base(lab[1])

# The targets come from the score's own tables: the answer or value from which the factor scores nothing.
EX_SMOKER = score.answer_below_scoring("smoking")  # "ex"
MODERATE_ALCOHOL = score.answer_below_scoring("alcohol")  # "1to2"
ENOUGH_EXERCISE = score.scores_nothing_from("exercise")  # 150 minutes a week
ENOUGH_VITAMIN_D = score.scores_nothing_from("vitamin_d")  # 20 ng/mL
_VITAMIN_D_NMOL = FIELDS_BY_KEY["vitamin_d"].unit("nmol/L")
_VITAMIN_D_TEXT = f"{fmt(ENOUGH_VITAMIN_D)} ng/mL ({fmt(ENOUGH_VITAMIN_D * _VITAMIN_D_NMOL.convert[1], 0)} nmol/L)"
_ALCOHOL_LABEL = dict(FIELDS_BY_KEY["alcohol"].choices)[MODERATE_ALCOHOL]

# (code, applies to these values, the change, what the reader is told). Each text says what
# trials show for the change, including where they show no fracture benefit (docs/model.md).
CHANGES = (
    ("stop_smoking",
     lambda v: v["smoking"] in score.CURRENT_SMOKING,
     {"smoking": EX_SMOKER},
     "If you stopped smoking. In studies that followed people for years, those who had stopped "
     "broke fewer bones than those still smoking, though the benefit builds up slowly; no trial "
     "has tested it."),
    ("less_alcohol",
     lambda v: v["alcohol"] in score.ALCOHOL_3_OR_MORE,
     {"alcohol": MODERATE_ALCOHOL},
     f"If you drank {_ALCOHOL_LABEL[0].lower() + _ALCOHOL_LABEL[1:]}. In studies, fracture risk "
     "rises above about 2 units a day; no trial has tested cutting down for fractures."),
    ("more_exercise",
     lambda v: v["exercise_minutes"] is not None and v["exercise_minutes"] < ENOUGH_EXERCISE,
     {"exercise_minutes": ENOUGH_EXERCISE},
     f"If you did {fmt(ENOUGH_EXERCISE)} minutes a week of weight-bearing or strengthening exercise. "
     "In trials of people aged 60 and over, programmes with balance and functional exercise cut "
     "falls by about a quarter (high-certainty evidence), and may cut fractures from falls too, "
     "on less certain evidence (Cochrane review, 2019)."),
    ("vitamin_d",
     lambda v: _exact_vitamin_d(v) < ENOUGH_VITAMIN_D,
     {"vitamin_d": ("=", float(ENOUGH_VITAMIN_D)), "vitamin_d_unit": "ng/mL"},
     f"If your vitamin D were {_VITAMIN_D_TEXT}, the level the US National Academy of Medicine "
     "considers enough for bone. In a large trial of people not chosen for a low level (VITAL, "
     "2022), vitamin D supplements did not prevent fractures; for people whose level is low, the "
     "evidence is less certain. A level under 12 ng/mL (30 nmol/L) still needs a doctor's advice."),
)
ALL_TEXT = "If you made all of these changes: {changes}."
SHORT = {"stop_smoking": "stopped smoking", "less_alcohol": "drank less",
         "more_exercise": f"exercised {fmt(ENOUGH_EXERCISE)} minutes a week",
         "vitamin_d": f"raised vitamin D to {fmt(ENOUGH_VITAMIN_D)} ng/mL"}

# The categorical answers QFracture reads: the only QFracture inputs a change may set.
_CATEGORICAL = ("alcohol", "ethnicity", "smoking")


def _points_after(change):
    """((factor key, its points after the change), ...) for each factor the change touches."""
    touched = score.factors_reading(frozenset(change))
    for key in touched:  # the shortcut holds only if the change sets all the factor reads
        assert set(score.FACTORS_BY_KEY[key].inputs) <= set(change), (key, change)
    assert not {"height", "weight"} & set(change)  # BMI never changes
    assert QFRACTURE_FIXED_INPUTS.isdisjoint(change)  # nor QFracture's fixed terms
    defaults = {f.key: f.default for f in FIELDS}
    return tuple((key, score.points_of(key, {**defaults, **change}, None)) for key in touched)


_POINTS_AFTER = {code: _points_after(change) for code, _, change, _ in CHANGES}
_MOVES_QFRACTURE = {code: not QFRACTURE_INPUTS.isdisjoint(change) for code, _, change, _ in CHANGES}
# All the changes together are their union, and they touch different factors,
# so the combined score moves by the sum of each change's move.
assert len({key for _, _, change, _ in CHANGES for key in change}) == sum(len(c) for _, _, c, _ in CHANGES)
assert len({key for after in _POINTS_AFTER.values() for key, _ in after}) == \
    sum(len(after) for after in _POINTS_AFTER.values())


def what_if(values, points, qf, fixed):
    """[{"code", "text", "score", "qfracture"}] for each change that applies.

    `points` is the assessed {factor key: points}; `qf` the assessed QFracture
    (or None) and `fixed` its qfracture.fixed_terms() (None where qf is None).
    Each "qfracture" is {"osteoporotic", "hip"}, without "typical".
    """
    uncapped = sum(points.values())
    unchanged_qf = None if qf is None else {"osteoporotic": qf["osteoporotic"], "hip": qf["hip"]}
    assessed = None if qf is None else {key: values[key] for key in _CATEGORICAL}
    items, codes, combined, all_moves, qf_moved = [], [], {}, 0, False
    for code, applies, change, text in CHANGES:
        if not applies(values):
            continue
        # Points are whole numbers, so the total moves by exactly each factor's change.
        moves = 0
        for key, after in _POINTS_AFTER[code]:
            moves += after - points[key]
        if qf is not None and _MOVES_QFRACTURE[code]:
            new_qf, qf_moved = risks({**assessed, **change}, fixed), True
        else:
            new_qf = unchanged_qf
        items.append({"code": code, "text": text, "score": min(score.SCORE_CAP, uncapped + moves),
                      "qfracture": new_qf})
        codes.append(code)
        combined.update(change)
        all_moves += moves
    if len(items) >= 2:
        items.append({"code": "all", "text": ALL_TEXT.format(changes=join_words(SHORT[c] for c in codes)),
                      "score": min(score.SCORE_CAP, uncapped + all_moves),
                      "qfracture": risks({**assessed, **combined}, fixed) if qf_moved else unchanged_qf})
    return items
