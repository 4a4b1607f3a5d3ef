"""python -m calc: JSON in (file, stdin or flags), JSON out; exit 2 on bad input."""

import json
import subprocess
import sys

import calc


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "calc", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_json_from_stdin():
    done = run(stdin='{"age": 67, "sex": "female", "vitamin_d": "12,5"}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == calc.assess({"age": 67, "sex": "female", "vitamin_d": "12,5"})


def test_json_from_a_file(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"age": 50, "crp": 4}')
    done = run(str(path))
    assert done.returncode == 0
    assert json.loads(done.stdout)["points"]["crp"] == 6


def test_flags_with_dashes_or_underscores():
    done = run("--age", "72", "--sex=male", "--vitamin-d", "18", "--prior_fracture", "yes")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == calc.assess(
        {"age": "72", "sex": "male", "vitamin_d": "18", "prior_fracture": "yes"})


def test_bad_input_prints_field_messages_and_exits_2():
    done = run("--age", "12", "--sex", "robot")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("age: Age must") and "18 to 110" in lines[0]
    assert lines[1].startswith("sex: Sex must")


def test_not_json_and_missing_file_exit_2(tmp_path):
    assert run(stdin="{age: 1}").returncode == 2
    assert run(str(tmp_path / "missing.json")).returncode == 2
    assert run("--age").returncode == 2
    assert run(stdin="[1, 2]").returncode == 2


def test_schema():
    done = run("--schema")
    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(json.dumps(calc.schema()))
