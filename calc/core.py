"""assess(): the one entry point that turns raw inputs into every result."""

from . import advice, score
from .ost import ost
from .parse import parse
from .qfracture import qfracture


def assess(inputs):
    """Score `inputs` (a mapping of field keys to raw values) per MODEL.md.

    Returns a JSON-serialisable dict; raises ValidationError (and nothing else)
    listing every problem with the inputs.
    """
    values = parse(inputs)
    measured = score.measures(values)
    points = score.factor_points(values, measured)
    total = score.total(points)
    category = score.category(total)
    ost_result = ost(values["sex"], values["age"], values["weight_kg"])
    qf = qfracture(values, measured["bmi"])
    return {
        "score": total,
        "category": category,
        "points": points,
        "bmi": measured["bmi"],
        "ost": ost_result,
        "qfracture": qf,
        "findings": advice.findings(values, measured, points),
        "recommendations": advice.recommendations(values, measured, points, category, ost_result, qf),
        "notes": advice.notes(values, measured, ost_result, qf),
    }
