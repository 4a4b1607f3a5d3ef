"""Numbers as the reader sees them, identically on CPython and in Pyodide.

Two kinds of formatting live here. `fmt` writes a number the way a person
would (no exponent, no trailing zeros) for messages. The `cut_*` and `percent`
functions make the page's numbers (docs/model.md, "display"): they cut rather
than round, so a shown number never lands on the other side of an edge the
rules use (BMI 18.49 never reads 18.5).
"""

import math


def fmt(x, decimals=2):
    """1000, 12.5, 0.25: at most `decimals` decimals, no exponent, no trailing zeros."""
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fmt_inward(x, up):
    """x to one decimal, moved inward of a range: up for a minimum, down for a maximum."""
    tenths = math.ceil(x * 10 - 1e-9) if up else math.floor(x * 10 + 1e-9)
    return fmt(tenths / 10, 1)


def fmt_compound(total, per, big, small, up):
    """39.37 inches -> '3 ft 3.4 in' (cut inward like fmt_inward)."""
    tenths = math.ceil(total * 10 - 1e-9) if up else math.floor(total * 10 + 1e-9)
    whole, rest = divmod(tenths, per * 10)
    return f"{whole} {big} {fmt(rest / 10, 1)} {small}"


def cut_1dp(x):
    """One decimal, cut toward minus infinity: 18.49 -> '18.4'."""
    return f"{math.floor(x * 10) / 10:.1f}"


def percent(p):
    """A QFracture percent as shown: '12.3%', or 'less than 0.1%'."""
    return "less than 0.1%" if p < 0.1 else cut_1dp(p) + "%"


def of_100(p):
    """A percent as a whole number of people in 100: rounded half up, except that 9.5 to
    under 10 gives 9, so that no risk under the 10% scan rule reads "10 in 100"."""
    if 9.5 <= p < 10:
        return 9
    return math.floor(p + 0.5)


def people(p):
    """'12 in 100', or 'fewer than 1 in 100'."""
    n = of_100(p)
    return "fewer than 1 in 100" if n == 0 else f"{n} in 100"


def join_words(names, conjunction="and"):
    """['a', 'b', 'c'] -> 'a, b and c'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def range_text(f, unit):
    """A field's allowed range in `unit`, for messages: 'a whole number from 18 to 110 years';
    height and weight, checked after conversion, also in the reader's unit, cut inward:
    'from 100 to 250 cm (3 ft 3.4 in to 8 ft 2.4 in)'."""
    whole = "a whole number " if f.kind == "integer" else ""
    checked = f.units[0] if f.kind == "measure" else unit  # measures are checked after conversion
    text = f"{whole}from {fmt(checked.min, 6)} to {fmt(checked.max, 6)} {checked.name}"
    if checked is not unit:
        c = unit.compound
        ends = ((unit.min, True), (unit.max, False))
        if c:
            low, high = (fmt_compound(x, c.per, c.big_abbr, c.small_abbr, up=up) for x, up in ends)
        else:
            low, high = (f"{fmt_inward(x, up=up)} {unit.name}" for x, up in ends)
        text += f" ({low} to {high})"
    return text


def ranges_text(f):
    """Every unit's range of a number field, for the CLI's help and the docs' tables:
    '0 to 1000 ng/mL; 0 to 1000000 pg/mL', or '100 to 250 cm after conversion'."""
    if f.kind == "measure":
        base = f.units[0]
        return f"{fmt(base.min, 6)} to {fmt(base.max, 6)} {base.name} after conversion"
    return "; ".join(f"{fmt(u.min, 6)} to {fmt(u.max, 6)} {u.name}" for u in f.units)
