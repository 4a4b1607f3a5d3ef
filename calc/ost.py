"""B. The Osteoporosis Self-Assessment Tool (OST): weight and age only.

index = (weight in kg - age in years) / 5, truncated toward zero.
Women: the OSTA cut-offs of Koh et al. (2001). Men: Adler et al. (2003).
docs/model.md, "B", gives the sources and what each category means.
"""

MIN_AGE = 45  # our floor: Koh 2001 enrolled women from 45; Adler 2003 set no lower age (docs/model.md)

# population, and the highest index that is "high" and the lowest that is "low";
# "moderate" is everything in between (docs/model.md, "B").
CUTOFFS = {
    "female": ("women", -5, 0),   # high: index < -4; low: index > -1
    "male": ("men", -2, 4),       # high: index <= -2; low: index >= 4
}


def why_not(sex, age, weight_kg):
    """None if OST applies, else a code for why it does not."""
    if sex is None:
        return "no_sex"
    if age is None:
        return "no_age"
    if age < MIN_AGE:
        return "under_45"
    if weight_kg is None:
        return "no_weight"
    return None


def ost(sex, age, weight_kg):
    """{"index", "category", "population"}, or None when OST does not apply."""
    if why_not(sex, age, weight_kg):
        return None
    index = int((weight_kg - age) / 5)  # int() truncates toward zero
    population, highest_high, lowest_low = CUTOFFS[sex]
    if index <= highest_high:
        risk = "high"
    elif index >= lowest_low:
        risk = "low"
    else:
        risk = "moderate"
    return {"index": index, "category": risk, "population": population}
