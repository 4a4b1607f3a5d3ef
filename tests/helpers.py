"""Shared test helpers: the golden cases and small wrappers around calc."""

import json
from pathlib import Path

import calc

CASES_DIR = Path(__file__).parent / "cases"


def golden_cases():
    return [json.loads(p.read_text()) for p in sorted(CASES_DIR.glob("*.json"))]


def errors_of(inputs):
    """The ValidationError's errors for `inputs` (fails if assess accepts them)."""
    try:
        calc.assess(inputs)
    except calc.ValidationError as error:
        return error.errors
    raise AssertionError(f"expected a ValidationError for {inputs!r}")


def fields_in_error(inputs):
    return [e["field"] for e in errors_of(inputs)]


def points(inputs, factor):
    return calc.assess(inputs)["points"][factor]
