"""assess() and assess_json(): the entry points that turn raw inputs into every result."""

import json

from . import advice, display, score
from .ost import ost
from .parse import ValidationError, parse
from .qfracture import FIXED_INPUTS as QFRACTURE_FIXED_INPUTS, INPUTS as QFRACTURE_INPUTS
from .qfracture import fixed_terms, qfracture, risks, why_not as qfracture_why_not
from .whatif import what_if


def _rescorer(points, bmi, qf, fixed):
    """rescore(changed values, changed keys) -> (score, qfracture without "typical").

    A what-if changes a few inputs and never height or weight, so only the
    factors that read a changed input are scored again, and QFracture only if
    an input it reads changed; the result is exactly assess's for those inputs.
    `changed` is a frozenset; `fixed` is QFracture's fixed_terms() for the
    assessed values, or None where QFracture does not apply.
    """
    unchanged_qf = None if qf is None else {"osteoporotic": qf["osteoporotic"], "hip": qf["hip"]}
    uncapped = sum(points.values())

    def rescore(new_values, changed):
        # Points are whole numbers, so the total moves by exactly each factor's change.
        total = uncapped
        for key in score.factors_reading(changed):
            total += score.points_of(key, new_values, bmi) - points[key]
        if QFRACTURE_INPUTS.isdisjoint(changed):
            new_qf = unchanged_qf
        elif fixed is not None and QFRACTURE_FIXED_INPUTS.isdisjoint(changed):
            # Sex, age, BMI and the yes/no answers are as assessed, so only the
            # categorical terms differ; risks() adds the same terms in the same order.
            new_qf = risks(new_values, fixed)
        else:
            new_qf = qfracture(new_values, bmi, typical=False)
        return min(score.SCORE_CAP, total), new_qf
    return rescore


def assess(inputs):
    """Score `inputs` (a mapping of field keys to raw values) per docs/model.md.

    Returns a JSON-serialisable dict; raises ValidationError (and nothing else)
    listing every problem with the inputs.
    """
    values = parse(inputs)
    bmi = score.bmi(values)
    scored = score.evaluate(values, bmi)
    points = {key: s.points for key, s in scored.items()}
    answered = {key: s.answered for key, s in scored.items()}
    total = score.capped(points.values())
    category = score.category(total)
    ost_result = ost(values["sex"], values["age"], values["weight"])
    # QFracture's terms but the categorical ones: worked out once, for qfracture() and the what-ifs
    fixed = None if qfracture_why_not(values["sex"], values["age"], bmi) else fixed_terms(values, bmi)
    qf = qfracture(values, bmi, fixed=fixed)
    flags = list(answered.values())  # each True, False or None (does not apply)
    coverage = {"answered": flags.count(True), "applicable": len(flags) - flags.count(None)}
    changes = what_if(values, _rescorer(points, bmi, qf, fixed))
    found = advice.findings(values, scored)
    nice = advice.nice_assessment(values, bmi)
    dxa = advice.dxa_reasons(ost_result, qf)
    shown = display.display(total, category, scored, coverage, bmi, ost_result, qf, changes,
                            values["sex"], values["age"])
    return {
        "score": total,
        "category": category,
        "points": points,
        "answered": answered,
        "coverage": coverage,
        "bmi": bmi,
        "ost": ost_result,
        "qfracture": qf,
        "what_if": changes,
        "findings": found,
        "recommendations": advice.recommendations(values, found, nice, dxa),
        "notes": advice.notes(values, scored, category, bmi, shown["bmi"], ost_result, qf),
        "display": shown,
    }


def assess_json(text):
    """JSON text of inputs in, JSON text out: the only glue for other runtimes.

    Out is {"result": {...}} or {"errors": [{"field", "message"}, ...]}. The
    browser's worker, the snapshot builder and the tests all call this, so they
    can never disagree about how JSON is read or written.
    """
    try:
        inputs = json.loads(text)
    except (ValueError, RecursionError):  # bad JSON, a 5,000-digit number, or deep nesting
        return json.dumps({"errors": [{"field": "inputs", "message": "The inputs are not valid JSON."}]})
    try:
        return json.dumps({"result": assess(inputs)}, allow_nan=False)
    except ValidationError as error:
        return json.dumps({"errors": error.errors})
