"""Golden cases in tests/cases/, worked out by hand from docs/model.md (QFracture
values from the original ClinRisk C code). The browser tests replay the same files.

A case's "expected" holds what was worked out; optional keys check more:
findings/recommendations/notes "_include" and "_exclude" (codes), "answered",
"coverage", "typical" (QFracture for the comparison person), "what_if"
(code -> score) and "display" (a subset of calc's display strings).
"qfracture": "computed" marks inputs that no ClinRisk reference case covers.
"""

import json

import pytest

import calc
from tests.helpers import golden_cases

CASES = golden_cases()


def subset(expected, actual, where="display"):
    """Every key of `expected` has the same value in `actual` (recursively)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing"
            subset(value, actual[key], f"{where}.{key}")
    else:
        assert actual == expected, (where, actual, expected)


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
    elif expected["qfracture"] == "computed":
        # inputs no ClinRisk reference case has (test_qfracture.py checks the equations): what
        # must hold for any person. Risks are percentages, and a hip fracture is one of the
        # major osteoporotic fractures, so its risk is never the larger.
        qf = result["qfracture"]
        assert set(qf) == {"osteoporotic", "hip", "typical"}
        for risks in (qf, qf["typical"]):
            assert 0 < risks["hip"] <= risks["osteoporotic"] < 100, risks
    else:
        assert set(result["qfracture"]) == {"osteoporotic", "hip", "typical"}
        for outcome, value in expected["qfracture"].items():
            assert result["qfracture"][outcome] == pytest.approx(value, rel=1e-9, abs=0)
    for outcome, value in expected.get("typical", {}).items():
        assert result["qfracture"]["typical"][outcome] == pytest.approx(value, rel=1e-9, abs=0)
    for part in ("findings", "recommendations", "notes"):
        codes = [item["code"] for item in result[part]]
        for code in expected.get(part + "_include", []):
            assert code in codes, (part, code, codes)
        for code in expected.get(part + "_exclude", []):
            assert code not in codes, (part, code, codes)
    if "answered" in expected:
        assert result["answered"] == expected["answered"]
    if "coverage" in expected:
        assert result["coverage"] == expected["coverage"]
    if "what_if" in expected:
        assert {w["code"]: w["score"] for w in result["what_if"]} == expected["what_if"]
    subset(expected.get("display", {}), result["display"])
    json.dumps(result, allow_nan=False)


def test_the_cases_cover_every_level_and_both_populations():
    categories = {c["expected"]["category"] for c in CASES}
    assert categories == {"low", "moderate", "high", "very_high"}
    populations = {c["expected"]["ost"]["population"] for c in CASES if c["expected"]["ost"]}
    assert populations == {"women", "men"}
    assert any(c["expected"]["qfracture"] is None and c["input"].get("sex") for c in CASES)


def test_assess_json_gives_the_same_result_as_assess():
    for case in CASES:
        out = json.loads(calc.assess_json(json.dumps(case["input"])))
        assert out == {"result": json.loads(json.dumps(calc.assess(case["input"])))}
