"""The field table: complete, consistent with docs/model.md, and written for people."""

import json

import calc

MODEL_KEYS = {  # docs/model.md, "Inputs"; "lab" values may be bounds, "measure" may be imperial text
    "age": "integer", "sex": "choice", "menopause": "choice", "height": "measure",
    "height_unit": "choice", "weight": "measure", "weight_unit": "choice",
    "ethnicity": "choice", "smoking": "choice", "alcohol": "choice",
    "exercise_minutes": "number", "rankl": "lab", "rankl_unit": "choice", "tnf_alpha": "lab",
    "il6": "lab", "vitamin_d": "lab", "vitamin_d_unit": "choice", "crp": "lab", "crp_unit": "choice",
    "rankl_upper": "number", "tnf_alpha_upper": "number", "il6_upper": "number",
}
YES_NO = ["antidepressants", "cancer", "asthma_copd", "corticosteroids", "cvd", "dementia",
          "endocrine", "epilepsy", "falls", "prior_fracture", "hrt", "liver_disease",
          "malabsorption", "parkinsons", "ra_sle", "renal_disease", "type1_diabetes",
          "type2_diabetes", "parent_history", "care_home", "cancer_hormone_therapy"]


def test_every_model_input_and_nothing_else():
    expected = {**MODEL_KEYS, **dict.fromkeys(YES_NO, "boolean")}
    assert {f.key: f.kind for f in calc.FIELDS} == expected


def test_sex_specific_fields():
    assert {f.key: f.sex for f in calc.FIELDS if f.sex} == {
        "menopause": "female", "endocrine": "female", "hrt": "female", "care_home": "male"}


def test_defaults():
    defaults = {f.key: f.default for f in calc.FIELDS if f.default not in (None, False)}
    # lab units have no default: they must be chosen (model v2)
    assert defaults == {"menopause": "no", "ethnicity": "white", "smoking": "non", "alcohol": "none",
                        "height_unit": "cm", "weight_unit": "kg"}
    assert {f.key for f in calc.FIELDS if f.unit_required} == {"rankl", "vitamin_d", "crp"}


def test_every_field_is_written_for_people():
    sections = {s.key for s in calc.SECTIONS}
    for f in calc.FIELDS:
        assert f.label and f.label[0].isupper(), f.key
        assert len(f.help) > 20 and f.help.endswith("."), f.key
        assert f.section in sections, f.key
        assert "_" not in f.label, f.key


def test_unit_fields_point_at_each_other():
    for f in calc.FIELDS:
        if f.unit_field and not f.limit_of:
            unit = calc.FIELDS_BY_KEY[f.unit_field]
            assert unit.unit_of == f.key
            assert [v for v, _ in unit.choices] == [u.name for u in f.units]
            # the unit choice comes first, so validation knows the unit when it reads the number
            keys = [x.key for x in calc.FIELDS]
            assert keys.index(unit.key) < keys.index(f.key)


def test_schema_is_plain_json():
    data = json.loads(json.dumps(calc.schema(), allow_nan=False))
    assert [f["key"] for f in data["fields"]] == [f.key for f in calc.FIELDS]
    vitamin_d = next(f for f in data["fields"] if f["key"] == "vitamin_d")
    assert [(u["name"], u["max"]) for u in vitamin_d["units"]] == [("ng/mL", 400), ("nmol/L", 1000)]
