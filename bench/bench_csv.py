"""Batch mode's rows a second (python -m calc --csv), beside calc.assess on the same rows.

A benchmark, not a test: it prints figures and asserts nothing. Target: 5,000
rows a second or more on one core, for 100,000 rows of a typical full input
(bench_calc's TYPICAL, at ages 30 to 99 and weights 50.0 to 79.9 kg).

The CSV figure is the batch mode as the command runs it (calc.batch.run and
calc.batch.csv_writer): read from a file, one row flushed at a time to
/dev/null. The assess figure is calc.assess on the same 100,000 inputs, built
as dicts a block at a time, timed in blocks of 1,000 between the batch mode's blocks
(see time_both); the difference between the two is the CSV plumbing's cost a
row. Times are CPU seconds of this process, so other work on a shared machine
counts little (see bench_calc.py), though a busy machine slows both.

    .venv/bin/python -m bench.bench_csv [--rows 100000]
    make bench          (bench_calc.py runs this at its end)
"""

import argparse
import csv
import itertools
import os
import tempfile
import time
from pathlib import Path

import calc
from bench.bench_calc import TYPICAL
from calc import batch

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


def time_both(path, inputs, block=1_000):
    """CPU seconds of (calc.assess on the iterable `inputs`, the batch mode on the file at `path`).

    Interleaved: after every `block` rows the batch mode writes, its clock stops
    and assess runs on the next `block` inputs, so both see the same load on a
    shared machine (one after the other, a change in load between the two halves
    made the difference between them meaningless).
    """
    upcoming = iter(inputs)
    assess_seconds = 0.0
    paused = 0.0  # all the time spent in assess_block, kept out of the batch mode's figure
    written = 0

    def assess_block():
        nonlocal assess_seconds, paused
        pause = CLOCK()
        # made here, a block at a time, not all beforehand: 100,000 dicts held at once
        # would make each of Python's full garbage collections (the batch mode's too) slower
        chunk = list(itertools.islice(upcoming, block))
        start = CLOCK()
        for one in chunk:
            try:
                calc.assess(one)
            except calc.ValidationError:
                pass
        end = CLOCK()
        assess_seconds += end - start
        paused += end - pause

    with open(path, "rb") as source, open(os.devnull, "wb") as sink:
        writerow = batch.csv_writer(sink).writerow

        def write(row):
            nonlocal written
            writerow(row)
            written += 1
            if written % block == 0:
                assess_block()

        start = CLOCK()
        counts = batch.run(source, write)
        total = CLOCK() - start
    csv_seconds = total - paused
    assess_block()  # the last, partial block
    return assess_seconds, csv_seconds, counts


def time_plumbing(path):
    """CPU seconds of the batch mode on `path` with assess's answer stored: the CSV work alone.

    Every row gets the typical input's result (formatted afresh each time), so
    this times reading, decoding, splitting, the row's dict, the result's cells
    and writing, without the scoring. Steadier on a busy machine than the
    difference of the two figures above, which each carry that machine's noise.
    """
    stored = calc.assess(dict(TYPICAL))
    real, batch.assess = batch.assess, lambda inputs: stored
    try:
        with open(path, "rb") as source, open(os.devnull, "wb") as sink:
            start = CLOCK()
            batch.run(source, batch.csv_writer(sink).writerow)
            return CLOCK() - start
    finally:
        batch.assess = real


def report(count=100_000):
    """Print the CSV and assess figures for `count` rows."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        write_csv(path, count)
        assess_seconds, csv_seconds, (scored, bad) = time_both(path, rows(count))
        plumbing_seconds = time_plumbing(path)
        size = path.stat().st_size
    assert scored == count and bad == 0, (scored, bad)  # a bench of errors would measure the wrong thing
    per_assess, per_row = assess_seconds / count, csv_seconds / count
    print(f"\nbatch mode on {count:,} rows ({size / 1e6:.1f} MB of CSV), one core, interleaved "
          "in blocks of 1,000")
    print(f"{'':45} {'per s':>10} {'us each':>10}")
    print(f"{'calc.assess on the same inputs (dicts)':45} {1 / per_assess:10,.0f} {per_assess * 1e6:10.1f}")
    print(f"{'python -m calc --csv (read, score, write)':45} {1 / per_row:10,.0f} {per_row * 1e6:10.1f}")
    print(f"difference, the CSV plumbing: {(per_row - per_assess) * 1e6:.1f} us a row "
          f"({(per_row / per_assess - 1) * 100:.0f}% on top of assess)")
    print(f"the CSV plumbing alone (assess's answer stored): {plumbing_seconds / count * 1e6:.1f} us a row")
    print("target: 5,000 CSV rows/s or more")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    report(parser.parse_args().rows)


if __name__ == "__main__":
    main()
