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


# --- hostile inputs: objects whose methods raise, to prove calc never calls them

class Booby:
    """Every method a careless parser might call raises."""

    def _boom(self, *args, **kwargs):
        raise RuntimeError("a method of the caller's object ran")

    __repr__ = __str__ = __format__ = __eq__ = __hash__ = __float__ = __int__ = __index__ = _boom
    __len__ = __iter__ = __bool__ = _boom


class BoobyList(list):
    def __repr__(self):
        raise RuntimeError("repr of a list ran")

    __str__ = __repr__


class BoobyStr(str):
    def strip(self, *args):
        raise RuntimeError("strip ran")

    def lower(self):
        raise RuntimeError("lower ran")

    def __eq__(self, other):
        raise RuntimeError("eq ran")

    __hash__ = str.__hash__  # a dict must be able to hold it


class BoobyFloat(float):
    def __repr__(self):
        raise RuntimeError("repr ran")

    def __float__(self):
        raise RuntimeError("float ran")
