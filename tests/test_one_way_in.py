"""One way in: the project's scripts, benchmarks and build run as modules from
the repository's root (python -m bench.bench_calc), never by putting their own
folders on sys.path; and the benchmarks `make bench` runs start and finish."""

import re
import subprocess
import sys

import build


def tracked_python_files():
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=build.ROOT, capture_output=True, text=True, check=True)
    return [build.ROOT / name for name in listed.stdout.split()]


def tracked_test_modules():
    tests = [path for path in tracked_python_files() if path.name.startswith("test_")]
    assert len(tests) > 20  # the listing found the project's tests
    return tests


def lines_matching(paths, pattern):
    """Each "path:line" of `paths` where `pattern` matches. (The patterns here, written
    as regular expressions, do not match their own text: this file is read too.)"""
    return [f"{path.relative_to(build.ROOT)}:{number}"
            for path in paths
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if re.search(pattern, line)]


def test_no_file_puts_a_folder_on_sys_path():
    files = tracked_python_files()
    assert any(path.name == "bench_csv.py" for path in files)  # the listing found the project's files
    assert lines_matching(files, r"sys\.path\.(insert|append)") == []


def run_module(*args):
    return subprocess.run([sys.executable, "-m", *args], cwd=build.ROOT, capture_output=True, text=True,
                          timeout=300)


def test_bench_calc_runs_to_its_end_with_the_batch_figures():
    # a few milliseconds an input: this checks that it runs, not how fast calc is
    done = run_module("bench.bench_calc", "--rounds", "1", "--seconds", "0.01", "--csv-rows", "30")
    assert done.returncode == 0, done.stderr
    assert "typical (strings, as the page sends them)" in done.stdout
    assert "target: 10,000 calls/s" in done.stdout
    assert "batch mode on 30 rows" in done.stdout and "target: 5,000 CSV rows/s" in done.stdout


def test_bench_csv_runs_on_its_own():
    done = run_module("bench.bench_csv", "--rows", "20")
    assert done.returncode == 0, done.stderr
    assert "batch mode on 20 rows" in done.stdout


def test_no_test_module_imports_another():
    # shared test code lives in helpers (tests/helpers.py, tests/browser/pagetools.py), so that
    # running one test file never runs another's module-level code or fixtures by accident
    importing = r"^\s*(from tests(\.browser)?\.test_\w+ import|import tests(\.browser)?\.test_)"
    assert lines_matching(tracked_test_modules(), importing) == []


def test_a_test_starts_node_only_through_the_node_fixture():
    # the fixture marks its users `node`, which `make unit` leaves out: a test that starts
    # Node itself would run, and fail, on a clone with Python alone
    assert lines_matching(tracked_test_modules(), r"""\[\s*["']node["']|which\(\s*["']node["']""") == []
