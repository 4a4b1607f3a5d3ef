"""The field table: one entry per input the calculator accepts.

This table is the single source of truth for inputs. Validation reads it, the
site renders its form from it, the CLI builds its options from it, and the
tests drive the form by its keys, so a field's name, units, range and help
text live here and nowhere else. docs/model.md, "Inputs", is the rule book.
"""

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    unlocks: str = ""  # which results this section's answers change, for the form's header


@dataclass(frozen=True)
class Compound:
    """A unit written in two parts, like 5 ft 3 or 9 st 2: its parts and how they are marked."""

    per: int  # small parts in one big part: 12 inches in a foot, 14 pounds in a stone
    big: str  # the parts' names in messages: "feet", "inches"
    small: str
    big_abbr: str  # how the two-box form and the range texts mark them: "ft", "in"
    small_abbr: str
    big_marks: tuple  # every way a reader may mark each part (any case)
    small_marks: tuple
    low: int  # the big part is a whole number from low to high
    high: int
    example: str


@dataclass(frozen=True)
class Unit:
    """One unit a number can be entered in, with the range allowed in it.

    `to_base` converts a value in this unit to the field's base unit (the first
    unit) with the one operation docs/model.md gives (a multiplication or a
    division, never its reciprocal), so that every runtime agrees to the bit.
    `lower_reference` is the bottom of a typical adult range, in this unit:
    a value under it is worth a unit check (markers only).
    """

    name: str
    min: float
    max: float
    convert: tuple = ()  # ("*", c) or ("/", c): how a value becomes the base unit
    lower_reference: float | None = None
    label: str = ""  # how the form names the unit, when not its name
    spellings: tuple = ()  # other ways a reader may type it after a number (any case), besides its name
    compound: Compound | None = None  # a unit written in two parts (feet and inches, stones and pounds)

    def to_base(self, x):
        if not self.convert:
            return x
        op, c = self.convert
        return x * c if op == "*" else x / c


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # "integer", "number", "lab", "measure", "choice" or "boolean"
    section: str
    help: str
    units: tuple = ()  # numbers: Unit entries; the first is the base unit
    unit_field: str | None = None  # key of the choice that picks the unit
    unit_required: bool = False  # a lab value's unit must be chosen (no default)
    choices: tuple = ()  # choices: (value, label) pairs, in docs/model.md order
    default: object = None  # value used when the field is not entered
    sex: str | None = None  # "female" or "male" when the field applies to one sex
    limit_of: str | None = None  # for an upper reference limit: the marker it bounds
    unit_of: str | None = None  # for a unit choice: the number it sets the unit of
    placeholder: str = ""  # an example of what to type, for the form

    def unit(self, name):
        """The Unit called `name`, or None."""
        return self._units_by_name.get(name)

    @cached_property  # unit() is on the hot path of every lab value
    def _units_by_name(self):
        return {u.name: u for u in self.units}

    def to_json(self):
        data = {"key": self.key, "label": self.label, "kind": self.kind,
                "section": self.section, "help": self.help, "default": self.default,
                "sex": self.sex}
        if self.units:
            data["units"] = [{"name": u.name, "label": u.label or u.name, "min": u.min,
                              "max": u.max} for u in self.units]
            data["unit_field"] = self.unit_field
            data["unit_required"] = self.unit_required
        if self.choices:
            data["choices"] = [{"value": v, "label": lab} for v, lab in self.choices]
        for extra in ("limit_of", "unit_of", "placeholder"):
            if getattr(self, extra):
                data[extra] = getattr(self, extra)
        return data


SECTIONS = (
    Section("about", "About you",
            "Age and sex decide which results can be worked out. Height and weight give your BMI.",
            unlocks="Age, sex, height and weight give you QFracture and OST."),
    Section("history", "Your health history",
            "Answer yes or no. Each of these is known to weaken bone or make a fracture more likely.",
            unlocks="Changes QFracture, the educational score and the next steps."),
    Section("lifestyle", "Everyday habits",
            "Smoking, alcohol and exercise all change how fast bone is renewed.",
            unlocks="Smoking and alcohol change QFracture; all three change the educational score."),
    Section("conditions", "Other conditions",
            "QFracture also counts these. Tick any that a doctor has told you about.",
            unlocks="Changes QFracture only."),
    Section("labs", "Blood test results (optional)",
            "Leave blank anything you have not had measured. Copy the number as your report prints "
            "it: a bound such as <5 or >150 is accepted. Then pick the unit printed beside it, or "
            "type the unit after the number.",
            unlocks="Changes the educational score only."),
    Section("limits", "Your lab's own upper limits (optional)",
            "Labs use different tests. If your report gives an upper limit for RANKL, TNF-alpha "
            "or IL-6, enter it so your result is compared with the right range.",
            unlocks="Changes the educational score only."),
)

INCH_CM = 2.54
POUND_KG = 0.45359237
INCH_SPELLINGS = ("in", "inch", "inches")
POUND_SPELLINGS = ("lb", "lbs", "pound", "pounds")
FEET_INCHES = Compound(12, "feet", "inches", "ft", "in", ("feet", "foot", "ft", "'", "\u2019", "\u2032"),
                       ("inches", "inch", "in", "''", '"', "\u201d", "\u2033"), 3, 8, "5 ft 3 or 5'3\"")
STONES_POUNDS = Compound(14, "stones", "pounds", "st", "lb", ("stones", "stone", "st"), POUND_SPELLINGS,
                         1, 50, "9 st 2")
# One US standard drink is 14 g of alcohol; one UK unit is 8 g (docs/model.md, "Inputs").
US_DRINK_GRAMS, UK_UNIT_GRAMS = 14, 8


def _condition(key, label, help, section="conditions", sex=None):
    return Field(key, label, "boolean", section, help, default=False, sex=sex)


NOT_OFFERED = " If your report uses a unit not offered here, leave this blank: the calculator cannot convert it."


def _lab(key, label, help, units, unit_field=None):
    return Field(key, label, "lab", "labs", help + NOT_OFFERED, units=units, unit_field=unit_field,
                 unit_required=unit_field is not None, placeholder="e.g. 4.2 or <5")


def _lab_unit(key, label, of, names):
    return Field(key, label, "choice", "labs",
                 "The unit printed beside the result on your report.",
                 choices=tuple((n, n) for n in names), unit_of=of)


def _upper(key, label, of, default_text, units, unit_field=None):
    return Field(key, f"{label} upper limit", "number", "limits",
                 f"The top of the normal range printed on your report for {label}. "
                 f"Leave blank to use {default_text}.",
                 units=units, unit_field=unit_field, limit_of=of)


FIELDS = (
    # --- about you
    Field("age", "Age", "integer", "about",
          "Your age in whole years. Fracture risk rises steeply with age, for everyone.",
          units=(Unit("years", 18, 110),)),
    Field("sex", "Sex", "choice", "about",
          "The sex recorded at birth. OST and QFracture were built separately for women and for men.",
          choices=(("female", "Female"), ("male", "Male"))),
    Field("menopause", "Menopause", "choice", "about",
          "Whether your periods have stopped for good. Early means before the age of 45.",
          choices=(("no", "Not yet"), ("yes", "Yes"), ("early", "Yes, before 45")),
          default="no", sex="female"),
    Field("height_unit", "Height unit", "choice", "about", "Centimetres, inches, or feet and inches.",
          choices=(("cm", "cm"), ("in", "inches"), ("ft_in", "feet and inches")),
          default="cm", unit_of="height"),
    Field("height", "Height", "measure", "about",
          "Your height without shoes.",
          units=(Unit("cm", 100, 250),
                 Unit("in", 100 / INCH_CM, 250 / INCH_CM, ("*", INCH_CM), label="inches", spellings=INCH_SPELLINGS),
                 Unit("ft_in", 100 / INCH_CM, 250 / INCH_CM, ("*", INCH_CM), label="feet and inches",
                      compound=FEET_INCHES)),
          unit_field="height_unit"),
    Field("weight_unit", "Weight unit", "choice", "about", "Kilograms, pounds, or stones and pounds.",
          choices=(("kg", "kg"), ("lb", "pounds"), ("st_lb", "stones and pounds")),
          default="kg", unit_of="weight"),
    Field("weight", "Weight", "measure", "about",
          "Your weight in light clothes.",
          units=(Unit("kg", 25, 300),
                 Unit("lb", 25 / POUND_KG, 300 / POUND_KG, ("*", POUND_KG), label="pounds", spellings=POUND_SPELLINGS),
                 Unit("st_lb", 25 / POUND_KG, 300 / POUND_KG, ("*", POUND_KG), label="stones and pounds",
                      compound=STONES_POUNDS)),
          unit_field="weight_unit"),
    Field("ethnicity", "Ethnic group", "choice", "about",
          "Used only by QFracture, because fracture rates differ between groups in the UK data it was built from.",
          choices=(("white", "White or not stated"), ("indian", "Indian"),
                   ("pakistani", "Pakistani"), ("bangladeshi", "Bangladeshi"),
                   ("other_asian", "Other Asian"), ("black_caribbean", "Black Caribbean"),
                   ("black_african", "Black African"), ("chinese", "Chinese"),
                   ("other", "Other ethnic group")),
          default="white"),
    # --- health history: these count in the score and in QFracture
    _condition("prior_fracture", "Previous fracture",
               "A broken hip, spine (vertebra), wrist or shoulder in the past, especially from a minor "
               "fall. If you broke another bone in a minor fall after 50, tell your doctor too.",
               section="history"),
    _condition("parent_history", "Parent with osteoporosis",
               "Your mother or father had osteoporosis or broke a hip.", section="history"),
    # QFracture-2012's b_corticosteroids: current regular use, which ClinRisk defines as
    # at least 2 prescriptions in the last 6 months (docs/model.md, "Inputs").
    _condition("corticosteroids", "Regular steroid tablets",
               "You take steroid tablets such as prednisolone (prednisone in the US) regularly: at least 2 prescriptions "
               "in the last 6 months, the way QFracture counts them. Steroid inhalers, creams and "
               "joint injections do not count.",
               section="history"),
    _condition("ra_sle", "Rheumatoid arthritis or lupus",
               "Diagnosed rheumatoid arthritis or systemic lupus erythematosus (SLE).",
               section="history"),
    _condition("malabsorption", "Crohn's, colitis or coeliac disease",
               "Crohn's disease, ulcerative colitis or coeliac disease: gut conditions that can "
               "also limit how much calcium and vitamin D you absorb.",
               section="history"),
    _condition("falls", "Falls",
               "You have fallen in the past year, or fall often. Falls, not only weak bone, cause most fractures.",
               section="history"),
    _condition("cancer_hormone_therapy", "Hormone therapy for breast or prostate cancer",
               "Now or in the past year: an aromatase inhibitor such as anastrozole, letrozole or "
               "exemestane, or treatment that lowers testosterone (androgen deprivation) such as "
               "goserelin or leuprorelin. QFracture does not count it; guidelines suggest a bone "
               "check when it starts. If you have had cancer, also tick Cancer under Other conditions.",
               section="history"),
    # --- everyday habits
    Field("smoking", "Smoking", "choice", "lifestyle",
          "Smoking raises fracture risk, most of all of the hip.",
          choices=(("non", "Never smoked"), ("ex", "Used to smoke"),
                   ("light", "Light: fewer than 10 a day"),
                   ("moderate", "Moderate: 10 to 19 a day"),
                   ("heavy", "Heavy: 20 or more a day")),
          default="non"),
    Field("alcohol", "Alcohol", "choice", "lifestyle",
          "On average, in UK units or US standard drinks. A UK unit is 8 g of alcohol: a single "
          "shot of spirits or half a pint of ordinary beer. A US drink is 14 g, about 1\u00be UK "
          "units: a 12 oz beer, a 5 oz glass of wine or a 1.5 oz shot. A 175 ml glass of wine is "
          "about 2 UK units.",
          choices=(("none", "None"), ("lt1", "Less than 1 unit a day (under \u00bd a US drink)"),
                   ("1to2", "1 to 2 units a day (about \u00bd to 1 US drink)"),
                   ("3to6", "3 to 6 units a day (about 2 to 3\u00bd US drinks)"),
                   ("7to9", "7 to 9 units a day (about 4 to 5 US drinks)"),
                   ("gt9", "More than 9 units a day (more than 5 US drinks)")),
          default="none"),
    Field("exercise_minutes", "Exercise", "number", "lifestyle",
          "Minutes a week of weight-bearing or muscle-strengthening activity: brisk walking, "
          "dancing, stairs, weights, resistance bands. Type 0 if you do none.",
          units=(Unit("minutes a week", 0, 10080),)),
    # --- other conditions that QFracture counts
    _condition("antidepressants", "Antidepressants", "You take antidepressant medicine."),
    _condition("cancer", "Cancer", "You have, or have had, any cancer."),
    _condition("asthma_copd", "Asthma or COPD",
               "Asthma, or chronic obstructive pulmonary disease (including emphysema and chronic bronchitis)."),
    _condition("cvd", "Heart disease or stroke", "Angina, heart attack, stroke or a mini-stroke (TIA)."),
    _condition("dementia", "Dementia", "A diagnosis of dementia."),
    _condition("endocrine", "Overactive thyroid or parathyroid",
               "An overactive thyroid or parathyroid gland, or Cushing's syndrome (not an underactive "
               "thyroid). Counted for women only.",
               sex="female"),
    _condition("epilepsy", "Epilepsy", "Epilepsy, or you take medicine for seizures (anticonvulsants)."),
    # QFracture-2012 records b_hrt_oest as current oestrogen-only HRT (docs/model.md).
    _condition("hrt", "Oestrogen-only HRT",
               "You now take hormone replacement therapy that contains oestrogen only (no "
               "progestogen), as QFracture counts it. Counted for women only.", sex="female"),
    _condition("liver_disease", "Chronic liver disease", "Long-term liver disease such as cirrhosis."),
    _condition("parkinsons", "Parkinson's disease", "A diagnosis of Parkinson's disease."),
    _condition("renal_disease", "Severe kidney disease", "Chronic kidney disease stage 4 or 5, or dialysis."),
    _condition("type1_diabetes", "Type 1 diabetes", "Type 1 diabetes. Tick only one type of diabetes."),
    _condition("type2_diabetes", "Type 2 diabetes", "Type 2 diabetes. Tick only one type of diabetes."),
    _condition("care_home", "Lives in a care home",
               "You live in a nursing or residential home. Counted for men only.", sex="male"),
    # --- blood tests: a unit choice comes before the value it sets
    _lab_unit("rankl_unit", "RANKL unit", "rankl", ("ng/mL", "pg/mL")),
    _lab("rankl", "RANKL",
         "Soluble RANKL, the signal that switches on bone-resorbing cells. 1 ng/mL is 1000 pg/mL.",
         (Unit("ng/mL", 0, 1000, lower_reference=0.1),
          Unit("pg/mL", 0, 1_000_000, lower_reference=100)), unit_field="rankl_unit"),
    _lab("tnf_alpha", "TNF-alpha",
         "Tumour necrosis factor alpha, an inflammatory messenger, in pg/mL (the same number as ng/L).",
         (Unit("pg/mL", 0, 10000, lower_reference=0.5, spellings=("ng/L",)),)),
    _lab("il6", "IL-6",
         "Interleukin 6, an inflammatory messenger, in pg/mL (the same number as ng/L).",
         (Unit("pg/mL", 0, 10000, lower_reference=0.5, spellings=("ng/L",)),)),
    _lab_unit("vitamin_d_unit", "Vitamin D unit", "vitamin_d", ("ng/mL", "nmol/L")),
    _lab("vitamin_d", "Vitamin D",
         "25-hydroxy vitamin D, the usual blood test for vitamin D. UK reports use nmol/L; "
         "US reports often use ng/mL.",
         (Unit("ng/mL", 0, 400), Unit("nmol/L", 0, 1000, ("/", 2.496))), unit_field="vitamin_d_unit"),
    _lab_unit("crp_unit", "CRP unit", "crp", ("mg/L", "mg/dL")),
    _lab("crp", "CRP",
         "C-reactive protein (high-sensitivity or standard), a general marker of inflammation.",
         (Unit("mg/L", 0, 500), Unit("mg/dL", 0, 50, ("*", 10))), unit_field="crp_unit"),
    # --- the reader's own lab limits, in the marker's unit
    _upper("rankl_upper", "RANKL", "rankl", "10 ng/mL (10000 pg/mL)",
           (Unit("ng/mL", 0.001, 1000), Unit("pg/mL", 0.001, 1_000_000)), unit_field="rankl_unit"),
    _upper("tnf_alpha_upper", "TNF-alpha", "tnf_alpha", "5 pg/mL", (Unit("pg/mL", 0.001, 10000),)),
    _upper("il6_upper", "IL-6", "il6", "5 pg/mL", (Unit("pg/mL", 0.001, 10000),)),
)

FIELDS_BY_KEY = {f.key: f for f in FIELDS}

# The upper limit used when the reader gives none, by unit (docs/model.md).
DEFAULT_UPPER = {
    "rankl": {"ng/mL": 10.0, "pg/mL": 10000.0},
    "tnf_alpha": {"pg/mL": 5.0},
    "il6": {"pg/mL": 5.0},
}


def schema():
    """The field table and its sections as plain JSON-ready data."""
    return {
        "sections": [{"key": s.key, "title": s.title, "intro": s.intro, "unlocks": s.unlocks}
                     for s in SECTIONS],
        "fields": [f.to_json() for f in FIELDS],
    }
