"""How many calc.assess() calls per second CPython manages on one core.

A benchmark, not a test: it prints figures and asserts nothing. Target: 10,000/s
or more for a typical full input set (model v2's assess also recomputes each
"what if" change, so it does more work than v1's 20,000/s target measured).

    make bench          (or: .venv/bin/python bench/bench_calc.py)
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import calc  # noqa: E402

INPUTS = {
    "empty form": {},
    "typical (strings, as the page sends them)": {
        "age": "67", "sex": "female", "menopause": "yes", "height": "162", "height_unit": "cm",
        "weight": "61,5", "weight_unit": "kg", "ethnicity": "white", "smoking": "light",
        "alcohol": "3to6", "exercise_minutes": "90", "rankl": "12", "rankl_unit": "ng/mL",
        "tnf_alpha": "3.1", "il6": "6.2", "vitamin_d": "48", "vitamin_d_unit": "nmol/L",
        "crp": "<5", "crp_unit": "mg/L", "prior_fracture": "yes", "falls": "no", "corticosteroids": "no",
    },
    "imperial (ft_in, st_lb; all four what-ifs)": {
        "age": "72", "sex": "male", "height": "5 ft 9", "height_unit": "ft_in", "weight": "11 st 4",
        "weight_unit": "st_lb", "smoking": "heavy", "alcohol": "7to9", "exercise_minutes": "30",
        "vitamin_d": "18", "vitamin_d_unit": "ng/mL",
    },
    "invalid (three errors)": {"age": "12", "sex": "x", "weight": "heavy"},
}


def rate(inputs, seconds=1.0):
    """Calls per second, best of 5 rounds of about `seconds` / 5 each."""
    def call():
        try:
            calc.assess(inputs)
        except calc.ValidationError:
            pass

    n = 1
    while True:  # size a round
        start = time.perf_counter()
        for _ in range(n):
            call()
        if time.perf_counter() - start > seconds / 5:
            break
        n *= 2
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            call()
        rounds.append(n / (time.perf_counter() - start))
    return max(rounds), statistics.median(rounds)


def main():
    print(f"calc.assess on CPython {sys.version.split()[0]}, one core")
    print(f"{'input':45} {'best/s':>10} {'median/s':>10} {'us/call':>8}")
    for name, inputs in INPUTS.items():
        best, median = rate(inputs)
        print(f"{name:45} {best:10,.0f} {median:10,.0f} {1e6 / median:8.1f}")
    print("target: 10,000 calls/s or more for the typical input")


if __name__ == "__main__":
    main()
