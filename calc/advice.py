"""Findings, recommendations and notes: what the results mean, in plain words.

Findings come from the band or choice each factor hit (calc.score), never
from numbers typed again here. Two recommendations follow guidelines, never
the educational score: a fracture risk assessment (NICE CG146) and a bone
density scan (OST high, or QFracture-2012 osteoporotic risk of 10% or more,
after SIGN 142). Texts explain and suggest; they never diagnose, and never
tell a reader to start or stop a prescribed medicine (docs/model.md).
"""

from functools import lru_cache

from . import ost as ost_tool
from . import qfracture as qf_tool
from .fields import FIELDS_BY_KEY
from .score import FACTORS, FACTORS_BY_KEY, MARKERS
from .text import fmt, join_words

LEVEL_ORDER = {"alert": 0, "warning": 1, "info": 2}
DXA_QFRACTURE = 10.0  # percent, osteoporotic, 10 years (SIGN 142)
CHECK_UNITS_BMI = (15, 50)  # a BMI outside this is more likely a unit slip than a body

# --- findings: one text per code; {points} is the factor's points

_MARKER_TEXT = ("Your {label} is {band} (+{points} points). A single blood value can be "
                "raised by a cold or a hard day's exercise, so it is worth repeating when you "
                "are well. Ask the doctor who ordered the test what it means for you.")

FINDING_TEXTS = {
    "age": "Age adds {points} points. Bone thins slowly with age for everyone; this is not "
           "something you are doing wrong.",
    "menopause": "Menopause adds {points} points. Bone loss is fastest in the first years after "
                 "periods stop, as oestrogen falls.",
    "early_menopause": "Menopause before 45 adds {points} points: bone has had more years without "
                       "oestrogen's protection. Ask your doctor whether hormone replacement therapy "
                       "(HRT) is right for you; it protects bone, and NICE guidance (NG23) "
                       "discusses it especially after an early menopause.",
    "low_bmi": "A BMI below 18.5 adds {points} points. Low body weight is one of the stronger "
               "simple predictors of fracture, especially of the hip.",
    "high_bmi": "A BMI of 30 or more adds {points} points. Higher weight goes with denser bone and "
                "fewer hip fractures, but with more ankle and upper-arm fractures, and fat tissue "
                "adds low-grade inflammation.",
    "smoking": "Smoking adds {points} points. It slows bone-building cells and lowers oestrogen; "
               "the extra fracture risk falls gradually after stopping.",
    "alcohol": "Drinking 3 or more units a day adds {points} points. It harms bone-building cells "
               "and makes falls more likely.",
    "heavy_alcohol": "Drinking 7 or more units a day adds {points} points. It harms bone-building "
                     "cells and makes falls more likely.",
    "corticosteroids": "Steroid tablets for 3 months or more add {points} points. Bone loss from "
                       "steroids is fastest in the first months, and much of it can be prevented.",
    "inflammatory_condition": "{conditions} adds {points} points. Long-term inflammation, through "
                              "messengers such as TNF-alpha and IL-6, speeds up bone loss.",
    "prior_fracture": "A previous fracture adds {points} points. After a fracture from a minor "
                      "fall, the chance of another is roughly doubled, most of all in the next "
                      "two years.",
    "parent_history": "A parent with osteoporosis or a broken hip adds {points} points. It "
                      "modestly raises your own fracture risk, most of all of the hip.",
    "no_exercise": "No weight-bearing or strengthening exercise adds {points} points. Bone needs "
                   "regular loading to stay strong.",
    "low_exercise": "Some exercise, but less than 75 minutes a week, adds {points} points "
                    "(exactly 0 minutes scores 10; anything above 0 and under 75 scores 7).",
    "some_exercise": "75 to under 150 minutes a week adds {points} points. The score measures "
                     "against the WHO's general activity target of 150 minutes a week, a target "
                     "for overall health rather than a proven best dose for bone.",
    "rankl_raised": _MARKER_TEXT,
    "tnf_alpha_raised": _MARKER_TEXT,
    "il6_raised": _MARKER_TEXT,
    "vitamin_d_deficient": "Your vitamin D is under 12 ng/mL (about 30 nmol/L) (+{points} points). "
                           "The US National Academy of Medicine puts people below this level at risk "
                           "of deficiency, and levels this low raise the risk of soft, weak bone "
                           "(osteomalacia).",
    "vitamin_d_low": "Your vitamin D is 12 to under 20 ng/mL (about 30 to 50 nmol/L) "
                     "(+{points} points). That is below the 20 ng/mL (50 nmol/L) that the US "
                     "National Academy of Medicine considers enough for bone, so your bones may "
                     "be getting less calcium than they need.",
    "vitamin_d_below_30": "Your vitamin D is 20 to under 30 ng/mL (about 50 to 75 nmol/L) "
                          "(+{points} points). Experts disagree about this range: the US National "
                          "Academy of Medicine counts 20 ng/mL as enough for bone, some specialists "
                          "aim for 30, and the Endocrine Society's 2024 guideline no longer endorses "
                          "30 as a target. The score counts it lightly, as a prompt to ask.",
    "vitamin_d_high": "Your vitamin D is above 100 ng/mL (about 250 nmol/L). That is more than "
                      "bone needs; a higher level does not strengthen bone further.",
    "vitamin_d_toxic": "First check the unit on your report: if it says nmol/L, choose nmol/L "
                       "here, because the value in ng/mL would be this number divided by 2.496. "
                       "If the report does say ng/mL, a level above 150 ng/mL can raise blood "
                       "calcium to harmful levels, so contact your doctor soon.",
    "crp_borderline": "Your CRP is 1 to 3 mg/L (+{points} points): mild, low-grade inflammation, "
                      "common and often linked with weight, smoking or inactivity.",
    "crp_raised": "Your CRP is above 3 mg/L (+{points} points), a sign of inflammation somewhere "
                  "in the body. A cold or a small injury can raise it for a few weeks, so one "
                  "value is not conclusive.",
    "crp_acute": "Your CRP is 10 mg/L or more (+{points} points). This usually means active "
                 "inflammation: often a recent infection or injury, or a flare of a condition such "
                 "as rheumatoid arthritis or bowel disease. See a doctor if you feel unwell or "
                 "feverish.",
    "crp_very_high": "Your CRP is 50 mg/L or more (+{points} points). Contact a doctor promptly, "
                     "unless this result has already been discussed with you.",
}

BELOW_RANGE_TEXT = ("Your {label} is below {low} {unit}, the bottom of the usual range. Low "
                    "levels are not a known risk to bone; if the number looks unexpected, check "
                    "the unit printed on your report.")


def _limit_phrase(marker, values):
    entered = marker + "_upper" in values["_entered"]
    return "your lab's upper limit" if entered else "the usual upper limit"


def _finding_text(key, hit, values):
    label = band = conditions = ""
    if key in MARKERS:
        label = FACTORS_BY_KEY[key].label
        band = hit.label.replace("the limit", _limit_phrase(key, values))
    if key == "inflammatory_condition":
        conditions = join_words(FIELDS_BY_KEY[k].label for k in ("ra_sle", "malabsorption") if values[k])
    return _format_finding(hit.code, hit.points, label, band, conditions)


@lru_cache(maxsize=None)  # a small fixed domain: each code with its band's points, label and limit phrase
def _format_finding(code, points, label, band, conditions):
    # A text ignores the fields it does not name (most name only {points}).
    return FINDING_TEXTS[code].format(points=points, label=label, band=band, conditions=conditions)


def _below_range(key, values, points):
    """A marker under the bottom of the usual range (in the reader's unit), or None."""
    f = FIELDS_BY_KEY[key]
    unit = f.unit(values[f.unit_field]) if f.unit_field else f.units[0]
    op, x = values[key]
    low = unit.lower_reference
    if points or low is None or op == ">" or not (x < low if op == "=" else x <= low):
        return None
    return {"code": f"{key}_below_range", "level": "info",
            "text": BELOW_RANGE_TEXT.format(label=f.label, low=fmt(low), unit=unit.name)}


def findings(values, scores):
    found = []
    # Only a factor with a hit can give a finding: a marker with a value has one
    # (its band) unless its bound spans an edge, and then it gives a note instead.
    for key, hit in scores.hits.items():
        if hit.code:
            found.append({"code": hit.code, "level": hit.level, "text": _finding_text(key, hit, values)})
        elif key in MARKERS:
            extra = _below_range(key, values, hit.points)
            if extra:
                found.append(extra)
    found.sort(key=lambda item: LEVEL_ORDER[item["level"]])  # stable: factor order within a level
    return found


# --- the two guideline recommendations

_RISK_AT_50 = {  # NICE CG146 risk factors, from 50 (docs/model.md, "Recommendations")
    "prior_fracture": "a previous fracture", "corticosteroids": "steroid tablets",
    "falls": "falls", "parent_history": "a parent with osteoporosis or a hip fracture",
    "ra_sle": "rheumatoid arthritis or lupus", "malabsorption": "Crohn's, colitis or coeliac disease",
    "type1_diabetes": "type 1 diabetes", "endocrine": "a thyroid or other gland disorder",
    "renal_disease": "severe kidney disease", "liver_disease": "chronic liver disease",
}


def _risk_factors_at_50(values, bmi):
    found = [text for key, text in _RISK_AT_50.items() if values[key]]
    if bmi is not None and bmi < 18.5:
        found.append("a BMI below 18.5")
    if values["smoking"] in ("light", "moderate", "heavy"):
        found.append("smoking")
    if values["alcohol"] in ("3to6", "7to9", "gt9"):
        found.append("3 or more units of alcohol a day")
    if values["menopause"] == "early":
        found.append("an early menopause")
    return found


def _risk_factors_under_50(values):
    found = [text for key, text in _RISK_AT_50.items()
             if key in ("prior_fracture", "corticosteroids") and values[key]]
    if values["menopause"] == "early" and not values["hrt"]:
        found.append("an early menopause without HRT")
    return found


def _nice_reason(sex, age, values, bmi):
    """Why NICE CG146 suggests an assessment for this sex and age, or None."""
    if sex == "female" and age >= 65:
        return "women aged 65 and over"
    if sex == "male" and age >= 75:
        return "men aged 75 and over"
    if age >= 50:
        factors = _risk_factors_at_50(values, bmi)
        return f"people aged 50 and over with a risk factor such as {join_words(factors)}" if factors else None
    factors = _risk_factors_under_50(values)
    return f"adults under 50 with {join_words(factors)}" if factors else None


# Ages where the rule changes; between them it is constant, so these stand for every age.
_NICE_AGES = (18, 50, 65, 75)


def nice_assessment(values, bmi):
    """The reason for a NICE CG146 fracture risk assessment, or None.

    A missing age or sex is filled with every value it could have; the
    recommendation stands only if all of them would give it.
    """
    sexes = (values["sex"],) if values["sex"] else ("female", "male")
    ages = (values["age"],) if values["age"] is not None else _NICE_AGES
    reasons = [_nice_reason(sex, age, values, bmi) for sex in sexes for age in ages]
    if not all(reasons):
        return None
    return reasons[0] if len(reasons) == 1 else "people with your answers, whatever the missing ones"


def dxa_reasons(ost_result, qf):
    reasons = []
    if ost_result and ost_result["category"] == "high":
        reasons.append("your OST index is in the high range")
    if qf and qf["osteoporotic"] >= DXA_QFRACTURE:
        reasons.append("your QFracture-2012 risk of a major osteoporotic fracture is 10% or more")
    return reasons


# --- recommendations, most important first; each follows from findings or a guideline

RECOMMENDATIONS = (  # (code, the finding codes or triggers that give it, text)
    ("vitamin_d_check", ("vitamin_d_toxic",),
     "Check the unit of your vitamin D result. If it really is above 150 ng/mL, talk to your "
     "doctor soon, and mention every vitamin D product you take, prescribed or bought."),
    ("crp_prompt", ("crp_very_high",),
     "Contact a doctor promptly about a CRP of 50 mg/L or more, unless it has already been "
     "discussed with you."),
    ("fracture_risk_assessment", ("nice",),
     "Ask your GP or practice nurse for a fracture risk assessment. UK guidance (NICE CG146) "
     "suggests one for {nice}."),
    ("dxa_scan", ("dxa",),
     "Ask your doctor whether a bone density (DXA) scan is right for you, because {dxa}. DXA is "
     "the standard test for bone density: quick, painless and a very low dose of X-rays."),
    ("steroid_bone_protection", ("corticosteroids",),
     "Ask your doctor about protecting your bones while you take steroid tablets; the American "
     "College of Rheumatology's 2022 guideline advises a fracture risk assessment for adults on "
     "long-term steroids. Do not change your steroid dose without talking to your doctor: "
     "stopping suddenly can be dangerous."),
    ("falls_prevention", ("falls",),
     "Ask your doctor for a falls check: balance, eyesight, blood pressure, medicines that cause "
     "dizziness, and hazards at home. Strength and balance exercise cuts falls by about a quarter."),
    ("condition_bone_health", ("inflammatory_condition",),
     "Ask the team that treats your condition about your bones. Keeping the inflammation under "
     "control protects bone too."),
    ("inflammation_review", ("rankl_raised", "tnf_alpha_raised", "il6_raised", "crp_raised"),
     "Ask the doctor who ordered your blood tests about your raised {raised}. A repeat test when "
     "you are well tells more than a single value."),
    ("crp_repeat", ("crp_acute", "crp_very_high"),
     "Have CRP measured again when you have been well for a few weeks. If it is still 10 mg/L or "
     "more, your doctor will want to find out why."),
    ("vitamin_d_treatment", ("vitamin_d_deficient",),
     "Talk to your doctor about your vitamin D result. Levels this low are usually treated with a "
     "course chosen by a doctor and then checked again."),
    ("vitamin_d_supplement", ("vitamin_d_low", "vitamin_d_below_30"),
     "Ask a pharmacist or doctor whether a vitamin D supplement suits you. UK advice is 10 "
     "micrograms (400 IU) a day for everyone in autumn and winter, when sunlight is too weak to "
     "make enough in the skin."),
    ("vitamin_d_review", ("vitamin_d_high",),
     "Review your vitamin D with a pharmacist or doctor: your level is higher than bone needs. "
     "Mention every vitamin D product you take, prescribed or bought."),
    ("stop_smoking", ("smoking",),
     "Stopping smoking slows bone loss at any age. A stop-smoking service or your doctor can help; "
     "support and medicines make quitting much more likely."),
    ("reduce_alcohol", ("alcohol",),
     "Cut down to 14 units a week or less, spread over three or more days. This helps bone and "
     "lowers the chance of a fall."),
    ("reduce_alcohol", ("heavy_alcohol",),
     "Cut down to 14 units a week or less. If you drink this much every day, do not stop "
     "suddenly on your own, because withdrawal can be dangerous: your GP or a local alcohol "
     "service can help you cut down safely."),
    ("exercise", ("no_exercise", "low_exercise", "some_exercise"),
     "Build up towards the WHO's general target of 150 minutes a week of moderate activity, "
     "including weight-bearing activity such as brisk walking, dancing or stairs, and "
     "muscle-strengthening on 2 or more days.{fracture_caution}"),
    ("healthy_weight", ("low_bmi",),
     "Talk to your doctor about your low weight. Regular meals with enough protein, calcium and "
     "energy help bone."),
    ("healthy_weight", ("high_bmi",),
     "If you plan to lose weight, do it gradually and stay active while you do: fast weight loss "
     "without exercise also thins bone."),
    ("bone_basics", ("always",),
     "For everyone: calcium from food (dairy, fortified plant milks, tinned fish with bones, "
     "leafy greens), enough protein, regular activity, and not smoking."),
)


# (code, needs, text, whether the text has fields to fill); most texts have none
_RECOMMENDATIONS = tuple((code, needs, text, "{" in text) for code, needs, text in RECOMMENDATIONS)


_RAISED = tuple((f"{k}_raised", FIELDS_BY_KEY[k].label) for k in MARKERS)  # (finding code, marker label)


def recommendations(values, found, nice, dxa):
    triggers = {item["code"] for item in found} | {"always"}
    if nice:
        triggers.add("nice")
    if dxa:
        triggers.add("dxa")
    if values["falls"]:  # not a factor of the score, but QFracture counts it and it has advice
        triggers.add("falls")
    raised = [label for code, label in _RAISED if code in triggers]
    if "crp_raised" in triggers:
        raised.append("CRP")
    context = {
        "nice": nice, "dxa": join_words(dxa), "raised": join_words(raised),
        "fracture_caution": (" As you have had a fracture, ask a physiotherapist which exercises "
                             "suit you." if values["prior_fracture"] else ""),
    }
    recs, seen = [], set()
    for code, needs, text, fill in _RECOMMENDATIONS:
        if code not in seen and not triggers.isdisjoint(needs):
            seen.add(code)
            recs.append({"code": code, "text": text.format(**context) if fill else text})
    return recs


# --- notes

OST_WHY_NOT = {
    "no_sex": "OST needs your sex, because its cut-offs differ for women and men.",
    "no_age": "OST needs your age.",
    "under_45": f"OST is not shown because it was developed for people aged {ost_tool.MIN_AGE} and over.",
    "no_weight": "OST needs your weight.",
}
QFRACTURE_WHY_NOT = {
    "no_sex": "QFracture needs your sex: it has separate equations for women and men.",
    "no_age": "QFracture needs your age.",
    "age_out_of_range": f"QFracture is not shown because it was developed for ages {qf_tool.MIN_AGE} "
                        f"to {qf_tool.MAX_AGE}, and a result outside that range would not be reliable.",
    "no_bmi": "QFracture needs your height and weight, to work out your BMI.",
    "bmi_out_of_range": "QFracture is not shown because your BMI of {bmi} is outside "
                        f"{qf_tool.MIN_BMI} to {qf_tool.MAX_BMI}, the range it was developed on.",
}
LOW_BMI_QFRACTURE = (" A low body weight itself raises fracture risk, so OST and a doctor's "
                     "assessment matter more for you.")

EXACT_TEST = {
    "crp": "A high-sensitivity CRP test (hs-CRP) measures low levels exactly.",
    "vitamin_d": "Ask the lab or your doctor for the exact value.",
}


def _imprecise_note(key, reading, values):
    f = FIELDS_BY_KEY[key]
    op, x = values[key]
    unit = values[f.unit_field] if f.unit_field else f.units[0].name
    shown = f"{'below' if op == '<' else 'above'} {fmt(x, 6)} {unit}"
    certain = f"Your {f.label} result is {shown}"
    if key in MARKERS:
        lo, hi = (0.0, reading[1]) if op == "<" else (reading[1], reading[2])
        limit = _limit_phrase(key, values)
        if lo >= 1:
            certain += f", so it is above {limit}"
        elif hi <= 1:
            certain += f", so it is within {limit}"
    test = EXACT_TEST.get(key, "Ask the lab for the exact value, or for a test that measures "
                               "over a wider range.")
    return {"code": f"imprecise_{key}",
            "text": f"{certain}, but that range spans more than one band of the score, so it "
                    f"scores 0 points here. {test}"}


def _in_sentence(label):
    """'Steroid tablets' -> 'steroid tablets'; 'RANKL', 'IL-6' and 'CRP' stay as they are."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


_IN_SENTENCE = {f.key: _in_sentence(f.label) for f in FACTORS}  # each factor's label, as in a sentence


def notes(values, scores, category, bmi, bmi_shown, ost_result, qf):
    out = []

    def add(code, text):
        out.append({"code": code, "text": text})

    add("educational_score",
        "The inflammation and bone health score is an educational summary, not a validated test "
        "or a diagnosis. OST and QFracture are validated screening tools; only a health "
        "professional can interpret them for you.")
    tools_high = bool(ost_result and ost_result["category"] == "high") or bool(
        qf and qf["osteoporotic"] >= DXA_QFRACTURE)
    if category in ("low", "moderate") and tools_high:
        add("validated_tools_higher",
            "The validated tools put your fracture risk higher than this educational score does. "
            "For fracture risk, OST and QFracture are the better guide.")
    if category in ("high", "very_high") and qf and qf["osteoporotic"] < DXA_QFRACTURE and not (
            ost_result and ost_result["category"] == "high"):
        add("validated_tools_lower",
            "This score is higher than the validated tools suggest, because it counts inflammation "
            "markers and habits that they do not. For fracture risk, OST and QFracture are the "
            "better guide.")

    for key, reading in scores.imprecise.items():
        out.append(_imprecise_note(key, reading, values))

    missing = [_IN_SENTENCE[k] for k, answered in scores.answered.items() if answered is False]
    if missing:
        add("not_answered", f"Not answered, so not counted in the score: {join_words(missing)}.")

    defaults = [FIELDS_BY_KEY[k].label for k in MARKERS
                if values[k] is not None and k + "_upper" not in values["_entered"]]
    if defaults:
        add("default_limits",
            f"{join_words(defaults)} {'was' if len(defaults) == 1 else 'were'} compared with the "
            "usual upper limit. If your lab report gives a different one, enter it under "
            "\u201cYour lab's own upper limits\u201d.")

    if bmi is not None and not CHECK_UNITS_BMI[0] <= bmi <= CHECK_UNITS_BMI[1]:
        add("check_units",
            f"Your BMI works out at {bmi_shown}, which is very unusual. Check that your height and "
            "weight are in the units you meant.")

    reason = ost_tool.why_not(values["sex"], values["age"], values["weight"])
    if reason:
        add(f"ost_{reason}", OST_WHY_NOT[reason])
    reason = qf_tool.why_not(values["sex"], values["age"], bmi)
    if reason:
        text = QFRACTURE_WHY_NOT[reason].format(bmi=bmi_shown)
        if reason == "bmi_out_of_range" and bmi < qf_tool.MIN_BMI:
            text += LOW_BMI_QFRACTURE
        add(f"qfracture_{reason}", text)
    elif qf:
        assumed = [k for k in ("ethnicity", "smoking", "alcohol") if k not in values["_entered"]]
        if assumed:
            f_labels = [f"{FIELDS_BY_KEY[k].label.lower()}: "
                        f"{dict(FIELDS_BY_KEY[k].choices)[FIELDS_BY_KEY[k].default].lower()}"
                        for k in assumed]
            add("qfracture_assumed", "QFracture counted what you left blank as " + "; ".join(f_labels) + ".")
    return out

