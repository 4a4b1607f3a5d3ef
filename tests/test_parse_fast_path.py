"""parse reads a plain number (digits and a point, the usual case) by a short
path, for speed (bench/bench_calc.py). These tests pin that path to the full
readers, which take every other form and write the messages: for every number
field, in every unit, the short path must give exactly what the full reader
gives, value, type and message alike, at and around every range edge."""

import math

from hypothesis import given, settings, strategies as st

from calc import FIELDS
from calc import parse as p

NUMBER_FIELDS = [f for f in FIELDS if f.kind in ("integer", "number", "measure", "lab")]
TEXT_ONLY_UNITS = ("ft_in", "st_lb")  # read from text like "5 ft 3", never by the short path


def cases():
    """(field, unit) for every number field and each unit it can be read in."""
    for f in NUMBER_FIELDS:
        for unit in f.units:
            if unit.name not in TEXT_ONLY_UNITS:
                yield f, unit


def full_read(f, text, unit):
    reader = {"measure": p._measure, "lab": p._lab}.get(f.kind, p._number)
    try:
        value = reader(f, text, unit)
    except p._Invalid as problem:
        return ("invalid", str(problem))
    return ("value", value, type(value))


def short_read(f, text, unit):
    values = dict(p._DEFAULTS)
    if f.unit_field:
        values[f.unit_field] = unit.name
    try:
        value = p._READERS[f.key](text, values, set(), {f.unit_field} if f.unit_field else set())
    except p._Invalid as problem:
        return ("invalid", str(problem))
    return ("value", value, type(value))


def edge_texts(unit):
    """Plain number texts at, just inside and just outside the unit's range."""
    texts = {"0", "0.0", "1", ".5", "5.", "+3", "-0", "-1", "007", "0.000001"}
    for edge in (unit.min, unit.max):
        for x in (edge, edge - 1, edge + 1, edge - 0.001, edge + 0.001, edge / 2, edge * 2,
                  math.nextafter(edge, -math.inf), math.nextafter(edge, math.inf)):
            if x >= 0:
                texts.add(repr(float(x)))
                texts.add(f"{x:.3f}")
                texts.add(str(int(x)))
    return sorted(texts)


def test_the_short_path_reads_every_edge_as_the_full_readers_do():
    checked = 0
    for f, unit in cases():
        for text in edge_texts(unit):
            for padded in (text, f" {text} "):
                assert short_read(f, padded, unit) == full_read(f, padded, unit), (f.key, unit.name, padded)
                checked += 1
    assert checked > 1000


PLAIN = st.from_regex(r"\A[+-]?(?:[0-9]{1,5}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})\Z")


@settings(max_examples=400, deadline=None)
@given(case=st.sampled_from(list(cases())), text=PLAIN)
def test_any_plain_number_reads_as_the_full_readers_do(case, text):
    f, unit = case
    assert short_read(f, text, unit) == full_read(f, text, unit)


@settings(max_examples=400, deadline=None)
@given(text=PLAIN)
def test_float_reads_a_plain_number_as_calcs_own_number_reader_does(text):
    # _to_float hands plain digits to float(); calc's own reader (which also
    # takes a decimal comma) must give the very same number for them.
    assert p._to_float(text) == p._number_text(text)
