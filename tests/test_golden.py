"""Golden cases in tests/cases/, worked out by hand from MODEL.md (QFracture values
from the original ClinRisk C code). The browser tests replay the same files."""

import json

import pytest

import calc
from tests.helpers import golden_cases

CASES = golden_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case):
    expected = case["expected"]
    result = calc.assess(case["input"])
    assert result["score"] == expected["score"]
    assert result["category"] == expected["category"]
    assert result["points"] == expected["points"]
    if expected["bmi"] is None:
        assert result["bmi"] is None
    else:
        assert result["bmi"] == pytest.approx(expected["bmi"], rel=1e-12)
    assert result["ost"] == expected["ost"]
    if expected["qfracture"] is None:
        assert result["qfracture"] is None
    else:
        assert set(result["qfracture"]) == {"osteoporotic", "hip"}
        for outcome, value in expected["qfracture"].items():
            assert result["qfracture"][outcome] == pytest.approx(value, rel=1e-9, abs=0)
    for part in ("findings", "recommendations", "notes"):
        codes = [item["code"] for item in result[part]]
        for code in expected.get(part + "_include", []):
            assert code in codes, (part, code, codes)
    json.dumps(result, allow_nan=False)


def test_the_cases_cover_every_level_and_both_populations():
    categories = {c["expected"]["category"] for c in CASES}
    assert categories == {"low", "moderate", "high", "very_high"}
    populations = {c["expected"]["ost"]["population"] for c in CASES if c["expected"]["ost"]}
    assert populations == {"women", "men"}
    assert any(c["expected"]["qfracture"] is None and c["input"].get("sex") for c in CASES)
