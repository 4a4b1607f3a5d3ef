"""B. The Osteoporosis Self-Assessment Tool (OST): weight and age only.

index = (weight in kg - age in years) / 5, truncated toward zero.
Women: the OSTA cut-offs of Koh et al. (2001). Men: Adler et al. (2003).
"""

MIN_AGE = 45  # both studies enrolled people of 45 and over

# (population, high if index below, low if index above); moderate in between, inclusive
CUTOFFS = {
    "female": ("women", -4, -1),
    "male": ("men", -1, 4),
}


def ost(sex, age, weight_kg):
    """{"index", "category", "population"}, or None when OST does not apply."""
    if sex is None or age is None or weight_kg is None or age < MIN_AGE:
        return None
    index = int((weight_kg - age) / 5)  # int() truncates toward zero
    population, high_below, low_above = CUTOFFS[sex]
    if index < high_below:
        risk = "high"
    elif index > low_above:
        risk = "low"
    else:
        risk = "moderate"
    return {"index": index, "category": risk, "population": population}
