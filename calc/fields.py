"""The field table: one entry per input the calculator accepts.

This table is the single source of truth for inputs. Validation reads it, the
site renders its form from it, and the tests drive the form by its keys, so a
field's name, unit, range and help text live here and nowhere else.
"""

from dataclasses import dataclass, field as _field


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    collapsed: bool = False  # rendered closed behind a disclosure on the page


@dataclass(frozen=True)
class Unit:
    """One unit a number can be entered in, with the range allowed in it."""

    name: str
    min: float
    max: float
    reference: tuple | None = None  # (low, high): typical adult range, in this unit


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # "integer", "number", "choice" or "boolean"
    section: str
    help: str
    units: tuple = ()  # numbers: Unit entries, the first is the default unit
    unit_field: str | None = None  # key of the choice field that picks the unit
    choices: tuple = ()  # choices: (value, label) pairs, in MODEL.md order
    default: object = None  # value used when the field is not entered
    sex: str | None = None  # "female" or "male" when the field applies to one sex
    min_exclusive: bool = False  # the minimum itself is not allowed (limits > 0)
    limit_of: str | None = None  # for an upper reference limit: the marker it bounds
    unit_of: str | None = None  # for a unit choice: the number it sets the unit of

    def unit(self, name=None):
        """The Unit called `name`, or the default unit."""
        if name is None:
            return self.units[0]
        for unit in self.units:
            if unit.name == name:
                return unit
        return None

    def to_json(self):
        data = {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "section": self.section,
            "help": self.help,
            "default": self.default,
            "sex": self.sex,
        }
        if self.units:
            data["units"] = [
                {"name": u.name, "min": u.min, "max": u.max,
                 "reference": list(u.reference) if u.reference else None}
                for u in self.units
            ]
            data["unit_field"] = self.unit_field
            data["min_exclusive"] = self.min_exclusive
        if self.choices:
            data["choices"] = [{"value": v, "label": lab} for v, lab in self.choices]
        if self.limit_of:
            data["limit_of"] = self.limit_of
        if self.unit_of:
            data["unit_of"] = self.unit_of
        return data


SECTIONS = (
    Section("about", "About you",
            "Age and sex decide which results can be worked out. Height and weight give your BMI."),
    Section("lifestyle", "Everyday habits",
            "Smoking, alcohol and exercise all change how fast bone is renewed."),
    Section("history", "Your health history",
            "Tick what applies to you. Each of these is known to weaken bone."),
    Section("labs", "Blood test results (optional)",
            "Leave blank anything you have not had measured. Copy the number from your lab report and pick the unit it uses."),
    Section("limits", "Your lab's own reference limits (optional)",
            "Labs use different tests. If your report gives a different upper limit for RANKL, TNF-alpha or IL-6, enter it here so your result is compared with the right range.",
            collapsed=True),
    Section("conditions", "Other conditions (used by QFracture)",
            "QFracture, the fracture risk equation, also counts these. Tick any that a doctor has told you about.",
            collapsed=True),
)

_YES_NO_DEFAULT = False


def _condition(key, label, help, section="conditions", sex=None):
    return Field(key, label, "boolean", section, help, default=_YES_NO_DEFAULT, sex=sex)


FIELDS = (
    # --- about you
    Field("age", "Age", "integer", "about",
          "Your age in whole years. Fracture risk rises steeply with age, for everyone.",
          units=(Unit("years", 18, 110),)),
    Field("sex", "Sex", "choice", "about",
          "The sex recorded at birth. OST and QFracture were built separately for women and for men.",
          choices=(("female", "Female"), ("male", "Male"))),
    Field("menopause", "Menopause", "choice", "about",
          "Whether your periods have stopped for good. Early means before the age of 45. Oestrogen protects bone, so bone loss speeds up after menopause.",
          choices=(("no", "Not yet"), ("yes", "Yes"), ("early", "Yes, before 45")),
          default="no", sex="female"),
    Field("height_cm", "Height", "number", "about",
          "Your height without shoes.",
          units=(Unit("cm", 100, 250),)),
    Field("weight_kg", "Weight", "number", "about",
          "Your weight in light clothes.",
          units=(Unit("kg", 25, 300),)),
    Field("ethnicity", "Ethnic group", "choice", "about",
          "Used only by QFracture, because fracture rates differ between groups in the UK data it was built from.",
          choices=(("white", "White or not stated"), ("indian", "Indian"),
                   ("pakistani", "Pakistani"), ("bangladeshi", "Bangladeshi"),
                   ("other_asian", "Other Asian"), ("black_caribbean", "Black Caribbean"),
                   ("black_african", "Black African"), ("chinese", "Chinese"),
                   ("other", "Other ethnic group")),
          default="white"),
    # --- everyday habits
    Field("smoking", "Smoking", "choice", "lifestyle",
          "Smoking lowers oestrogen, slows bone-building cells and raises inflammation.",
          choices=(("non", "Never smoked"), ("ex", "Used to smoke"),
                   ("light", "Light: fewer than 10 a day"),
                   ("moderate", "Moderate: 10 to 19 a day"),
                   ("heavy", "Heavy: 20 or more a day")),
          default="non"),
    Field("alcohol", "Alcohol", "choice", "lifestyle",
          "UK units a day, on average. One unit is a single shot of spirits or half a pint of ordinary beer; a 175 ml glass of wine is about 2.",
          choices=(("none", "None"), ("lt1", "Less than 1 unit a day"),
                   ("1to2", "1 to 2 units a day"), ("3to6", "3 to 6 units a day"),
                   ("7to9", "7 to 9 units a day"), ("gt9", "More than 9 units a day")),
          default="none"),
    Field("exercise_minutes", "Exercise", "number", "lifestyle",
          "Minutes a week of weight-bearing or muscle-strengthening activity: brisk walking, dancing, stairs, weights, resistance bands. Bone grows stronger where it is loaded.",
          units=(Unit("minutes a week", 0, 10080),)),
    # --- health history (these count in the score, and most in QFracture too)
    _condition("prior_fracture", "Previous fracture",
               "A broken hip, spine (vertebra), wrist or shoulder in the past, especially from a minor fall.",
               section="history"),
    _condition("parent_history", "Parent with osteoporosis",
               "Your mother or father had osteoporosis or broke a hip.", section="history"),
    _condition("corticosteroids", "Steroid tablets",
               "Oral steroids such as prednisolone taken for 3 months or more, now or in the past.",
               section="history"),
    _condition("ra_sle", "Rheumatoid arthritis or lupus",
               "Diagnosed rheumatoid arthritis or systemic lupus erythematosus (SLE).",
               section="history"),
    _condition("malabsorption", "Crohn's, colitis or coeliac disease",
               "Crohn's disease, ulcerative colitis or coeliac disease: inflammation of the gut that can also limit how much calcium and vitamin D you absorb.",
               section="history"),
    _condition("falls", "Falls",
               "You have fallen more than once recently, or fall often. Falls, not only weak bone, cause most fractures.",
               section="history"),
    # --- blood tests
    Field("rankl", "RANKL", "number", "labs",
          "Soluble RANKL, the signal that switches on bone-resorbing cells.",
          units=(Unit("ng/mL", 0, 1000, (0.1, 10)),)),
    Field("tnf_alpha", "TNF-alpha", "number", "labs",
          "Tumour necrosis factor alpha, an inflammatory messenger. pg/mL and ng/L are the same number.",
          units=(Unit("pg/mL", 0, 10000, (0.5, 5)),)),
    Field("il6", "IL-6", "number", "labs",
          "Interleukin 6, an inflammatory messenger. pg/mL and ng/L are the same number.",
          units=(Unit("pg/mL", 0, 10000, (0.5, 5)),)),
    Field("vitamin_d_unit", "Vitamin D unit", "choice", "labs",
          "The unit on your lab report. 1 ng/mL is 2.496 nmol/L.",
          choices=(("ng/mL", "ng/mL"), ("nmol/L", "nmol/L")),
          default="ng/mL", unit_of="vitamin_d"),
    Field("vitamin_d", "Vitamin D", "number", "labs",
          "25-hydroxy vitamin D, the usual blood test for vitamin D.",
          units=(Unit("ng/mL", 0, 400, (30, 100)), Unit("nmol/L", 0, 1000, (75, 250))),
          unit_field="vitamin_d_unit"),
    Field("crp_unit", "CRP unit", "choice", "labs",
          "The unit on your lab report. 1 mg/dL is 10 mg/L.",
          choices=(("mg/L", "mg/L"), ("mg/dL", "mg/dL")),
          default="mg/L", unit_of="crp"),
    Field("crp", "CRP", "number", "labs",
          "High-sensitivity C-reactive protein, a general marker of inflammation.",
          units=(Unit("mg/L", 0, 500, (0, 3)), Unit("mg/dL", 0, 50, (0, 0.3))),
          unit_field="crp_unit"),
    # --- the reader's own lab limits
    Field("rankl_upper", "RANKL upper limit", "number", "limits",
          "The top of the normal range printed on your report for RANKL. Leave blank to use 10 ng/mL.",
          units=(Unit("ng/mL", 0, 1000),), default=10, min_exclusive=True, limit_of="rankl"),
    Field("tnf_alpha_upper", "TNF-alpha upper limit", "number", "limits",
          "The top of the normal range printed on your report for TNF-alpha. Leave blank to use 5 pg/mL.",
          units=(Unit("pg/mL", 0, 10000),), default=5, min_exclusive=True, limit_of="tnf_alpha"),
    Field("il6_upper", "IL-6 upper limit", "number", "limits",
          "The top of the normal range printed on your report for IL-6. Leave blank to use 5 pg/mL.",
          units=(Unit("pg/mL", 0, 10000),), default=5, min_exclusive=True, limit_of="il6"),
    # --- other conditions that QFracture counts
    _condition("antidepressants", "Antidepressants", "You take antidepressant medicine."),
    _condition("cancer", "Cancer", "You have, or have had, any cancer."),
    _condition("asthma_copd", "Asthma or COPD", "Asthma, or chronic obstructive pulmonary disease (including emphysema and chronic bronchitis)."),
    _condition("cvd", "Heart disease or stroke", "Angina, heart attack, stroke or a mini-stroke (TIA)."),
    _condition("dementia", "Dementia", "A diagnosis of dementia."),
    _condition("endocrine", "Thyroid or other gland disorder", "An overactive thyroid or parathyroid, or another hormone-gland disorder. Counted for women only.", sex="female"),
    _condition("epilepsy", "Epilepsy", "Epilepsy, or you take medicine for seizures (anticonvulsants)."),
    _condition("hrt", "HRT", "You take hormone replacement therapy containing oestrogen.", sex="female"),
    _condition("liver_disease", "Chronic liver disease", "Long-term liver disease such as cirrhosis."),
    _condition("parkinsons", "Parkinson's disease", "A diagnosis of Parkinson's disease."),
    _condition("renal_disease", "Severe kidney disease", "Chronic kidney disease stage 4 or 5, or dialysis."),
    _condition("type1_diabetes", "Type 1 diabetes", "Type 1 diabetes. Tick only one type of diabetes."),
    _condition("type2_diabetes", "Type 2 diabetes", "Type 2 diabetes. Tick only one type of diabetes."),
    _condition("care_home", "Lives in a care home", "You live in a nursing or residential home. Counted for men only.", sex="male"),
)

FIELDS_BY_KEY = {f.key: f for f in FIELDS}


def schema():
    """The field table and its sections as plain JSON-ready data."""
    return {
        "sections": [
            {"key": s.key, "title": s.title, "intro": s.intro, "collapsed": s.collapsed}
            for s in SECTIONS
        ],
        "fields": [f.to_json() for f in FIELDS],
    }
