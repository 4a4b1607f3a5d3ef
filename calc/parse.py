"""Turn a raw mapping of inputs into clean values, or collect every problem.

The rules are MODEL.md's: None and "" mean "not entered"; numbers may be ints,
floats or strings with one comma as the decimal mark; booleans accept a small
set of spellings; choices must match exactly. Every message names the field,
says what was wrong and what is allowed.
"""

import math
import re

from .fields import FIELDS, FIELDS_BY_KEY
from .text import fmt


class ValidationError(ValueError):
    """Raised by assess() with every problem found; .errors lists them."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(e["message"] for e in self.errors))


# Digits on at least one side of an optional decimal mark; no exponent, no
# thousands separator, ASCII digits only (float() alone would accept "1e3",
# "1_000", "nan" and non-ASCII digits).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")

_DEFAULTS = {f.key: f.default for f in FIELDS}
_POSITION = {f.key: i for i, f in enumerate(FIELDS)}

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0", ""})


class _Invalid(Exception):
    """A single field's problem, carried as its message."""


def _shown(value):
    """The reader's value, quoted and shortened for a message."""
    text = value if isinstance(value, str) else repr(value)
    text = text.strip()
    if len(text) > 24:
        text = text[:21] + "..."
    return f"\u201c{text}\u201d"


def _to_float(value):
    """A finite float from an int, a float or a numeric string, else _Invalid."""
    if isinstance(value, bool):
        raise _Invalid("is a yes/no value, not a number")
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise _Invalid("is far too large") from None
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        raise _Invalid("is not a finite number")
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            raise _Invalid(f"{_shown(value)} is not a number (use digits, with . or , for decimals)")
        number = float(text.replace(",", "."))
        if not math.isfinite(number):
            raise _Invalid("is far too large")
        return number
    raise _Invalid(f"{_shown(value)} is not a number")


def _allowed(f, unit):
    low = "more than" if f.min_exclusive else "from"
    whole = "a whole number " if f.kind == "integer" else ""
    return f"must be {whole}{low} {fmt(unit.min)} to {fmt(unit.max)} {unit.name}"


def _number(f, value, unit):
    """Parse and range-check a number; with unit None, only parse it."""
    try:
        x = _to_float(value)
    except _Invalid as problem:
        allowed = _allowed(f, unit) if unit else "must be a number"
        raise _Invalid(f"{f.label} {allowed}; {problem}.") from None
    if unit is None:
        return x
    if f.kind == "integer" and x != int(x):
        raise _Invalid(f"{f.label} {_allowed(f, unit)}; {fmt(x)} is not a whole number.")
    too_low = x <= unit.min if f.min_exclusive else x < unit.min
    if too_low or x > unit.max:
        raise _Invalid(f"{f.label} {_allowed(f, unit)}; {fmt(x)} is outside that range.")
    return int(x) if f.kind == "integer" else x


def _boolean(f, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Invalid(f"{f.label} must be yes or no (true/false, on/off, 1/0); {_shown(value)} is none of those.")


def _choice(f, value):
    if isinstance(value, str):
        for allowed, _label in f.choices:
            if value == allowed:
                return value
    options = ", ".join(v for v, _ in f.choices)
    raise _Invalid(f"{f.label} must be one of: {options}; {_shown(value)} is not one of them.")


def _parse_field(f, raw, values, bad):
    if f.kind == "boolean":
        return _boolean(f, raw)
    if f.kind == "choice":
        return _choice(f, raw)
    # A unit field comes before the number it sets, so its value is known here.
    if f.unit_field in bad:
        # The unit has its own message; without a unit the range is unknown,
        # so only say so if the value is not a number at all.
        _number(f, raw, None)
        return None
    unit = f.unit(values[f.unit_field]) if f.unit_field else f.units[0]
    return _number(f, raw, unit)


def parse(inputs):
    """Validate `inputs`; return {key: value} for every field, or raise ValidationError.

    Values not entered are the field's default (None for numbers without one).
    The returned dict also has "_entered": the set of keys the reader entered.
    """
    if not hasattr(inputs, "keys") or not hasattr(inputs, "get"):
        raise ValidationError([{
            "field": "inputs",
            "message": "Inputs must be a mapping of field names to values, such as a JSON object.",
        }])

    errors = []
    values = dict(_DEFAULTS)
    entered = set()
    bad = set()
    unknown = []
    given = []
    for key in inputs.keys():
        position = _POSITION.get(key) if isinstance(key, str) else None
        if position is None:
            unknown.append(key)
        else:
            given.append(position)
    given.sort()  # table order: a unit field is read before the number it sets
    for position in given:
        f = FIELDS[position]
        raw = inputs.get(f.key)
        if raw is None or (isinstance(raw, str) and raw == ""):
            continue  # not entered: the default stands
        try:
            values[f.key] = _parse_field(f, raw, values, bad)
        except _Invalid as problem:
            errors.append({"field": f.key, "message": str(problem)})
            bad.add(f.key)
            continue
        entered.add(f.key)

    for key in unknown:
        errors.append({
            "field": str(key),
            "message": f"{_shown(str(key))} is not a field this calculator knows; check the spelling.",
        })

    _check_sex_specific(values, bad, errors)
    if values["type1_diabetes"] and values["type2_diabetes"]:
        for key in ("type1_diabetes", "type2_diabetes"):
            errors.append({
                "field": key,
                "message": "Type 1 and type 2 diabetes cannot both be ticked; tick only the type you have.",
            })

    if errors:
        raise ValidationError(errors)
    values["_entered"] = entered
    return values


def _check_sex_specific(values, bad, errors):
    if "sex" in bad:
        return  # the sex field already has a message; don't pile more on
    for f in FIELDS:
        if f.sex and f.key not in bad and values[f.key] != f.default and values["sex"] != f.sex:
            who = "women" if f.sex == "female" else "men"
            errors.append({
                "field": f.key,
                "message": f"{f.label} applies to {who} only; choose {f.sex} under Sex, or clear {f.label}.",
            })
