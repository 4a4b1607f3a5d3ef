"""Turn a raw mapping of inputs into clean values, or collect every problem.

The rules are docs/model.md's "Inputs": None, "" and whitespace mean "not
entered"; numbers may be ints, floats or strings with one comma as the decimal
mark; lab values may be bounds such as "<5"; height and weight may be imperial;
unit choices ignore case; every other choice matches exactly. Every message
names the field, says what was wrong and what is allowed, and quotes what the
reader typed, shortened, never a rounded or reformatted copy of it.

This is the trust boundary, so it never calls a method of a caller's object:
only exact built-in types are read, and anything else is described by its type.
"""

import math
import re
from collections.abc import Mapping

from .fields import DEFAULT_UPPER, FIELDS, FIELDS_BY_KEY
from .text import fmt, range_text


class ValidationError(ValueError):
    """Raised by assess() with every problem found; .errors lists them."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(e["message"] for e in self.errors))


class _Invalid(Exception):
    """A single field's problem, carried as its message."""


_NUMBER = r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)"  # ASCII digits, no exponent
_NUMBER_RE = re.compile(_NUMBER)
_PLAIN_NUMBER_RE = re.compile(_NUMBER.replace("[.,]", "[.]"))  # the same, without a comma
_AMBIGUOUS_COMMA = re.compile(r"[0-9]*,[0-9]{3}")  # "1,000": a separator or a decimal mark?
_BOUND_RE = re.compile(r"([<>])\s*(" + _NUMBER + r")")
_DECIMAL_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
# A number (or a bound) with a unit typed after it: the unit starts with a letter
# (µ is one) and has no digit, so "1e3", "5-" and "12_" stay number errors.
_TYPED_UNIT_RE = re.compile(r"([<>]?\s*" + _NUMBER + r")\s*([^\W\d_][^\d]*)")


def _marks(marks):
    """A regex alternation of a part's marks, longest first (so "inches" wins over "in")."""
    return "|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True))


def _compound_re(compound):
    """The two-part form, loosely: any two pieces of text around the big part's mark, so that
    a message can name the part that is wrong ("5.5" feet) instead of the whole text."""
    return re.compile(r"(\S+?)\s*(?:" + _marks(compound.big_marks) + r")\s*"
                      r"(?:(\S+?)\s*(?:" + _marks(compound.small_marks) + r")?)?", re.IGNORECASE)


# The words a yes/no answer may be given in (any case); calc.view passes them on
# to the page, so that a shared link's "no" never ticks a box.
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
_POSITION = {f.key: i for i, f in enumerate(FIELDS)}
_DEFAULTS = {f.key: f.default for f in FIELDS}
_SHOWN_CHARACTERS = 24


def _plain(value):
    """`value` as an exact bool, int, float or str, or None for anything else.

    Only type() and issubclass() are used, and subclasses are copied through
    the base type's own method, so no method of a caller's object ever runs.
    """
    kind = type(value)
    if kind in (bool, int, float, str):
        return value
    if issubclass(kind, int):  # bool cannot be subclassed, so this is a real int
        return int.__int__(value)
    if issubclass(kind, float):
        return float.__float__(value)
    if issubclass(kind, str):
        return str.__str__(value)
    return None


def shown(value):
    """What the reader gave, quoted and shortened for a message."""
    value = _plain(value)
    if value is None:
        return "a value that is not text or a number"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number with very many digits"
    text = value.strip() if isinstance(value, str) else repr(value)
    if len(text) > _SHOWN_CHARACTERS:
        text = text[:_SHOWN_CHARACTERS - 1] + "\u2026"
    return f"\u201c{text}\u201d"


def _decimal(text):
    return float(text.replace(",", "."))


def _number_text(text):
    """A float from a stripped numeric string, else _Invalid."""
    if not _NUMBER_RE.fullmatch(text):
        raise _Invalid("is not a number (use digits, with . or , for decimals)")
    if "," in text:  # (without a comma, nothing is ambiguous)
        if _AMBIGUOUS_COMMA.fullmatch(text.lstrip("+-")):
            raise _Invalid("could be read two ways: write it without a thousands separator "
                           "(1000, not 1,000), or with a point for decimals")
        return _decimal(text)
    return float(text)


def _to_float(value):
    """A finite float from an int, a float or a numeric string, else _Invalid.

    `value` is plain (see _plain): exactly a bool, an int, a float or a str.
    """
    if type(value) is str:  # the usual case first: forms send text
        text = value.strip()
        # plain digits and a point: float() reads them as they are (the usual case, without a call)
        number = float(text) if _PLAIN_NUMBER_RE.fullmatch(text) else _number_text(text)
        if not math.isfinite(number):
            raise _Invalid("is far too large")
        return number
    if isinstance(value, bool):
        raise _Invalid("is not a number")  # (shown() calls it "a yes/no value")
    if isinstance(value, int):
        if value.bit_length() > 64:
            raise _Invalid("is far too large")
        return float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid("is not a finite number")
        return value
    raise _Invalid("is not a number")


def _fail(f, unit, raw, problem):
    allowed = f"must be {range_text(f, unit)}" if unit else "must be a number"
    raise _Invalid(f"{f.label} {allowed}; {shown(raw)} {problem}.")


_COMPOUND_RES = {}  # Compound -> its loose regex, made on first use


def _compound_match(compound, text):
    regex = _COMPOUND_RES.get(compound)
    if regex is None:
        regex = _COMPOUND_RES[compound] = _compound_re(compound)
    return regex.fullmatch(text)


def _imperial(f, unit, raw, text):
    """Total inches (ft_in) or pounds (st_lb) from text like 5'3" or 9 st 2.

    Each part is checked on its own, and a message names the part and quotes
    only it: in the form's two boxes, that part is what the reader typed.
    """
    c = unit.compound
    match = _compound_match(c, text)
    if not match:
        raise _Invalid(f"{f.label} in {unit.label} must be written like {c.example}; "
                       f"{shown(raw)} is not in that form.")
    big, small = match.group(1), match.group(2)
    # (a length check first: int() refuses text of more than 4,300 digits)
    if not (big.isascii() and big.isdigit() and len(big) <= 3 and c.low <= int(big) <= c.high):
        raise _Invalid(f"{f.label}: {c.big} must be a whole number from {c.low} to {c.high}; "
                       f"{shown(big)} is not.")
    part = 0.0
    if small is not None:
        if not _DECIMAL_RE.fullmatch(small) or _decimal(small) >= c.per:
            raise _Invalid(f"{f.label}: {c.small} must be a number from 0 to under {c.per}; "
                           f"{shown(small)} is not.")
        part = _decimal(small)
    return int(big) * c.per + part


def _measure(f, raw, unit):
    """Height in cm or weight in kg, converted from the reader's unit, range-checked."""
    if unit.compound:
        if not isinstance(raw, str):
            raise _Invalid(f"{f.label} in {unit.label} must be text like "
                           f"{unit.compound.example}; {shown(raw)} is not.")
        x = _imperial(f, unit, raw, raw.strip())
    else:
        try:
            x = _to_float(raw)
        except _Invalid as problem:
            _fail(f, unit, raw, problem)
    base, x = f.units[0], unit.to_base(x)
    if not base.min <= x <= base.max:
        _fail(f, unit, raw, "is outside that range")
    return x


def _number(f, raw, unit):
    try:
        x = _to_float(raw)
    except _Invalid as problem:
        _fail(f, unit, raw, problem)
    if f.kind == "integer" and x != int(x):
        _fail(f, unit, raw, "is not a whole number")
    if not unit.min <= x <= unit.max:
        _fail(f, unit, raw, "is outside that range")
    return int(x) if f.kind == "integer" else x


def _lab(f, raw, unit):
    """("=", x), ("<", x) or (">", x), in the reader's unit."""
    if isinstance(raw, str) and raw.lstrip().startswith(("<", ">")):  # (a bound starts with one)
        match = _BOUND_RE.fullmatch(raw.strip())
        if match:
            try:
                x = _number_text(match.group(2))
            except _Invalid as problem:
                _fail(f, unit, raw, problem)
            if match.group(1) == "<" and not 0 < x <= unit.max:
                _fail(f, unit, raw, f"is not a bound this calculator can use (after <, a number "
                                    f"above 0 and up to {fmt(unit.max)})")
            if match.group(1) == ">" and not 0 <= x < unit.max:
                _fail(f, unit, raw, f"is not a bound this calculator can use (after >, a number "
                                    f"from 0 and under {fmt(unit.max)})")
            return (match.group(1), x)
    return ("=", _number(f, raw, unit))


# --- one reader per field, built once from FIELDS
#
# read(raw, values, bad, entered) -> the field's value, or _Invalid. What kind of field
# it is, and its unit where it has only one, are settled here once, not again
# for every value read: parse() reads some twenty values per call.

_YES_NO = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


def _boolean_reader(f):
    def read(raw, values, bad, entered):
        kind = type(raw)  # raw is plain: exactly a bool, an int, a float or a str
        if kind is str:
            answer = _YES_NO.get(raw.strip().lower())
            if answer is not None:
                return answer
        elif kind is bool:
            return raw
        elif kind is int and raw in (0, 1):
            return raw == 1
        raise _Invalid(f"{f.label} must be yes or no (true/false, on/off, 1/0); {shown(raw)} is none of those.")
    return read


def _choice_table(f):
    """{what the reader may send: the value} for a choice field; unit choices ignore case."""
    table = {}
    for value, _label in f.choices:
        table.setdefault(value.lower() if f.unit_of else value, value)  # the first match wins
    return table


def _choice_reader(f):
    table, ignore_case = _choice_table(f), bool(f.unit_of)
    options = ", ".join(v for v, _ in f.choices)

    def read(raw, values, bad, entered):
        if type(raw) is str:
            value = table.get(raw.lower() if ignore_case else raw)
            if value is not None:
                return value
            if table.get(raw.strip().lower() if ignore_case else raw.strip()) is not None:
                # shown() strips the quote, so say what is wrong with it
                raise _Invalid(f"{f.label} must be one of: {options}; remove the space before or "
                               f"after \u201c{raw.strip()}\u201d.")
        raise _Invalid(f"{f.label} must be one of: {options}; {shown(raw)} is not one of them.")
    return read


def _quick(f):
    """quick(x, unit): the value of the plain number x typed in `unit`, or None if it is out of range.

    The usual case, read directly: the full readers (_number, _lab, _measure)
    give exactly the same value for it, and take everything else (a comma, a
    bound, feet and inches, a value out of range, a JSON number), with its message.
    """
    if f.kind == "integer":
        return lambda x, unit: int(x) if unit.min <= x <= unit.max and x == int(x) else None
    if f.kind == "lab":
        return lambda x, unit: ("=", x) if unit.min <= x <= unit.max else None
    if f.kind == "measure":
        base = f.units[0]

        def quick_measure(x, unit):
            if unit.name in ("ft_in", "st_lb"):
                return None  # those are read as text like 5 ft 3 (_imperial)
            x = unit.to_base(x)
            return x if base.min <= x <= base.max else None
        return quick_measure
    return lambda x, unit: x if unit.min <= x <= unit.max else None


_FULL = object()  # "not read here: leave it to the full readers"


def _squeezed(text):
    """A typed unit as looked up: without spaces, in lower case ("nmol / L" is "nmol/l")."""
    return "".join(text.split()).lower()


def _typed_units(f):
    """{a unit as a reader may type it after the number, squeezed: its Unit} (docs/model.md, "Inputs")."""
    if f.kind not in ("lab", "measure"):
        return {}
    return {_squeezed(spelling): u for u in f.units if not u.compound for spelling in (u.name, *u.spellings)}


def _typed_unit(f, text, spellings):
    """The unit typed with the number: (the Unit, or None for a unit this field cannot use;
    the number or bound before it; the unit as typed), or None when no unit was typed."""
    for unit in f.units:
        if unit.compound and _compound_match(unit.compound, text):
            return unit, text, text  # text like 5 ft 3 is in that unit, read whole
    match = _TYPED_UNIT_RE.fullmatch(text)
    if not match:
        return None
    return spellings.get(_squeezed(match.group(2))), match.group(1), match.group(2).strip()


def _unit_name(unit):
    return unit.label or unit.name


def _number_reader(f):
    """A reader for an integer, number, measure or lab value, in its unit."""
    read_in = {"measure": _measure, "lab": _lab}.get(f.kind, _number)  # (f, raw, unit)
    quick = _quick(f)
    spellings = _typed_units(f)
    takes = " or ".join(u.name for u in f.units if not u.compound)

    def read_typed(raw, typed, values, bad, entered):
        unit, rest, typed_unit = typed
        unit_field = f.unit_field
        if unit_field in bad:  # the unit key has its own error: say nothing of the typed unit
            return _without_unit(f, rest, bad)
        if unit is None:
            if unit_field:
                bad.add(unit_field)  # settled: no "choose the unit" error on top of this one
            raise _Invalid(f"{f.label}: this calculator cannot use results in {shown(typed_unit)}; it "
                           f"takes {takes}. If your report uses another unit, leave {f.label} blank.")
        if unit_field:
            chosen = values[unit_field]
            if unit_field in entered and chosen != unit.name:
                raise _Invalid(f"{f.label}: {shown(raw)} is in {_unit_name(unit)}, but the unit chosen is "
                               f"{_unit_name(f.unit(chosen))}; choose {_unit_name(unit)}, or give the number in {chosen}.")
            values[unit_field] = unit.name  # read as if the unit had been chosen
            entered.add(unit_field)
        return read_in(f, rest, unit)

    def read_text(raw, text, unit, values, bad, entered):
        """A value given as text (stripped: `text`), in `unit` (None if unknown), or _FULL to
        leave it to the full readers. The usual case, digits and a point in range, is read here."""
        if _PLAIN_NUMBER_RE.fullmatch(text):
            value = None if unit is None else quick(float(text), unit)
            return _FULL if value is None else value
        typed = _typed_unit(f, text, spellings) if spellings else None
        return _FULL if typed is None else read_typed(raw, typed, values, bad, entered)

    if not f.unit_field:  # one unit, known now
        unit = f.units[0]

        def read_one_unit(raw, values, bad, entered):
            if type(raw) is str:
                text = raw.strip()
                if _PLAIN_NUMBER_RE.fullmatch(text):  # the usual case, without a call
                    value = quick(float(text), unit)
                    if value is not None:
                        return value
                elif spellings:
                    value = read_text(raw, text, unit, values, bad, entered)
                    if value is not _FULL:
                        return value
            return read_in(f, raw, unit)
        return read_one_unit
    unit_field, default_unit = f.unit_field, f.units[0].name
    must_choose = bool(f.limit_of or f.unit_required)  # no unit chosen: the range is unknown
    units = {u.name: u for u in f.units}

    def read(raw, values, bad, entered):
        name = values[unit_field]
        unit = None if unit_field in bad or (name is None and must_choose) else units.get(name or default_unit)
        if type(raw) is str:
            text = raw.strip()
            if unit is not None and _PLAIN_NUMBER_RE.fullmatch(text):  # the usual case, without a call
                value = quick(float(text), unit)
                if value is not None:
                    return value
            value = read_text(raw, text, unit, values, bad, entered)
            if value is not _FULL:
                return value
        if unit is None:
            return _without_unit(f, raw, bad)
        return read_in(f, raw, unit)
    return read


def _without_unit(f, raw, bad):
    """A number whose unit is unknown (not chosen, or itself invalid): None, or _Invalid."""
    if f.limit_of and f.unit_field not in bad:
        return _loose_limit(f, raw)
    # Without a unit the range is unknown (the unit gets its own message),
    # so only say something here if this is not a number or a bound at all.
    if not (f.kind == "lab" and isinstance(raw, str) and _BOUND_RE.fullmatch(raw.strip())):
        try:
            _to_float(raw)
        except _Invalid as problem:
            raise _Invalid(f"{f.label} must be a number; {shown(raw)} {problem}.") from None
    return None


def _reader(f):
    if f.kind == "boolean":
        return _boolean_reader(f)
    if f.kind == "choice":
        return _choice_reader(f)
    return _number_reader(f)


def _loose_limit(f, raw):
    low = min(u.min for u in f.units)
    high = max(u.max for u in f.units)
    try:
        x = _to_float(raw)
    except _Invalid as problem:
        raise _Invalid(f"{f.label} must be a number; {shown(raw)} {problem}.") from None
    if not low <= x <= high:
        raise _Invalid(f"{f.label} must be from {fmt(low)} to {fmt(high)} in the marker's unit; "
                       f"{shown(raw)} is outside that range.")
    return x


_READERS = {f.key: _reader(f) for f in FIELDS}


def _items(inputs):
    """The (key, value) pairs of a mapping, read without trusting it."""
    if issubclass(type(inputs), dict):
        # dict's own method, not an override; iterated as it is, since nothing
        # parse() does while reading the pairs runs a caller's code
        return dict.items(inputs)
    try:
        if not isinstance(inputs, Mapping):
            raise TypeError("not a mapping")
        return [(key, inputs[key]) for key in list(inputs.keys())]
    except Exception:  # noqa: BLE001 - a caller's object may raise anything at all
        raise ValidationError([{
            "field": "inputs",
            "message": "Inputs must be a mapping of field names to values, such as a JSON object.",
        }]) from None


def parse(inputs):
    """Validate `inputs`; return {key: value} for every field, or raise ValidationError.

    Values not entered are the field's default (None where it has none). Lab
    values are (op, x) pairs in the reader's unit, op one of "=", "<", ">";
    height is in cm and weight in kg. The result also has "_entered": the set
    of keys the reader entered.
    """
    errors, entered, bad, unknown, given = [], set(), set(), [], {}
    for key, raw in _items(inputs):
        if type(key) is str:  # the usual case, without a call
            name = key
        else:
            name = _plain(key) if issubclass(type(key), str) else None
        if name in _POSITION:
            given[name] = raw
        else:
            unknown.append(name)
    values = dict(_DEFAULTS)
    for key in sorted(given, key=_POSITION.__getitem__):  # units before their values
        raw = given[key]
        value = raw if type(raw) is str else _plain(raw)  # the usual case without a call
        if raw is None or (type(value) is str and (not value or value.isspace())):
            continue  # not entered (None, or blank text): the default stands
        try:
            if value is None:
                raise _Invalid(f"{FIELDS_BY_KEY[key].label} must be a number, text or yes/no; "
                               f"it was given {shown(raw)}.")
            values[key] = _READERS[key](value, values, bad, entered)
        except _Invalid as problem:
            errors.append({"field": key, "message": str(problem)})
            bad.add(key)
            continue
        entered.add(key)

    for name in unknown:
        if name is None:
            errors.append({"field": "inputs", "message": "A field name must be text; one of "
                                                         "the names given is not."})
        else:
            errors.append({"field": name, "message": f"{shown(name)} is not a field this "
                                                     "calculator knows; check the spelling."})

    _check_units_chosen(values, entered, bad, errors)
    _check_sex_specific(values, bad, errors)
    if values["type1_diabetes"] and values["type2_diabetes"]:
        for key in ("type1_diabetes", "type2_diabetes"):
            errors.append({"field": key, "message": "Type 1 and type 2 diabetes cannot both be "
                                                    "ticked; tick only the type you have."})
    if errors:
        raise ValidationError(errors)
    _default_limits(values)
    values["_entered"] = entered
    return values


_NEEDS_UNIT = tuple(f for f in FIELDS if f.unit_required)
_SEX_SPECIFIC = tuple(f for f in FIELDS if f.sex)


def _check_units_chosen(values, entered, bad, errors):
    """A lab value needs the unit printed on the report: there is no default."""
    for f in _NEEDS_UNIT:
        if (f.key in entered or f.key in bad) and not (f.unit_field in entered or f.unit_field in bad):
            names = " or ".join(u.name for u in f.units)
            errors.append({"field": f.unit_field,
                           "message": f"{f.label}: choose the unit printed on your report ({names})."})


# (the marker's upper-limit key, the key of its unit choice or None, its one unit's name, {unit: default limit})
_DEFAULT_LIMITS = tuple((marker + "_upper", FIELDS_BY_KEY[marker].unit_field, FIELDS_BY_KEY[marker].units[0].name,
                         by_unit) for marker, by_unit in DEFAULT_UPPER.items())


def _default_limits(values):
    for upper, unit_field, only_unit, by_unit in _DEFAULT_LIMITS:
        unit = values.get(unit_field) if unit_field else only_unit
        if values[upper] is None and unit is not None:
            values[upper] = by_unit[unit]


def _check_sex_specific(values, bad, errors):
    if "sex" in bad:
        return  # the sex field already has a message; don't pile more on
    for f in _SEX_SPECIFIC:
        if f.key not in bad and values[f.key] != f.default and values["sex"] != f.sex:
            who = "women" if f.sex == "female" else "men"
            errors.append({
                "field": f.key,
                "message": f"{f.label} applies to {who} only; choose {f.sex} under Sex, or clear {f.label}.",
            })
