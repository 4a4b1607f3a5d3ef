"""Findings, recommendations and notes: what the numbers mean, in plain words.

Every item has a stable `code` (for tests and other tools) and `text` for the
reader. Texts explain and suggest; they never diagnose.
"""

from .fields import FIELDS_BY_KEY
from .qfracture import MAX_AGE, MAX_BMI, MIN_AGE, MIN_BMI, why_not
from .ost import MIN_AGE as OST_MIN_AGE
from .score import CATEGORY_LABELS, FACTORS_BY_KEY
from .text import fmt

LEVEL_ORDER = {"alert": 0, "warning": 1, "info": 2}

# Thresholds the findings use beyond the score's own bands (MODEL.md).
VITAMIN_D_HIGH = 100  # ng/mL: above the usual range
VITAMIN_D_TOXIC = 150  # ng/mL: possible toxicity
CRP_ACUTE = 10  # mg/L: usually a passing infection or injury
# QFracture 10-year risks at which a bone density scan is worth discussing.
QFRACTURE_DXA_OSTEOPOROTIC = 10.0  # percent
QFRACTURE_DXA_HIP = 3.0  # percent

MARKERS = ("rankl", "tnf_alpha", "il6")


def _finding(code, level, text):
    return {"code": code, "level": level, "text": text}


def _vitamin_d_shown(values, ng_ml):
    if values["vitamin_d_unit"] == "nmol/L":
        return f"{fmt(values['vitamin_d'])} nmol/L (about {fmt(ng_ml, 1)} ng/mL)"
    return f"{fmt(ng_ml)} ng/mL"


def _crp_shown(values, mg_l):
    if values["crp_unit"] == "mg/dL":
        return f"{fmt(values['crp'])} mg/dL ({fmt(mg_l)} mg/L)"
    return f"{fmt(mg_l)} mg/L"


def _marker_finding(key, values, ratio, pts):
    f = FIELDS_BY_KEY[key]
    unit = f.units[0].name
    value, upper = values[key], values[key + "_upper"]
    times = f"{fmt(ratio, 1)} times" if ratio > 1.05 else "just over"
    level = "alert" if ratio > 4 else "warning"
    text = (f"Your {f.label} of {fmt(value)} {unit} is {times} the upper limit of "
            f"{fmt(upper)} {unit} (+{pts} points). ")
    if key == "rankl":
        text += ("More RANKL means more bone-resorbing cells. Inflammation, low oestrogen "
                 "and some medicines can all raise it.")
    else:
        text += (f"{f.label} is one of the messengers that link inflammation to bone loss. "
                 "A single raised value can follow a cold or a strenuous day, so it is "
                 "worth repeating before drawing conclusions.")
    return _finding(f"{key}_raised", level, text)


def _factor_finding(key, pts, values, measured):
    """The finding for a factor that scored points."""
    if key == "age":
        return _finding("age", "info",
                        f"At {values['age']}, age adds {pts} points. Everyone's bone thins "
                        "slowly with age; this is not something you are doing wrong.")
    if key == "menopause":
        if values["menopause"] == "early":
            return _finding("early_menopause", "warning",
                            f"Menopause before 45 adds {pts} points: bone has had more "
                            "years without oestrogen's protection.")
        return _finding("menopause", "info",
                        f"Menopause adds {pts} points. Bone loss is fastest in the first "
                        "5 to 10 years after periods stop, as oestrogen falls.")
    if key == "bmi":
        bmi = measured["bmi"]
        if bmi < 18.5:
            return _finding("low_bmi", "warning",
                            f"Your BMI of {fmt(bmi, 1)} is below 18.5 (+{pts} points). "
                            "A low body weight is linked to thinner bones and more fractures.")
        return _finding("high_bmi", "info",
                        f"Your BMI of {fmt(bmi, 1)} is 30 or more (+{pts} points). Extra "
                        "body fat does not protect bone as once thought, and it adds "
                        "low-grade inflammation.")
    if key == "smoking":
        return _finding("smoking", "warning",
                        f"Smoking adds {pts} points. It slows bone-building cells and "
                        "lowers oestrogen; the effect fades gradually after stopping.")
    if key == "alcohol":
        return _finding("alcohol", "warning",
                        f"Drinking 3 or more units a day adds {pts} points. It harms "
                        "bone-building cells and makes falls more likely.")
    if key == "corticosteroids":
        return _finding("corticosteroids", "warning",
                        f"Steroid tablets for 3 months or more add {pts} points. Bone loss "
                        "from steroids is fastest in the first months and is largely "
                        "preventable.")
    if key == "inflammatory_condition":
        names = [FIELDS_BY_KEY[k].label for k in ("ra_sle", "malabsorption") if values[k]]
        return _finding("inflammatory_condition", "warning",
                        f"{' and '.join(names)} adds {pts} points. Long-term inflammation "
                        "from these conditions, and sometimes their treatment, speeds "
                        "up bone loss.")
    if key == "prior_fracture":
        return _finding("prior_fracture", "alert",
                        f"A previous fracture adds {pts} points. After one fragility "
                        "fracture the chance of another is roughly doubled, most of all "
                        "in the following two years.")
    if key == "parent_history":
        return _finding("parent_history", "info",
                        f"A parent with osteoporosis or a broken hip adds {pts} points: "
                        "bone strength runs in families.")
    if key == "exercise":
        minutes = values["exercise_minutes"]
        if minutes == 0:
            return _finding("no_exercise", "warning",
                            f"No weight-bearing exercise adds {pts} points. Bone needs "
                            "regular load to stay strong.")
        return _finding("low_exercise", "info",
                        f"{fmt(minutes)} minutes a week of weight-bearing exercise is "
                        f"below the 150 that protects bone best (+{pts} points).")
    if key in MARKERS:
        return _marker_finding(key, values, measured[key], pts)
    if key == "vitamin_d":
        ng_ml = measured["vitamin_d"]
        shown = _vitamin_d_shown(values, ng_ml)
        if ng_ml < 12:
            return _finding("vitamin_d_deficient", "alert",
                            f"Your vitamin D of {shown} is very low (+{pts} points). At "
                            "this level bone cannot mineralise properly.")
        if ng_ml < 20:
            return _finding("vitamin_d_low", "warning",
                            f"Your vitamin D of {shown} is low (+{pts} points): too little "
                            "for your gut to absorb the calcium bone needs.")
        return _finding("vitamin_d_insufficient", "warning",
                        f"Your vitamin D of {shown} is a little below the 30 ng/mL "
                        f"(75 nmol/L) many bone specialists aim for (+{pts} points).")
    if key == "crp":
        mg_l = measured["crp"]
        shown = _crp_shown(values, mg_l)
        if mg_l >= CRP_ACUTE:
            return _finding("crp_very_high", "warning",
                             f"Your CRP of {shown} is 10 mg/L or more (+{pts} points). "
                             "This is usually a sign of a recent infection or injury "
                             "rather than slow, long-term inflammation.")
        if mg_l > 3:
            return _finding("crp_raised", "warning",
                            f"Your CRP of {shown} is above 3 mg/L (+{pts} points), a sign "
                            "of ongoing inflammation somewhere in the body.")
        return _finding("crp_borderline", "info",
                        f"Your CRP of {shown} is between 1 and 3 mg/L (+{pts} points): "
                        "mild inflammation, common and often linked to weight, smoking "
                        "or little exercise.")
    raise KeyError(key)  # every factor is handled above


def findings(values, measured, points):
    found = [_factor_finding(key, pts, values, measured)
             for key, pts in points.items() if pts]

    ng_ml = measured["vitamin_d"]
    if ng_ml is not None and ng_ml > VITAMIN_D_TOXIC:
        found.append(_finding("vitamin_d_toxic", "alert",
                              f"Your vitamin D of {_vitamin_d_shown(values, ng_ml)} is above "
                              "150 ng/mL, where it can raise blood calcium to harmful levels."))
    elif ng_ml is not None and ng_ml > VITAMIN_D_HIGH:
        found.append(_finding("vitamin_d_high", "warning",
                              f"Your vitamin D of {_vitamin_d_shown(values, ng_ml)} is above "
                              "the usual range (up to 100 ng/mL). More does not help bone."))

    for key in MARKERS + ("vitamin_d", "crp"):
        f = FIELDS_BY_KEY[key]
        unit = f.units[0]
        x = measured[key] if key in ("vitamin_d", "crp") else values[key]
        low = unit.reference[0]
        if x is not None and x < low:
            if key in ("vitamin_d", "crp"):
                continue  # low vitamin D scores points above; low CRP is good news
            found.append(_finding(f"{key}_below_range", "info",
                                  f"Your {f.label} of {fmt(x)} {unit.name} is below the usual "
                                  f"range of {fmt(low)} to {fmt(unit.reference[1])} {unit.name}. "
                                  "Low levels are not a known risk to bone. If the number "
                                  "looks unexpected, check it was entered in "
                                  f"{unit.name}."))

    found.sort(key=lambda item: LEVEL_ORDER[item["level"]])  # stable: factor order within a level
    return found


def _dxa_reasons(category, ost_result, qf):
    reasons = []
    if category in ("high", "very_high"):
        reasons.append(f"your score is {CATEGORY_LABELS[category].lower()}")
    if ost_result and ost_result["category"] == "high":
        reasons.append("your OST index is in the high-risk range")
    if qf and (qf["osteoporotic"] >= QFRACTURE_DXA_OSTEOPOROTIC or qf["hip"] >= QFRACTURE_DXA_HIP):
        reasons.append("your QFracture risk is raised")
    return reasons


def recommendations(values, measured, points, category, ost_result, qf):
    recs = []

    def add(code, text):
        recs.append({"code": code, "text": text})

    ng_ml, mg_l = measured["vitamin_d"], measured["crp"]
    if ng_ml is not None and ng_ml > VITAMIN_D_TOXIC:
        add("vitamin_d_toxicity",
            "See a doctor soon about your vitamin D level and stop any vitamin D supplements "
            "until you have. Very high levels can raise blood calcium, which causes thirst, "
            "nausea and confusion and can harm the kidneys.")
    if values["prior_fracture"]:
        add("fracture_review",
            "Make sure your doctor knows about your previous fracture. A bone broken in a "
            "minor fall from the age of 50 is a reason to check for osteoporosis, and "
            "treatment lowers the chance of another.")
    reasons = _dxa_reasons(category, ost_result, qf)
    if reasons:
        add("dxa_scan",
            f"Ask your doctor whether a bone density (DXA) scan is right for you, because "
            f"{' and '.join(reasons)}. The scan is quick and painless, and it is the only "
            "way to measure bone density.")
    if values["corticosteroids"]:
        add("steroid_bone_protection",
            "Ask your doctor about protecting your bones while on steroid tablets; bone "
            "protection is often advised from 3 months of use. Do not stop steroids "
            "suddenly on your own.")
    if values["falls"]:
        add("falls_prevention",
            "Ask your doctor for a falls check: balance, eyesight, blood pressure, medicines "
            "that cause dizziness, and hazards at home. Strength and balance exercise cuts "
            "falls by about a quarter.")
    if points["inflammatory_condition"]:
        add("condition_bone_health",
            "Ask the team that treats your condition about your bones. Keeping the "
            "inflammation under control protects bone too.")
    raised = [FIELDS_BY_KEY[k].label for k in MARKERS if points[k]]
    if mg_l is not None and 3 < mg_l < CRP_ACUTE:
        raised.append("CRP")
    if raised:
        add("inflammation_review",
            f"Discuss your raised {', '.join(raised)} with your doctor, who can look for a "
            "cause and decide whether a repeat test is needed.")
    if mg_l is not None and mg_l >= CRP_ACUTE:
        add("crp_repeat",
            "Have CRP measured again when you have been well for a few weeks. If it is "
            "still 10 mg/L or more, your doctor will want to find out why.")
    if ng_ml is not None and ng_ml < 12:
        add("vitamin_d_treatment",
            "See your doctor about your very low vitamin D. Levels this low usually need a "
            "treatment course and a repeat test, not just a daily supplement.")
    elif points["vitamin_d"]:
        add("vitamin_d_supplement",
            "Ask a pharmacist or doctor about a vitamin D supplement, especially from "
            "October to March when sunlight is too weak to make it in the skin.")
    if ng_ml is not None and VITAMIN_D_HIGH < ng_ml <= VITAMIN_D_TOXIC:
        add("vitamin_d_review",
            "Review your vitamin D supplements with a pharmacist or doctor. Your level is "
            "higher than bone needs.")
    if points["smoking"]:
        add("stop_smoking",
            "Stopping smoking slows bone loss at any age. A stop-smoking service or your "
            "doctor can help; support and medicines make quitting much more likely.")
    if points["alcohol"]:
        add("reduce_alcohol",
            "Cut down to 14 units a week or less, spread over three or more days. This "
            "helps bone and lowers the chance of a fall.")
    if points["exercise"]:
        caution = (" As you have had a fracture, ask a physiotherapist which exercises "
                   "are safe for you." if values["prior_fracture"] else "")
        add("exercise",
            "Build up to 150 minutes a week of weight-bearing activity, such as brisk "
            "walking, dancing or stair climbing, plus muscle-strengthening exercise "
            "twice a week." + caution)
    if points["bmi"]:
        if measured["bmi"] < 18.5:
            add("healthy_weight",
                "Talk to your doctor about your low weight. Regular meals with enough "
                "protein, calcium and energy help bone.")
        else:
            add("healthy_weight",
                "If you plan to lose weight, do it gradually and keep active while you do: "
                "fast weight loss without exercise also thins bone.")
    add("bone_basics",
        "For everyone: calcium from food (dairy, fortified plant milks, tinned fish with "
        "bones, leafy greens), enough protein, regular activity, and not smoking.")
    return recs


def _default_label(key):
    f = FIELDS_BY_KEY[key]
    return dict(f.choices)[f.default].lower()


def _join(names):
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def notes(values, measured, ost_result, qf):
    out = []

    def add(code, text):
        out.append({"code": code, "text": text})

    add("educational_score",
        "The inflammation and bone health score is an educational summary, not a "
        "diagnosis. OST and QFracture are validated screening tools; only a health "
        "professional can interpret them for you.")

    missing = [FACTORS_BY_KEY[k].label for k, x in measured.items() if x is None]
    if missing:
        add("not_entered",
            f"Not entered, so counted as 0 points: {_join(missing)}.")

    defaults = [FIELDS_BY_KEY[k].label for k in MARKERS
                if values[k] is not None and k + "_upper" not in values["_entered"]]
    if defaults:
        add("default_limits",
            f"{_join(defaults)} {'was' if len(defaults) == 1 else 'were'} compared with "
            "the usual upper limit. If your lab report gives a different one, enter it "
            "under \u201cYour lab's own reference limits\u201d.")

    if ost_result is None:
        if values["sex"] is None:
            add("ost_no_sex", "OST needs your sex, because its cut-offs differ for women and men.")
        elif values["age"] is None:
            add("ost_no_age", "OST needs your age.")
        elif values["age"] < OST_MIN_AGE:
            add("ost_under_45",
                f"OST is not shown because it was developed for people aged "
                f"{OST_MIN_AGE} and over.")
        else:
            add("ost_no_weight", "OST needs your weight.")

    reason = why_not(values["sex"], values["age"], measured["bmi"])
    if reason == "no_sex":
        add("qfracture_no_sex", "QFracture needs your sex: it has separate equations for women and men.")
    elif reason == "no_age":
        add("qfracture_no_age", "QFracture needs your age.")
    elif reason == "age_out_of_range":
        add("qfracture_age_out_of_range",
            f"QFracture is not shown because it was developed for ages {MIN_AGE} to "
            f"{MAX_AGE}, and a result outside that range would not be reliable.")
    elif reason == "no_bmi":
        add("qfracture_no_bmi", "QFracture needs your height and weight to work out your BMI.")
    elif reason == "bmi_out_of_range":
        add("qfracture_bmi_out_of_range",
            f"QFracture is not shown because your BMI of {fmt(measured['bmi'], 1)} is "
            f"outside {MIN_BMI} to {MAX_BMI}, the range it was developed on.")
    else:
        assumed = [k for k in ("ethnicity", "smoking", "alcohol") if k not in values["_entered"]]
        if assumed:
            add("qfracture_assumed",
                "QFracture counted what you left blank as: "
                + "; ".join(f"{FIELDS_BY_KEY[k].label.lower()}: {_default_label(k)}"
                            for k in assumed) + ".")
    return out
