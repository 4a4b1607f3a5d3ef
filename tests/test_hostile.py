"""Hostile inputs found by a red-team pass: assess raises ValidationError and nothing
else, never runs a method of the caller's objects, and quotes what was typed, shortened."""

from collections.abc import Mapping

import pytest

import calc
from tests.helpers import Booby, BoobyFloat, BoobyList, BoobyStr, errors_of


def deep_list(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("value", [Booby(), BoobyList(range(10)), deep_list(200_000),
                                   BoobyList(range(5_000_000)), {"a": Booby()}, b"65", 3 + 4j],
                         ids=["object", "list", "200000-deep-list", "5000000-item-list", "dict", "bytes",
                              "complex"])
@pytest.mark.parametrize("key", ["age", "sex", "falls", "weight", "vitamin_d"])
def test_hostile_values_give_only_a_validation_error(value, key):
    errors = errors_of({key: value, "vitamin_d_unit": "ng/mL"})
    assert [e["field"] for e in errors] == [key]
    assert "not text or a number" in errors[0]["message"]


def test_subclasses_of_str_and_float_are_read_by_their_base_type():
    result = calc.assess({BoobyStr("age"): BoobyStr(" 65 "), "sex": BoobyStr("female"),
                          "weight": BoobyFloat(60.0)})
    assert result["points"]["age"] == 10 and result["ost"]["index"] == -1


class BoobyMapping(Mapping):
    def __getitem__(self, key):
        raise RuntimeError("getitem")

    def __iter__(self):
        raise RuntimeError("iter")

    def __len__(self):
        return 1


class BoobyDict(dict):
    def items(self):
        raise RuntimeError("items")

    def get(self, *args):
        raise RuntimeError("get")

    def keys(self):
        raise RuntimeError("keys")


def test_a_mapping_that_raises_is_a_validation_error():
    assert errors_of(BoobyMapping())[0]["field"] == "inputs"


def test_a_dict_subclass_is_read_as_a_dict():
    assert calc.assess(BoobyDict(age=65))["points"]["age"] == 10


class HashableBooby(Booby):
    __hash__ = object.__hash__  # a dict must be able to hold it


@pytest.mark.parametrize("key", [HashableBooby(), 1, None, ("age",), BoobyStr("agee")],
                         ids=["object", "int", "None", "tuple", "str-subclass"])
def test_keys_that_are_not_text_or_not_known(key):
    errors = errors_of({key: 1})
    assert len(errors) == 1 and errors[0]["field"] in ("inputs", "agee")


@pytest.mark.parametrize("raw, message", [
    # the reader's own text, never a rounded copy that contradicts the complaint
    ("17.999", "\u201c17.999\u201d is not a whole number"),
    (17.999, "\u201c17.999\u201d is not a whole number"),
    ("110.0001", "\u201c110.0001\u201d is not a whole number"),
    ("111", "\u201c111\u201d is outside that range"),
    ("9" * 300, "\u201c" + "9" * 23 + "\u2026\u201d is outside that range"),
    (10 ** 300, "a number with very many digits is far too large"),
    (10 ** 5000, "a number with very many digits is far too large"),
], ids=["text-17.999", "float-17.999", "110.0001", "111", "300-digit-text", "10**300", "10**5000"])
def test_messages_quote_what_was_typed_shortened(raw, message):
    assert message in errors_of({"age": raw})[0]["message"]


def test_exercise_range_message_keeps_the_typed_text():
    assert "\u201c24.999\u201d" in errors_of({"weight": "24.999"})[0]["message"]


def test_assess_json_never_raises():
    for text in ("[" * 100_000, '{"age": ' + "9" * 5000 + "}", "not json", "[]", "null", '{"age": "x"}'):
        out = calc.assess_json(text)
        assert '"errors"' in out
