"""How many calc.assess() calls per second CPython manages on one core.

A benchmark, not a test: it prints figures and asserts nothing. Target: 10,000/s
or more for a typical full input set (model v2's assess also recomputes each
"what if" change, so it does more work than v1's 20,000/s target measured).

Times are the process's CPU time (time.process_time), not wall-clock time, so
that other work on a shared machine (browser tests, say) does not count as
calc's; they still vary a little with that load.

The second typical row gives assess a different input on every call (the age
changes each call, the weight every 60 calls: 6,000 inputs, none repeated
within a round), so its figure cannot come from remembering earlier calls.

    make bench          (or: .venv/bin/python -m bench.bench_calc)

It ends with bench_csv.py's figures: the batch mode's CSV rows a second on
100,000 rows beside calc.assess on the same inputs (--csv-rows 0 skips them).

To compare with another copy of the package in the same run (timings on a
shared machine are noisy, so only side-by-side ratios mean much):

    mkdir -p /tmp/before && git archive main calc | tar -x -C /tmp/before
    .venv/bin/python -m bench.bench_calc --against /tmp/before
"""

import argparse
import importlib.util
import itertools
import statistics
import sys
import time
from pathlib import Path

import calc

TYPICAL = {
    "age": "67", "sex": "female", "menopause": "yes", "height": "162", "height_unit": "cm",
    "weight": "61,5", "weight_unit": "kg", "ethnicity": "white", "smoking": "light",
    "alcohol": "3to6", "exercise_minutes": "90", "rankl": "12", "rankl_unit": "ng/mL",
    "tnf_alpha": "3.1", "il6": "6.2", "vitamin_d": "48", "vitamin_d_unit": "nmol/L",
    "crp": "<5", "crp_unit": "mg/L", "prior_fracture": "yes", "falls": "no", "corticosteroids": "no",
}
# The typical input at ages 40 to 99 (changing fastest) and weights 55.0 to 64.9 kg.
TYPICAL_VARIED = [dict(TYPICAL, age=str(age), weight=f"{55 + tenths / 10:.1f}")
                  for tenths in range(100) for age in range(40, 100)]

INPUTS = {  # name: the inputs of successive calls, used in turn
    "empty form": [{}],
    "typical (strings, as the page sends them)": [TYPICAL],
    "typical, a different age each call": TYPICAL_VARIED,
    "imperial (ft_in, st_lb; all four what-ifs)": [{
        "age": "72", "sex": "male", "height": "5 ft 9", "height_unit": "ft_in", "weight": "11 st 4",
        "weight_unit": "st_lb", "smoking": "heavy", "alcohol": "7to9", "exercise_minutes": "30",
        "vitamin_d": "18", "vitamin_d_unit": "ng/mL",
    }],
    "invalid (three errors)": [{"age": "12", "sex": "x", "weight": "heavy"}],
}


CLOCK = time.process_time  # CPU seconds of this process: one core's work, whatever else runs


def caller(package, variants):
    """A function that makes the next call of `package.assess` on `variants`, in turn."""
    stream = itertools.cycle(variants)

    def call():
        try:
            package.assess(next(stream))
        except package.ValidationError:
            pass
    return call


def round_size(call, seconds):
    """The number of calls that take about `seconds`."""
    n = 1
    while True:
        start = CLOCK()
        for _ in range(n):
            call()
        if CLOCK() - start > seconds:
            return n
        n *= 2


def rates(calls, rounds=5, seconds=1.0):
    """[(best, median) calls per second] for each call, over `rounds` interleaved rounds."""
    sizes = [round_size(call, seconds / rounds) for call in calls]
    seen = [[] for _ in calls]
    for _ in range(rounds):
        for call, n, out in zip(calls, sizes, seen):
            start = CLOCK()
            for _ in range(n):
                call()
            out.append(n / (CLOCK() - start))
    return [(max(r), statistics.median(r)) for r in seen]


def load_copy(folder):
    """The calc package found in `folder`, imported as calc_baseline (beside this calc)."""
    init = Path(folder) / "calc" / "__init__.py"
    spec = importlib.util.spec_from_file_location("calc_baseline", init,
                                                  submodule_search_locations=[str(init.parent)])
    package = importlib.util.module_from_spec(spec)
    sys.modules["calc_baseline"] = package
    spec.loader.exec_module(package)
    return package


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="FOLDER",
                        help="a folder holding another calc/ to time in the same run, interleaved")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="about how long each input is timed, all rounds together")
    parser.add_argument("--csv-rows", type=int, default=100_000,
                        help="rows for the batch mode's figure (bench_csv.py); 0 to skip it")
    args = parser.parse_args()
    print(f"calc.assess on CPython {sys.version.split()[0]}, one core")
    if not args.against:
        print(f"{'input':45} {'best/s':>10} {'median/s':>10} {'us/call':>8}")
        for name, variants in INPUTS.items():
            [(best, median)] = rates([caller(calc, variants)], args.rounds, args.seconds)
            print(f"{name:45} {best:10,.0f} {median:10,.0f} {1e6 / median:8.1f}")
    else:
        baseline = load_copy(args.against)
        print(f"baseline: {args.against}; best of {args.rounds} interleaved rounds")
        print(f"{'input':45} {'base us':>8} {'this us':>8} {'base/s':>8} {'this/s':>8} {'speed-up':>8}")
        for name, variants in INPUTS.items():
            (base, _), (this, _) = rates([caller(baseline, variants), caller(calc, variants)], args.rounds,
                                         args.seconds)
            print(f"{name:45} {1e6 / base:8.1f} {1e6 / this:8.1f} {base:8,.0f} {this:8,.0f} {this / base:7.2f}x")
    print("target: 10,000 calls/s or more for the typical input")
    if args.csv_rows:
        from bench import bench_csv  # here, not at the top: bench_csv imports TYPICAL from this file
        bench_csv.report(args.csv_rows)


if __name__ == "__main__":
    main()
