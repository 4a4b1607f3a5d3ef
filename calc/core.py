"""assess() and assess_json(): the entry points that turn raw inputs into every result."""

import json

from . import advice, display, score
from .ost import ost, why_not as ost_why_not
from .parse import ValidationError, parse
from .qfracture import fixed_terms, qfracture, why_not as qfracture_why_not
from .whatif import what_if


def assess(inputs):
    """Score `inputs` (a mapping of field keys to raw values) per docs/model.md.

    Returns a JSON-serialisable dict; raises ValidationError (and nothing else)
    listing every problem with the inputs.
    """
    values = parse(inputs)
    bmi = score.bmi(values)
    scores = score.evaluate(values, bmi)
    points, answered = scores.points, scores.answered
    total = score.capped(points.values())
    category = score.category(total)
    ost_result = ost(values["sex"], values["age"], values["weight"])
    # QFracture's terms but the categorical ones: worked out once, for qfracture() and the what-ifs
    qf_why = qfracture_why_not(values["sex"], values["age"], bmi)
    fixed = None if qf_why else fixed_terms(values, bmi)
    qf = qfracture(values, bmi, fixed=fixed)
    flags = list(answered.values())  # each True, False or None (does not apply)
    coverage = {"answered": flags.count(True), "applicable": len(flags) - flags.count(None)}
    changes = what_if(values, points, qf, fixed)
    found = advice.findings(values, scores)
    nice = advice.nice_assessment(values, bmi)
    dxa = advice.dxa_reasons(values, ost_result, qf)
    why_not = (ost_why_not(values["sex"], values["age"], values["weight"]), qf_why)
    shown = display.display(total, category, scores, coverage, bmi, ost_result, qf, changes, values, why_not)
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
        "recommendations": advice.recommendations(values, found, nice, advice.fracture_followup(values), dxa),
        "notes": advice.notes(values, scores, category, bmi, shown["bmi"], ost_result, qf, dxa),
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
