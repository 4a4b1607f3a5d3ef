"""Batch mode's rows a second (python -m calc --csv), beside calc.assess on the same rows.

A benchmark, not a test: it prints figures and asserts nothing. Target: 5,000
rows a second or more on one core, for 100,000 rows of a typical full input
(bench_calc's TYPICAL, at ages 30 to 99 and weights 50.0 to 79.9 kg).

The CSV figure is the batch mode as the command runs it (calc.batch.run and
calc.batch.csv_writer): read from a file, one row flushed at a time to
/dev/null. The assess figure is calc.assess on the same 100,000 inputs, built
as dicts beforehand, in the same run; the difference between the two is the
CSV plumbing's cost a row. Times are CPU seconds of this process, so other
work on a shared machine counts little (see bench_calc.py).

    .venv/bin/python bench/bench_csv.py [--rows 100000]
    make bench          (bench_calc.py runs this at its end)
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import calc  # noqa: E402
from bench_calc import TYPICAL  # noqa: E402
from calc import batch  # noqa: E402

CLOCK = time.process_time


def rows(count):
    """`count` typical full inputs; the age changes every row, the weight every 70 rows."""
    for n in range(count):
        yield dict(TYPICAL, age=str(30 + n % 70), weight=f"{50 + (n // 70) % 300 / 10:.1f}")


def write_csv(path, count):
    columns = list(TYPICAL)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for inputs in rows(count):
            writer.writerow([inputs[key] for key in columns])


def time_assess(inputs):
    start = CLOCK()
    for one in inputs:
        try:
            calc.assess(one)
        except calc.ValidationError:
            pass
    return CLOCK() - start


def time_csv(path):
    with open(path, "rb") as source, open(os.devnull, "wb") as sink:
        start = CLOCK()
        counts = batch.run(source, batch.csv_writer(sink).writerow)
        return CLOCK() - start, counts


def report(count=100_000):
    """Print the CSV and assess figures for `count` rows."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        write_csv(path, count)
        inputs = list(rows(count))
        assess_seconds = time_assess(inputs)
        del inputs
        csv_seconds, (scored, bad) = time_csv(path)
        size = path.stat().st_size
    assert scored == count and bad == 0, (scored, bad)  # a bench of errors would measure the wrong thing
    per_assess, per_row = assess_seconds / count, csv_seconds / count
    print(f"\nbatch mode on {count:,} rows ({size / 1e6:.1f} MB of CSV), one core, same run")
    print(f"{'':45} {'per s':>10} {'us each':>10}")
    print(f"{'calc.assess on the same inputs (dicts)':45} {1 / per_assess:10,.0f} {per_assess * 1e6:10.1f}")
    print(f"{'python -m calc --csv (read, score, write)':45} {1 / per_row:10,.0f} {per_row * 1e6:10.1f}")
    print(f"CSV plumbing: {(per_row - per_assess) * 1e6:.1f} us a row "
          f"({(per_row / per_assess - 1) * 100:.0f}% on top of assess)")
    print("target: 5,000 CSV rows/s or more")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    report(parser.parse_args().rows)


if __name__ == "__main__":
    main()
