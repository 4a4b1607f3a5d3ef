"""Findings, recommendations and notes: what the results mean, in plain words.

Findings come from the band or choice each factor hit (calc.score), never
from numbers typed again here. Three recommendations follow guidelines, never
the educational score, and come first: a fracture risk assessment (NICE
CG146), a follow-up after a fracture (NOGG 2022) and a bone density scan (OST,
QFracture-2012 after SIGN 142, steroid tablets after ACR 2022, cancer hormone
therapy after NOGG 2022 and SIGN 142). Texts explain and suggest; they never
diagnose, and never tell a reader to start or stop a prescribed medicine
(docs/model.md).
"""

import math
from functools import lru_cache
from operator import itemgetter
from string import Formatter

from . import ost as ost_tool
from . import qfracture as qf_tool
from .fields import FIELDS_BY_KEY
from .score import ALCOHOL_3_OR_MORE, CURRENT_SMOKING, FACTORS, FACTORS_BY_KEY, LOW_BMI, MARKERS
from .text import fmt, fmt_read, join_words, tenths_text

LEVEL_ORDER = {"alert": 0, "warning": 1, "info": 2}
DXA_QFRACTURE = 10.0  # percent, the higher of QFracture's two 10-year risks (SIGN 142)
DXA_PERCENT = f"{fmt(DXA_QFRACTURE)}%"
OLD_AGE = 80  # from here NICE CG146 advises caution with 10-year figures
HRT_AGE = 51  # the average age of menopause: under it, an early menopause may prompt a talk about HRT
CHECK_UNITS_BMI = (15, 50)  # a BMI outside this is more likely a unit slip than a body

# --- findings: one text per code; {points} is the factor's points

_MARKER_TEXT = ("Your {label} result, {value}, is {band} (+{points} points). A single blood value "
                "can be raised by a cold or a hard day's exercise, and no guideline uses this test to "
                "judge bone health. Ask the doctor who ordered it, or your own doctor, what it means for you.")

FINDING_TEXTS = {
    "age": "Age adds {points} points. Bone thins with age for everyone, and fracture risk rises "
           "steeply in later life; this is not something you are doing wrong.",
    "menopause": "Menopause adds {points} points. Bone loss is fastest around the last period, "
                 "from about a year before it to two years after, as oestrogen falls.",
    "early_menopause": "Menopause before 45 adds {points} points: bone has had more years without "
                       "oestrogen's protection.",
    "low_bmi": f"A BMI below {fmt(LOW_BMI)} adds {{points}} points. Low body weight is one of the stronger "
               "simple predictors of fracture, especially of the hip.",
    "high_bmi": "A BMI of 30 or more adds {points} points. Higher weight goes with denser bone and "
                "fewer hip fractures, but with more ankle and upper-arm fractures, and fat tissue "
                "adds low-grade inflammation.",
    "smoking": "Smoking adds {points} points. It raises fracture risk, most of all of the hip, and "
               "bone density explains only part of that; the extra risk falls gradually after "
               "stopping.",
    "alcohol": "Drinking 3 or more UK units a day (about 2 US drinks) adds {points} points. Above about 2 units a day, "
               "fracture risk rises, by more than bone density explains.",
    "heavy_alcohol": "Drinking 7 or more UK units a day (about 4 US drinks) adds {points} points. Above about 2 units a day, "
                     "fracture risk rises, by more than bone density explains.",
    "corticosteroids": "Regular steroid tablets add {points} points. They slow bone formation and "
                       "speed bone loss, and much of the harm can be prevented.",
    "inflammatory_condition": "{conditions} adds {points} points. Long-term inflammation, through "
                              "messengers such as TNF-alpha and IL-6, speeds up bone loss.",
    "prior_fracture": "A previous fracture adds {points} points. After a fracture from a minor "
                      "fall, the chance of another is roughly doubled, most of all in the next "
                      "two years.",
    "parent_history": "A parent with osteoporosis or a broken hip adds {points} points. A parent's "
                      "fracture raises your own fracture risk, and a parent's broken hip raises "
                      "your risk of a hip fracture most.",
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
    "vitamin_d_deficient": "Your vitamin D result, {value}, is under 12 ng/mL (about 30 nmol/L) "
                           "(+{points} points). The US National Academy of Medicine puts people "
                           "below this level at risk of deficiency, and levels this low raise the "
                           "risk of soft, weak bone (osteomalacia).",
    "vitamin_d_low": "Your vitamin D result, {value}, is 12 to under 20 ng/mL (about 30 to 50 "
                     "nmol/L) (+{points} points). That is below the 20 ng/mL (50 nmol/L) that the "
                     "US National Academy of Medicine considers enough for bone.",
    "vitamin_d_high": "Your vitamin D result, {value}, is above 100 ng/mL (about 250 nmol/L). That "
                      "is more than bone needs; a higher level does not strengthen bone further.",
    "vitamin_d_toxic": "Your vitamin D result, {value}, is above 150 ng/mL. First check the unit on "
                       "your report: if it says nmol/L, choose nmol/L here, because the value in "
                       "ng/mL would be this number divided by 2.496. If the report does say ng/mL, "
                       "a level above 150 ng/mL can raise blood calcium to harmful levels, so "
                       "contact your doctor soon.",
    "crp_borderline": "Your CRP result, {value}, is 1 to 3 mg/L (+{points} points): mild, low-grade "
                      "inflammation, common and often linked with weight, smoking or inactivity.",
    "crp_raised": "Your CRP result, {value}, is above 3 mg/L (+{points} points), a sign of "
                  "inflammation somewhere in the body. A cold or a small injury can raise it for a "
                  "few weeks, so one value is not conclusive.",
    "crp_acute": "Your CRP result, {value}, is 10 mg/L or more (+{points} points). This usually "
                 "means active inflammation: often a recent infection or injury, or a flare of a "
                 "condition such as rheumatoid arthritis or bowel disease. See a doctor if you feel "
                 "unwell or feverish.",
    "crp_very_high": "Your CRP result, {value}, is 50 mg/L or more (+{points} points). Contact a "
                     "doctor promptly, unless this result has already been discussed with you.",
}
# With nmol/L chosen, the unit is not in doubt (docs/model.md, "Findings").
VITAMIN_D_TOXIC_NMOL = ("Your vitamin D result, {value}, is above 150 ng/mL. A level this high can "
                        "raise blood calcium to harmful levels, so contact your doctor soon.")
HRT_TEXT = (" If you are not already taking hormone replacement therapy (HRT), ask your doctor "
            "whether it is right for you: it protects bone, and NICE guidance (NG23) advises it "
            "after a menopause before 40.")

BELOW_RANGE_TEXT = ("Your {label} result, {value}, is below {low} {unit}, the bottom of the usual "
                    "range. Low levels are not a known risk to bone; if the number looks unexpected, "
                    "check the unit printed on your report.")


def _limit_phrase(marker, values):
    entered = marker + "_upper" in values["_entered"]
    return "your lab's upper limit" if entered else "the default upper limit"


# --- a lab value as a finding names it: as read, and in the band's unit when that differs

_LAB_UNITS = {f.key: ({u.name: u for u in f.units}, f.unit_field, f.units[0]) for f in FIELDS_BY_KEY.values()
              if f.kind == "lab"}
_INCLUSIVE_EDGES = {key: frozenset(b.upper for b in FACTORS_BY_KEY[key].bands if b.inclusive) for key in _LAB_UNITS}
_BOUND_WORDS = {"<": "below", ">": "above"}


def shown_figure(x, inclusive_edges):
    """x to one decimal, in the same band as x (docs/model.md, "Findings"): cut, except
    where the cut figure would sit on an edge that belongs to the band below (CRP's 3,
    a marker's 1, 2 and 4 times its limit), where it is rounded up instead."""
    tenths = math.floor(x * 10)
    if tenths / 10 in inclusive_edges and x > tenths / 10:
        tenths += 1
    return tenths_text(tenths)


def _unit_read(key, values):
    """The Unit a lab value was read in (chosen, typed after it, or the field's only one)."""
    units, unit_field, base = _LAB_UNITS[key]
    return units[values[unit_field]] if unit_field else base


def _lab_value(key, values):
    """'0.8 mg/dL (8 mg/L)', '12 pg/mL (2.4 times the default upper limit)', 'above 160 mg/L'."""
    unit, base = _unit_read(key, values), _LAB_UNITS[key][2]
    op, x = values[key]
    if op != "=":  # a bound, named as typed: it may span values of more than one figure
        return f"{_BOUND_WORDS[op]} {fmt_read(x)} {unit.name}"
    text = f"{fmt_read(x)} {unit.name}"
    if key in MARKERS:
        return text + f" ({shown_figure(x / values[key + '_upper'], _INCLUSIVE_EDGES[key])} times " \
                      f"{_limit_phrase(key, values)})"
    if unit is not base:
        return text + f" ({shown_figure(unit.to_base(x), _INCLUSIVE_EDGES[key])} {base.name})"
    return text


_VALUE = "\x00"  # where a lab finding's value goes, in its text made once (see _lab_text)


@lru_cache(maxsize=None)  # a small fixed domain: each lab code with its points, band, limit phrase and unit
def _lab_text(template, points, label, band):
    """A lab finding's text around its value: (before, after). Only the value differs between
    readers, so the rest of the sentence is made once."""
    before, after = template.format(points=points, label=label, band=band, value=_VALUE).split(_VALUE)
    return before, after


def _finding_text(key, hit, values):
    if key in _LAB_UNITS:
        band = hit.label.replace("the limit", _limit_phrase(key, values)) if key in MARKERS else ""
        template = FINDING_TEXTS[hit.code]
        if hit.code == "vitamin_d_toxic" and values["vitamin_d_unit"] == "nmol/L":
            template = VITAMIN_D_TOXIC_NMOL
        before, after = _lab_text(template, hit.points, FACTORS_BY_KEY[key].label, band)
        return before + _lab_value(key, values) + after
    conditions = ""
    if key == "inflammatory_condition":
        conditions = join_words(FIELDS_BY_KEY[k].label for k in ("ra_sle", "malabsorption") if values[k])
    text = _format_finding(hit.code, hit.points, conditions)
    if hit.code == "early_menopause" and _hrt_suggested(values):
        text += HRT_TEXT
    return text


def _hrt_suggested(values):
    """Only to women under 51 not already on (oestrogen-only) HRT; with no age, never."""
    return values["age"] is not None and values["age"] < HRT_AGE and not values["hrt"]


@lru_cache(maxsize=None)  # a small fixed domain: each code with its points and the conditions named
def _format_finding(code, points, conditions):
    # A text ignores the fields it does not name (most name only {points}).
    return FINDING_TEXTS[code].format(points=points, conditions=conditions)


def _below_range(key, values, points):
    """A marker under the bottom of the usual range (in the reader's unit), or None."""
    f = FIELDS_BY_KEY[key]
    unit = _unit_read(key, values)
    op, x = values[key]
    low = unit.lower_reference
    if points or low is None or op == ">" or not (x < low if op == "=" else x <= low):
        return None
    return {"code": f"{key}_below_range", "level": "info",
            "text": BELOW_RANGE_TEXT.format(label=f.label, low=fmt(low), unit=unit.name,
                                            value=_lab_value(key, values))}


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


# --- the three guideline recommendations

_RISK_AT_50 = {  # NICE CG146 risk factors from 50, with the conditions NOGG 2022 and SIGN 142 add
    "prior_fracture": "a previous fracture", "corticosteroids": "steroid tablets",
    "falls": "falls", "parent_history": "a parent with osteoporosis or a hip fracture",
    "ra_sle": "rheumatoid arthritis or lupus", "malabsorption": "Crohn's, colitis or coeliac disease",
    "type1_diabetes": "type 1 diabetes", "endocrine": "an overactive thyroid or parathyroid",
    "renal_disease": "severe kidney disease", "liver_disease": "chronic liver disease",
    "cancer_hormone_therapy": "hormone therapy for breast or prostate cancer",
    "type2_diabetes": "type 2 diabetes", "asthma_copd": "asthma or COPD",
    "parkinsons": "Parkinson's disease", "dementia": "dementia", "epilepsy": "epilepsy",
    "cancer": "cancer", "antidepressants": "antidepressants",
}
_UNDER_50 = ("prior_fracture", "corticosteroids")  # and an early menopause, whatever the HRT answer


def _risk_factors_at_50(values, bmi):
    found = [text for key, text in _RISK_AT_50.items() if values[key]]
    if bmi is not None and bmi < LOW_BMI:
        found.append(f"a BMI below {fmt(LOW_BMI)}")
    if values["smoking"] in CURRENT_SMOKING:
        found.append("smoking")
    if values["alcohol"] in ALCOHOL_3_OR_MORE:
        found.append("3 or more units of alcohol a day")
    if values["menopause"] == "early":
        found.append("an early menopause")
    return found


def _risk_factors_under_50(values):
    found = [_RISK_AT_50[key] for key in _UNDER_50 if values[key]]
    if values["menopause"] == "early":  # the form asks only about oestrogen-only HRT, so it cannot tell
        found.append("an early menopause (NICE names an untreated premature menopause)")
    return found


def _nice_reason(sex, age, values, bmi):
    """Why NICE CG146 suggests an assessment for this sex and age, or None."""
    if sex == "female" and age >= 65:
        return "women aged 65 and over"
    if sex == "male" and age >= 75:
        return "men aged 75 and over"
    if age >= 50:
        factors = _risk_factors_at_50(values, bmi)
        return f"people aged 50 and over with a risk factor ({'; '.join(factors)})" if factors else None
    factors = _risk_factors_under_50(values)
    return f"adults under 50 with {'; '.join(factors)}" if factors else None


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
    if len(set(reasons)) == 1:
        return reasons[0]
    missing = join_words(word for word, given in (("age", values["age"] is not None), ("sex", values["sex"]))
                         if not given)
    return f"people with your answers, whatever their {missing}"


# USPSTF 2025 leaves out people with a fragility fracture or a condition or medicine that
# weakens bone; BHOF 2022 covers them (docs/model.md, "Recommendations").
_BONE_LOSS_CAUSES = ("corticosteroids", "cancer_hormone_therapy", "ra_sle", "malabsorption")


def us_guidance(values):
    """The US guidance that agrees with the assessment for this reader, as a sentence, or ''."""
    sex, age = values["sex"], values["age"]
    if any(values[key] for key in _BONE_LOSS_CAUSES):
        return (" In the US, the Bone Health and Osteoporosis Foundation (2022) advises a bone "
                "density test for adults with a condition or medicine linked to bone loss.")
    if sex == "male" and age is not None and age >= 70:
        return (" In the US, the Bone Health and Osteoporosis Foundation (2022) advises a bone "
                "density test for men aged 70 and over.")
    if values["prior_fracture"]:
        return ""  # outside USPSTF's remit; fracture_followup gives BHOF's advice after a fracture
    if sex == "female" and age is not None and age >= 65:
        return (" In the US, the USPSTF (2025) recommends screening with a bone density test for "
                "all women aged 65 and over.")
    if sex == "female" and values["menopause"] in ("yes", "early"):
        return (" In the US, the USPSTF (2025) recommends screening with a bone density test for "
                "women under 65 past the menopause whose risk is raised.")
    return ""


FOLLOWUP_TEXTS = {  # fracture_followup, worded by age (NOGG 2022)
    "50_or_over": "Because you have had a fracture and are 50 or over, ask your doctor whether you "
                  "need treatment to prevent another; a bone density scan is often part of that "
                  "assessment. UK guidance (NOGG 2022) advises this especially after a fracture "
                  "from a fall from standing height or less, and the risk of another fracture is "
                  "highest in the first years after one. In the US, the Bone Health and Osteoporosis "
                  "Foundation (2022) advises a bone density test for adults who break a bone after 50.",
    "under_50": "A fracture from little force, such as a fall from standing height, is unusual "
                "before 50: ask your doctor whether tests for a cause are needed (NOGG 2022). A "
                "fracture from a serious accident or a hard sports injury is a different matter.",
    "no_age": "Ask your doctor about your fracture: from the age of 50, whether you need treatment "
              "to prevent another (a bone density scan is often part of that assessment), and "
              "before 50, whether a fracture from little force needs tests for a cause (NOGG 2022).",
}


def fracture_followup(values):
    """Which fracture_followup text applies, or None (no previous fracture)."""
    if not values["prior_fracture"]:
        return None
    age = values["age"]
    return "no_age" if age is None else ("50_or_over" if age >= 50 else "under_50")


QFRACTURE_OUTCOMES = {"osteoporotic": "a hip, spine, wrist or shoulder fracture", "hip": "a hip fracture"}
DXA_REASONS = {
    "ost": "Your OST index is in the high range.",
    "qfracture": "Your QFracture-2012 risk of {outcome} in 10 years is {dxa} or more, the level from "
                 "which Scottish guidance (SIGN 142) suggests a scan.",
    "qfracture_hip": "Your QFracture-2012 risk of a hip fracture alone is {dxa} or more in 10 years, "
                     "so your risk of any of those fractures is too; Scottish guidance (SIGN 142) "
                     "suggests a scan from {dxa}.",
    "corticosteroids": "You take steroid tablets regularly: the American College of Rheumatology "
                       "(2022) advises adults of any age who take 2.5 mg of prednisolone (prednisone in "
                       "the US) a day or "
                       "more (or the same dose of another steroid) for over 3 months to have a bone "
                       "density test with a spine X-ray or a vertebral fracture assessment.",
    "cancer_hormone_therapy": "You take, or took in the past year, hormone therapy for breast or "
                              "prostate cancer: UK guidance (NOGG 2022, SIGN 142) advises checking "
                              "bone health when these treatments start.",
}


def dxa_reasons(values, ost_result, qf):
    """Every reason for the dxa_scan recommendation, as sentences (docs/model.md)."""
    reasons = []
    if ost_result and ost_result["category"] == "high":
        reasons.append(DXA_REASONS["ost"])
    if qf and max(qf["osteoporotic"], qf["hip"]) >= DXA_QFRACTURE:
        if qf["osteoporotic"] >= DXA_QFRACTURE:
            reasons.append(DXA_REASONS["qfracture"].format(outcome=QFRACTURE_OUTCOMES["osteoporotic"],
                                                           dxa=DXA_PERCENT))
        else:
            reasons.append(DXA_REASONS["qfracture_hip"].format(dxa=DXA_PERCENT))
    for key in ("corticosteroids", "cancer_hormone_therapy"):
        if values[key]:
            reasons.append(DXA_REASONS[key])
    return reasons


# --- recommendations, most important first; each follows from findings or a guideline

RECOMMENDATIONS = (  # (code, the finding codes or triggers that give it, text)
    ("fracture_risk_assessment", ("nice",),
     "Ask your doctor (in the UK, your GP or practice nurse) for a fracture risk assessment. UK "
     "guidance (NICE CG146) suggests considering one for {nice}.{us}"),
    ("fracture_followup", ("followup",), "{followup}"),
    ("dxa_scan", ("dxa",),
     "Ask your doctor whether a bone density (DXA) scan is right for you. {dxa} DXA is the "
     "standard test for bone density: quick, painless and a very low dose of X-rays."),
    ("vitamin_d_check", ("vitamin_d_toxic",),
     "If your vitamin D really is above 150 ng/mL (375 nmol/L), talk to your doctor soon, and "
     "mention every vitamin D product you take, prescribed or bought."),
    ("crp_prompt", ("crp_very_high",),
     "Contact a doctor promptly about a CRP of 50 mg/L or more, unless it has already been "
     "discussed with you."),
    ("steroid_bone_protection", ("corticosteroids",),
     "Ask your doctor how to protect your bones while you take steroid tablets. Do not change "
     "your steroid dose without talking to your doctor: stopping suddenly can be dangerous."),
    ("falls_prevention", ("falls",),
     "Ask your doctor for a falls check: balance, eyesight, blood pressure, medicines that cause "
     "dizziness, and hazards at home. In people aged 60 and over, exercise programmes with "
     "balance and functional training cut falls by about a quarter."),
    ("condition_bone_health", ("inflammatory_condition",),
     "Ask the team that treats your condition about your bones. Keeping the inflammation under "
     "control protects bone too."),
    ("inflammation_review", ("rankl_raised", "tnf_alpha_raised", "il6_raised", "crp_raised"),
     "Ask the doctor who ordered your blood tests, or your own doctor, what your raised {raised} "
     "{means} for you."),
    ("crp_repeat", ("crp_acute", "crp_very_high"),
     "Your doctor may want to measure CRP again once you have been well for a few weeks; if it is "
     "still 10 mg/L or more, they will want to find out why."),
    ("vitamin_d_treatment", ("vitamin_d_deficient",),
     "Talk to your doctor about your vitamin D result. Levels this low are usually treated with a "
     "course chosen by a doctor and then checked again."),
    ("vitamin_d_supplement", ("vitamin_d_low",),
     "Ask a pharmacist or doctor whether a vitamin D supplement suits you. UK advice is 10 "
     "micrograms (400 IU) a day for everyone in autumn and winter, when sunlight is too weak to "
     "make enough in the skin. The US recommended amount is 600 IU (15 micrograms) a day, and "
     "800 IU (20 micrograms) over 70."),
    ("vitamin_d_review", ("vitamin_d_high",),
     "Review your vitamin D with a pharmacist or doctor: your level is higher than bone needs. "
     "Mention every vitamin D product you take, prescribed or bought."),
    ("stop_smoking", ("smoking",),
     "Stopping smoking slows bone loss at any age. A stop-smoking service or your doctor can help; "
     "support and medicines make quitting much more likely."),
    ("reduce_alcohol", ("alcohol",),
     "Cut down to 14 UK units a week or less (about 8 US drinks), spread over three or more days. "
     "This helps bone and lowers the chance of a fall."),
    ("reduce_alcohol", ("heavy_alcohol",),
     "Cut down to 14 UK units a week or less (about 8 US drinks). If you drink this much every "
     "day, do not stop suddenly on your own, because withdrawal can be dangerous: your doctor or "
     "a local alcohol service can help you cut down safely."),
    ("exercise", ("no_exercise", "low_exercise", "some_exercise"),
     "Build up towards the WHO's general target of 150 minutes a week of moderate activity, "
     "including weight-bearing activity such as brisk walking, dancing or stairs, and "
     "muscle-strengthening on 2 or more days.{fracture_caution}{falls_caution}"),
    ("healthy_weight", ("low_bmi",),
     "Talk to your doctor about your low weight. Regular meals with enough protein, calcium and "
     "energy help bone."),
    ("healthy_weight", ("high_bmi",),
     "If you plan to lose weight, do it gradually and stay active while you do: fast weight loss "
     "without exercise also thins bone."),
    ("bone_basics", ("always",),
     "For everyone: calcium from food (dairy, fortified plant milks, tinned (canned) fish with bones, "
     "leafy greens), enough protein, regular activity, and not smoking."),
)
GUIDELINE_STEPS = ("fracture_risk_assessment", "fracture_followup", "dxa_scan")  # first, in this order
assert tuple(code for code, _, _ in RECOMMENDATIONS[:3]) == GUIDELINE_STEPS


def _fields_of(text):
    """(the names of the fields a text fills, a function picking their values from a context)."""
    names = tuple(name for _, name, _, _ in Formatter().parse(text) if name)
    return names, (itemgetter(*names) if names else None)


# (code, needs, text, the names of the fields it fills, their getter); most texts fill none
_RECOMMENDATIONS = tuple((code, needs, text, *_fields_of(text)) for code, needs, text in RECOMMENDATIONS)


@lru_cache(maxsize=None)  # every field is one of a few sentences, so the texts are a small fixed set
def _filled(text, names, fields):
    """text with its fields filled; `fields` is their getter's result (one value, or a tuple)."""
    return text.format(**dict(zip(names, fields if len(names) > 1 else (fields,))))


_RAISED = tuple((f"{k}_raised", FIELDS_BY_KEY[k].label) for k in MARKERS)  # (finding code, marker label)


def recommendations(values, found, nice, followup, dxa):
    triggers = {item["code"] for item in found} | {"always"}
    if nice:
        triggers.add("nice")
    if followup:
        triggers.add("followup")
    if dxa:
        triggers.add("dxa")
    if values["falls"]:  # not a factor of the score, but QFracture counts it and it has advice
        triggers.add("falls")
    raised = [label for code, label in _RAISED if code in triggers]
    if "crp_raised" in triggers:
        raised.append("CRP")
    age = values["age"]
    unsteady = values["falls"] or values["care_home"] or (age is not None and age >= 75)
    context = {
        "nice": nice, "us": us_guidance(values) if nice else "",
        "followup": FOLLOWUP_TEXTS.get(followup, ""), "dxa": " ".join(dxa),
        "raised": join_words(raised), "means": "means" if len(raised) == 1 else "mean",
        "fracture_caution": (" As you have had a fracture, ask a physiotherapist which exercises "
                             "suit you." if values["prior_fracture"] else ""),
        "falls_caution": (" Start with balance and strength exercises, ideally guided by a "
                          "physiotherapist or a falls service, and build up safely."
                          if unsteady and not values["prior_fracture"] else ""),
    }
    recs, seen = [], set()
    for code, needs, text, names, pick in _RECOMMENDATIONS:
        if code not in seen and not triggers.isdisjoint(needs):
            seen.add(code)
            recs.append({"code": code, "text": _filled(text, names, pick(context)) if names else text})
    return recs


# --- notes

OST_WHY_NOT = {
    "no_sex": "OST needs your sex, because its cut-offs differ for women and men.",
    "no_age": "OST needs your age.",
    "under_45": f"OST is not shown under {ost_tool.MIN_AGE}: it was developed in older adults, and "
                "this calculator uses it from that age.",
    "no_weight": "OST needs your weight.",
}
QFRACTURE_WHY_NOT = {
    "no_sex": "QFracture needs your sex: it has separate equations for women and men.",
    "no_age": "QFracture needs your age.",
    "age_out_of_range": f"QFracture is not shown because it was developed for ages {qf_tool.MIN_AGE} "
                        f"to {qf_tool.MAX_AGE}, and a result outside that range would not be reliable.",
    "no_bmi": "QFracture needs your height and weight, to work out your BMI.",
    "bmi_out_of_range": "QFracture is not shown because your BMI of {bmi} is outside "
                        f"{qf_tool.MIN_BMI} to {qf_tool.MAX_BMI}, the range ClinRisk's QFracture-2012 code accepts.",
}
LOW_BMI_QFRACTURE = (" A low body weight itself raises fracture risk, so OST and a doctor's "
                     "assessment matter more for you.")

EXACT_TEST = {
    "crp": "If you want an exact figure, a high-sensitivity CRP test (hs-CRP) measures low levels; "
           "you do not need one for this calculator.",
    "vitamin_d": "Ask the lab or your doctor for the exact value.",
}


def _imprecise_note(key, reading, values):
    f = FIELDS_BY_KEY[key]
    op = reading[0]
    certain = f"Your {f.label} result is {_lab_value(key, values)}"  # the bound, named as the findings name it
    if key in MARKERS:
        lo, hi = (0.0, reading[1]) if op == "<" else (reading[1], reading[2])
        limit = _limit_phrase(key, values)
        if lo >= 1:
            certain += f", so it is above {limit}"
        elif hi <= 1:
            certain += f", so it is within {limit}"
    test = EXACT_TEST.get(key, "Ask the lab for the exact value from the same sample; a new test "
                               "is not needed.")
    return {"code": f"imprecise_{key}",
            "text": f"{certain}, but that range spans more than one band of the score, so it "
                    f"scores 0 points here. {test}"}


def _in_sentence(label):
    """'Steroid tablets' -> 'steroid tablets'; 'RANKL', 'IL-6' and 'CRP' stay as they are."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


_IN_SENTENCE = {f.key: _in_sentence(f.label) for f in FACTORS}  # each factor's label, as in a sentence
_LAB_LABELS = frozenset(_IN_SENTENCE[key] for key in _LAB_UNITS)  # the blood tests, as not_answered names them


QFRACTURE_LIMIT_PARTS = {  # qfracture_limits: one sentence for each that applies, in this order
    "corticosteroids": "It counts steroid tablets as yes or no, not the dose, and fracture risk "
                       "rises with the dose (ACR 2022, NOGG 2022).",
    "prior_fracture": "The risk of another fracture is highest in the first years after one, and "
                      "QFracture cannot see when yours was (NOGG 2022; Johansson 2017).",
    "no_term": "Its equations have no term for {things}.",
    "old_age": "At 80 and over, NICE (CG146) advises caution, because a 10-year figure can "
               "understate the risk in the next few years.",
}
# The sentence for what the equations have no term for, by (early menopause, cancer hormone therapy)
_NO_TERM = {(True, False): "an early menopause",
            (False, True): "aromatase inhibitors or androgen deprivation therapy",
            (True, True): "an early menopause or aromatase inhibitors or androgen deprivation therapy"}
_NO_TERM = {both: QFRACTURE_LIMIT_PARTS["no_term"].format(things=things) for both, things in _NO_TERM.items()}


def _qfracture_limits(values):
    """What QFracture-2012 cannot see for this reader (docs/model.md, "Notes"), as one text, or ''."""
    parts = [QFRACTURE_LIMIT_PARTS[key] for key in ("corticosteroids", "prior_fracture") if values[key]]
    no_term = _NO_TERM.get((values["menopause"] == "early", bool(values["cancer_hormone_therapy"])))
    if no_term:
        parts.append(no_term)
    if values["age"] >= OLD_AGE:
        parts.append(QFRACTURE_LIMIT_PARTS["old_age"])
    if not parts:
        return ""
    return "QFracture-2012 may understate your risk. " + " ".join(parts)


def _below_every_scan_rule(values, qf, dxa):
    """validated_tools_lower's conditions, but the category: nothing says these tools can miss risk.

    No dxa reason means OST is not high, both QFracture risks are under 10%, and there are no
    steroid tablets and no cancer hormone therapy (dxa_reasons); the rest are QFracture's limits."""
    return (qf is not None and not dxa
            and not (values["prior_fracture"] or values["menopause"] == "early" or values["age"] >= OLD_AGE))


def notes(values, scores, category, bmi, bmi_shown, ost_result, qf, dxa):
    out = []

    def add(code, text):
        out.append({"code": code, "text": text})

    add("educational_score",
        "The inflammation and bone health score is an educational summary, not a validated test "
        "or a diagnosis, and a low or moderate score does not mean your bones are healthy. OST "
        "and QFracture are validated screening tools; only a health professional can interpret "
        "them for you.")
    tools_high = bool(ost_result and ost_result["category"] == "high") or bool(
        qf and max(qf["osteoporotic"], qf["hip"]) >= DXA_QFRACTURE)
    if category in ("low", "moderate") and tools_high:
        add("validated_tools_higher",
            "The validated tools put your fracture risk higher than this educational score does. "
            "For fracture risk, go by them and by the guideline next steps, not by this score.")
    if category in ("high", "very_high") and _below_every_scan_rule(values, qf, dxa):
        add("validated_tools_lower",
            "This educational score is higher than OST and QFracture suggest, because it also "
            "counts things they do not: blood markers of inflammation, vitamin D and exercise. The score has not been "
            "tested against real fractures, and the validated tools' lower figures do not mean "
            "your bones are fine: if you are concerned, talk to your doctor.")
    if qf:
        limits = _qfracture_limits(values)
        if limits:
            add("qfracture_limits", limits)
        if qf["hip"] >= qf["osteoporotic"]:
            add("qfracture_hip_higher",
                "Your hip fracture figure is as high as, or higher than, the figure for any of "
                "those fractures. That is not a mistake: QFracture works the two out with separate "
                "equations. As a broken hip is one of them, your risk of any of those fractures "
                "is at least the hip figure.")

    for key, reading in scores.imprecise.items():
        out.append(_imprecise_note(key, reading, values))

    missing = [_IN_SENTENCE[k] for k, answered in scores.answered.items() if answered is False]
    if missing:
        blood = "" if _LAB_LABELS.isdisjoint(missing) else " The blood tests are optional: you do not need them."
        add("not_answered", f"Not answered, so not counted in the score: {join_words(missing)}.{blood}")

    defaults = [FIELDS_BY_KEY[k].label for k in MARKERS
                if values[k] is not None and k + "_upper" not in values["_entered"]]
    if defaults:
        add("default_limits",
            f"{join_words(defaults)} {'was' if len(defaults) == 1 else 'were'} compared with the "
            "default upper limit chosen by this calculator (there is no agreed normal range for "
            "these tests). If your lab report gives an upper limit, enter it under "
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

