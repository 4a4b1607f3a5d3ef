"""python -m calc: JSON in (file, stdin or flags), JSON out; exit 2 and a message on bad input.

Never a traceback: every hostile input below must end with a one-line message.
"""

import json
import subprocess
import sys

import pytest

import calc


def run(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "calc", *args], input=stdin,
                          capture_output=True, timeout=60)


def ok(done):
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_json_from_stdin_and_dash():
    text = b'{"age": 67, "sex": "female", "vitamin_d": "12,5", "vitamin_d_unit": "ng/mL"}'
    expected = calc.assess(json.loads(text))
    assert ok(run(stdin=text)) == json.loads(json.dumps(expected))
    assert ok(run("-", stdin=text)) == json.loads(json.dumps(expected))


def test_json_from_a_file(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"age": 50, "crp": 4, "crp_unit": "mg/L"}')
    assert ok(run(str(path)))["points"]["crp"] == 6


def test_flags_are_the_fields_with_dashes():
    done = run("--age", "72", "--sex=male", "--vitamin-d", "18", "--vitamin-d-unit", "ng/mL",
               "--prior-fracture", "yes", "--height", "5 ft 9", "--height-unit", "ft_in")
    assert ok(done) == json.loads(json.dumps(calc.assess(
        {"age": "72", "sex": "male", "vitamin_d": "18", "vitamin_d_unit": "ng/mL",
         "prior_fracture": "yes", "height": "5 ft 9", "height_unit": "ft_in"})))


def test_help_lists_every_field_with_its_unit_range_and_help():
    done = run("--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.decode().split())
    for f in calc.FIELDS:
        assert f"--{f.key.replace('_', '-')}" in text, f.key
        assert " ".join(f.help.split())[:40] in text, f.key
    assert "0 to 400 ng/mL; 0 to 1000 nmol/L" in text
    assert "A bound such as <5" in text


def test_a_repeated_flag_is_an_error_not_last_wins():
    done = run("--age", "67", "--age", "76")
    assert done.returncode == 2
    assert b"--age was given more than once" in done.stderr
    assert b"Traceback" not in done.stderr


def test_bad_input_prints_field_messages_and_exits_2():
    done = run("--age", "12", "--sex", "robot")
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().strip().splitlines()
    assert lines[0].startswith("age: Age must") and "18 to 110" in lines[0]
    assert lines[1].startswith("sex: Sex must")


HOSTILE = {
    "not JSON": b"{age: 1}",
    "a JSON array": b"[1, 2]",
    "100,000-deep array": b"[" * 100_000 + b"]" * 100_000,
    "5,000-digit integer": b'{"age": ' + b"9" * 5000 + b"}",
    "not UTF-8": b'{"age": "\xff\xfe"}',
    "UTF-8 with a BOM": b'\xef\xbb\xbf{"age": 50}',
    "empty": b"",
    "an unknown flag's worth of text": b'"--age"',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gives_a_message_and_exit_2_never_a_traceback(name, tmp_path):
    path = tmp_path / "in.json"
    path.write_bytes(HOSTILE[name])
    for done in (run(str(path)), run(stdin=HOSTILE[name])):
        assert done.returncode == 2, name
        assert b"Traceback" not in done.stderr
        assert done.stderr.strip() and done.stdout == b""


def test_missing_file_and_missing_value_exit_2(tmp_path):
    for done in (run(str(tmp_path / "missing.json")), run("--age")):
        assert done.returncode == 2
        assert b"Traceback" not in done.stderr


def test_schema():
    assert ok(run("--schema")) == json.loads(json.dumps(calc.schema()))
