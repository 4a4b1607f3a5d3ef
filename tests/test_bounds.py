"""Lab results written as bounds, "<x" and ">x" (docs/model.md, "Bounds").

A bound scores a band only when no edge where the points change lies strictly
inside the interval it allows; otherwise 0 points and an imprecise_<factor> note.
Every expectation is worked out here from the edges the model gives.
"""

import pytest

import calc

UNITS = {"vitamin_d": {"vitamin_d_unit": "ng/mL"}, "crp": {"crp_unit": "mg/L"},
         "rankl": {"rankl_unit": "ng/mL"}, "tnf_alpha": {}, "il6": {}}


def result(factor, typed, **extra):
    return calc.assess({factor: typed, **UNITS[factor], **extra})


def codes(items):
    return [item["code"] for item in items]


# (factor, typed, points or None for imprecise). Edges: vitamin D 12, 20 ng/mL (30 is no edge since v3);
# CRP 1, 3 mg/L; markers r = 1, 2, 4 with the default upper limits 10 ng/mL and 5 pg/mL.
CASES = [
    # vitamin D "<x": [0, x)
    ("vitamin_d", "<12", 16), ("vitamin_d", "<11", 16), ("vitamin_d", "<12.5", None), ("vitamin_d", "<30", None),
    # vitamin D ">x": (x, 400]
    ("vitamin_d", ">30", 0), ("vitamin_d", ">29", 0), ("vitamin_d", ">150", 0), ("vitamin_d", "> 20", 0),
    ("vitamin_d", ">19.9", None), ("vitamin_d", "<20", None), ("vitamin_d", "<12.01", None),
    # CRP "<x": [0, x)
    ("crp", "<1", 0), ("crp", "<0.5", 0), ("crp", "<1.01", None), ("crp", "<5", None), ("crp", "< 3", None),
    # CRP ">x": (x, 500]
    ("crp", ">3", 6), (("crp"), ">2.99", None), ("crp", ">10", 6), ("crp", ">0.5", None), ("crp", ">1", None),
    # markers: "<x" -> r in [0, x/upper); ">x" -> r in (x/upper, max/upper]
    ("rankl", "<10", 0), ("rankl", "<10.1", None), ("rankl", ">40", 12), ("rankl", ">39", None),
    ("tnf_alpha", "<5", 0), ("tnf_alpha", "<2", 0), ("tnf_alpha", ">20", 10), ("tnf_alpha", ">19.9", None),
    ("il6", ">20", 10), ("il6", "<5.5", None), ("il6", ">4", None),
]


@pytest.mark.parametrize("factor, typed, expected", CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_bound_on_both_sides_of_every_edge(factor, typed, expected):
    r = result(factor, typed)
    notes = codes(r["notes"])
    if expected is None:
        assert r["points"][factor] == 0
        assert f"imprecise_{factor}" in notes
    else:
        assert r["points"][factor] == expected
        assert f"imprecise_{factor}" not in notes
    assert r["answered"][factor] is True


def test_bounds_in_other_units_are_converted_first():
    # 75 nmol/L = 30.05 ng/mL: ">75" lies wholly above 30
    assert calc.assess({"vitamin_d": ">75", "vitamin_d_unit": "nmol/L"})["points"]["vitamin_d"] == 0
    # 0.5 mg/dL = 5 mg/L: ">0.5" lies wholly above 3
    assert calc.assess({"crp": ">0.5", "crp_unit": "mg/dL"})["points"]["crp"] == 6
    # 40000 pg/mL = 40 ng/mL: r > 4
    assert calc.assess({"rankl": ">40000", "rankl_unit": "pg/mL"})["points"]["rankl"] == 12


def test_the_readers_own_limit_places_a_marker_bound():
    # "<8" with a limit of 8: r < 1
    assert result("il6", "<8", il6_upper=8)["points"]["il6"] == 0
    assert "imprecise_il6" in codes(result("il6", "<8", il6_upper=4)["notes"])


def test_a_bound_gets_only_findings_true_for_every_value_it_allows():
    # CRP > 160 mg/L: every value is 50 or more
    assert codes(result("crp", ">160")["findings"]) == ["crp_very_high"]
    # CRP > 20: at least 10, not necessarily 50
    assert codes(result("crp", ">20")["findings"]) == ["crp_acute"]
    # CRP > 5: above 3, not necessarily 10
    assert codes(result("crp", ">5")["findings"]) == ["crp_raised"]
    # vitamin D > 160 ng/mL: above 150 for every value
    assert codes(result("vitamin_d", ">160")["findings"]) == ["vitamin_d_toxic"]
    # vitamin D > 120: above 100, not necessarily 150
    assert codes(result("vitamin_d", ">120")["findings"]) == ["vitamin_d_high"]
    # vitamin D > 40: nothing certain beyond "enough"
    assert codes(result("vitamin_d", ">40")["findings"]) == []
    # RANKL < 0.05 ng/mL: below the usual range's bottom (0.1) for every value
    assert codes(result("rankl", "<0.05")["findings"]) == ["rankl_below_range"]
    assert codes(result("rankl", "<0.5")["findings"]) == []


@pytest.mark.parametrize("factor, typed, named", [
    ("crp", ">160", "above 160 mg/L"), ("vitamin_d", "<10", "below 10 ng/mL"), ("rankl", ">41", "above 41 ng/mL")])
def test_bound_findings_name_the_bound_as_typed_and_no_other_number(factor, typed, named):
    findings = result(factor, typed)["findings"]
    assert findings
    for finding in findings:
        assert named in finding["text"]
        # no converted figure or ratio in brackets: a bound spans more than one of those
        assert "times" not in finding["text"].split(named)[1][:12] and f"{named} (" not in finding["text"]


def test_the_imprecise_note_says_what_is_certain_and_what_test_would_help():
    note = next(n for n in result("crp", "<5")["notes"] if n["code"] == "imprecise_crp")
    assert "below 5 mg/L" in note["text"] and "high-sensitivity" in note["text"]
    note = next(n for n in result("rankl", ">15")["notes"] if n["code"] == "imprecise_rankl")
    assert "above the default upper limit" in note["text"]
    note = next(n for n in result("tnf_alpha", ">8", tnf_alpha_upper=4)["notes"] if n["code"] == "imprecise_tnf_alpha")
    assert "above your lab's upper limit" in note["text"]


def test_what_if_skips_a_vitamin_d_bound():
    assert result("vitamin_d", "<10")["what_if"] == []
    assert [w["code"] for w in result("vitamin_d", "10")["what_if"]] == ["vitamin_d"]


@pytest.mark.parametrize("factor, typed", [
    ("crp", "<0"), ("crp", "<-1"), ("crp", ">500"), ("crp", "<500.1"), ("crp", ">-0.1"),
    ("vitamin_d", "<"), ("vitamin_d", "<>5"), ("vitamin_d", "<=5"), ("vitamin_d", "5<"),
    ("vitamin_d", "<1e3"), ("tnf_alpha", ">10000"), ("crp", "<1,000")])
def test_bounds_outside_the_field_or_malformed_are_errors(factor, typed):
    with pytest.raises(calc.ValidationError) as caught:
        result(factor, typed)
    assert [e["field"] for e in caught.value.errors] == [factor]


def test_bounds_at_the_field_limits_are_allowed():
    # "<500" is a legal bound that spans the edges 1 and 3: 0 points, imprecise
    wide = result("crp", "<500")
    assert wide["points"]["crp"] == 0 and "imprecise_crp" in codes(wide["notes"])
    assert result("crp", ">0")["answered"]["crp"] is True


def test_bounds_only_for_lab_values():
    with pytest.raises(calc.ValidationError):
        calc.assess({"exercise_minutes": "<30"})
    with pytest.raises(calc.ValidationError):
        calc.assess({"age": ">65"})
