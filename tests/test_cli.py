"""python -m calc: JSON in (file, stdin or flags), JSON out; exit 2 and a message on bad input.

Never a traceback: every hostile input below must end with a one-line message.
"""

import csv
import errno
import io
import json
import signal
import subprocess
import sys
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import calc
from calc.__main__ import main


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


# --- hardening: issue 18 (each test below failed before its fix)

def run_shell(script, stdin=b""):
    """Run `script` in sh with "$0" as this Python, to use the shell's own redirections."""
    return subprocess.run(["sh", "-c", script, sys.executable], input=stdin,
                          capture_output=True, timeout=60)


@pytest.mark.parametrize("args", ["", "-", "--csv -"])
def test_a_closed_stdin_is_a_one_line_message_and_exit_2(args):
    done = run_shell(f'exec "$0" -m calc {args} <&-')
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    lines = done.stderr.decode().splitlines()
    assert lines == ["python -m calc: standard input is closed; give a file name, or field flags"]
    assert done.stdout == b""


def test_a_closed_stdout_is_an_error_not_a_lost_result():
    done = run_shell('exec "$0" -m calc --age 67 >&-')
    assert done.returncode == 2
    assert b"standard output is closed" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("text, key", [
    (b'{"age": 30, "age": 80}', "age"),
    (b'{"sex": "male", "age": 30, "crp": 2, "age": 30}', "age"),  # even the same value twice
    (b'{"age": 30, "vitamin_d": {"x": 1, "x": 2}}', "x"),         # and inside a nested object
])
def test_a_repeated_json_key_is_an_error_naming_it(text, key):
    done = run(stdin=text)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == (f'python -m calc: the JSON gives the key "{key}" more than once; '
                                    "give each field once\n")


def test_a_repeated_json_key_is_quoted_short():
    done = run(stdin=b'{"' + b"k" * 5000 + b'": 1, "' + b"k" * 5000 + b'": 2}')
    assert done.returncode == 2
    assert len(done.stderr) < 200 and b"more than once" in done.stderr


def test_distinct_keys_still_score():
    assert ok(run(stdin=b'{"age": 30, "sex": "male"}'))["points"]["age"] == 0


class FailingStream(io.RawIOBase):
    """A byte stream whose every read fails, as a lost network drive's would."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise OSError(errno.EIO, "Input/output error")


@pytest.mark.parametrize("argv, message", [
    ([], "cannot read standard input: Input/output error"),
    (["-"], "cannot read standard input: Input/output error"),
    (["--csv", "-"], "standard input: cannot read line 1: Input/output error"),
])
def test_a_failing_stdin_names_standard_input(argv, message):
    failing = io.TextIOWrapper(io.BufferedReader(FailingStream()))
    stderr = io.StringIO()
    with mock.patch.object(sys, "stdin", failing), mock.patch.object(sys, "stderr", stderr):
        assert main(argv) == 2
    assert stderr.getvalue() == f"python -m calc: {message}\n"


def test_a_reader_closing_the_pipe_early_gets_no_traceback(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("age\n" + "50\n" * 20_000)
    child = subprocess.Popen([sys.executable, "-m", "calc", "--csv", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline().startswith(b"age,score,")
    child.stdout.close()  # like `| head -1`
    _, err = child.communicate(timeout=120)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode()
    assert child.returncode == 1


def test_ctrl_c_ends_the_run_with_a_message_not_a_traceback():
    # Ctrl+C as a terminal sends it: the child gets the default SIGINT handling even when this
    # run was started in the background, which ignores SIGINT for its children (a Python started
    # with SIGINT ignored keeps ignoring it, and read on to the end: status 0 where 130 is due)
    child = subprocess.Popen([sys.executable, "-m", "calc", "--csv", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.stdin.write(b"age\n")
    child.stdin.flush()
    # the header is written once read, so the child is now waiting for the next line
    assert child.stdout.readline().startswith(b"age,score,")
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err.decode() == "python -m calc: interrupted\n"


# --- never a traceback, whatever the arguments and input (through main(), in this process)

def call_main(argv, stdin_bytes):
    """main(argv) with these bytes as standard input (None: closed): (status, stdout, stderr)."""
    stdin = None if stdin_bytes is None else io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8")
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.StringIO()
    with mock.patch.object(sys, "stdin", stdin), mock.patch.object(sys, "stdout", stdout), \
            mock.patch.object(sys, "stderr", stderr):
        try:
            status = main(argv)
        except SystemExit as stop:  # argparse's own exit: --help, or a bad flag
            status = stop.code
        stdout.flush()
    return status, stdout.buffer.getvalue(), stderr.getvalue()


KEYS = [f.key for f in calc.FIELDS]
FLAGS = [f"--{f.key.replace('_', '-')}" for f in calc.FIELDS]
WORDS = st.sampled_from(["67", "female", "male", "yes", "no", "ng/mL", "nmol/L", "mg/L", "kg", "cm",
                         "5 ft 3", "ft_in", "9 st 2", "st_lb", "<5", ">150", "12,5", "1,000", "",
                         " ", "nan", "1e400", "9" * 5000, "-", "--", "--csv", "--schema"])
TEXT = st.one_of(WORDS, st.text(max_size=12))
ARGV = st.lists(st.one_of(st.sampled_from(FLAGS + ["-", "--csv", "--schema", "--help"]), TEXT),
                max_size=8)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(KEYS) | TEXT,
                                             inner, max_size=4), max_leaves=12)


@st.composite
def stdin_bytes(draw):
    kind = draw(st.sampled_from(["json", "csv", "bytes"]))
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind == "csv":
        columns = draw(st.lists(st.sampled_from(KEYS) | TEXT, min_size=1, max_size=5))
        rows = draw(st.lists(st.lists(TEXT, max_size=6), max_size=4))
        out = io.StringIO()
        csv.writer(out).writerows([columns, *rows])
        return out.getvalue().encode()
    return draw(st.binary(max_size=200))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(argv=ARGV, data=stdin_bytes() | st.none())
def test_main_never_raises_and_exits_0_or_2(argv, data):
    status, out, err = call_main(argv, data)
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err
    if status == 2 and "--help" not in argv:
        assert err.strip(), "an exit of 2 always says why"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(data=stdin_bytes())
@example(data=b'age\r\n"\r"\r\n')  # a cell holding a lone CR was echoed unquoted: CSV no reader takes back
def test_main_in_batch_mode_never_raises(data):
    status, out, err = call_main(["--csv", "-"], data)
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err
    if status == 0:  # a CSV whose every row has the header's width plus the result columns
        rows = list(csv.reader(io.StringIO(out.decode("utf-8"))))
        assert rows and all(len(row) == len(rows[0]) for row in rows)


def test_a_closed_stderr_keeps_messages_out_of_the_result():
    # print(file=None) writes to stdout: with stderr closed, messages must go nowhere instead
    done = run_shell('exec "$0" -m calc --age 12 2>&-')
    assert done.returncode == 2 and done.stdout == b""
    done = run_shell('exec "$0" -m calc --csv - 2>&-', stdin=b"age\n12\n50\n")
    assert done.returncode == 0
    assert [row[0] for row in csv.reader(io.StringIO(done.stdout.decode()))] == ["age", "12", "50"]


def test_batch_mode_writes_to_a_text_stdout_in_process():
    stdout = io.StringIO()
    with mock.patch.object(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"age\n50\n"))), \
            mock.patch.object(sys, "stdout", stdout):
        assert main(["--csv", "-"]) == 0
    assert stdout.getvalue().splitlines()[1].startswith("50,6,low,")


def test_batch_output_is_utf8_whatever_the_locale():
    done = subprocess.run([sys.executable, "-m", "calc", "--csv", "-"], input="sex\nf\u00e9minin\n".encode(),
                          capture_output=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "\u201cf\u00e9minin\u201d" in done.stdout.decode("utf-8")


@pytest.mark.parametrize("argv, target", [(["--age", "50"], "calc.__main__.assess"),
                                          (["--csv", "-"], "calc.batch.assess")])
def test_a_bug_in_calc_is_one_line_and_status_70_not_a_traceback(argv, target):
    def broken(inputs):
        raise ZeroDivisionError("x" * 1000)

    with mock.patch(target, broken):
        status, out, err = call_main(argv, b"age\n50\n")
    assert status == 70
    assert err.startswith("python -m calc: internal error (ZeroDivisionError: xxx")
    assert err.count("\n") == 1 and len(err) < 400


@pytest.mark.parametrize("args, field", [
    (["--height", "5 ft " + "9" * 5000, "--height-unit", "ft_in"], "height"),
    (["--height", "9" * 5000 + " ft 3", "--height-unit", "ft_in"], "height"),
    (["--weight", "9" * 5000 + " st", "--weight-unit", "st_lb"], "weight"),
    (["--age", "9" * 5000], "age"),
])
def test_numbers_past_pythons_digit_limit_are_a_short_message_from_the_cli(args, field):
    # issue 18: 4,300 digits or more raised a bare ValueError, a traceback from the CLI
    done = run(*args)
    assert done.returncode == 2 and done.stdout == b""
    assert b"Traceback" not in done.stderr
    [line] = done.stderr.decode().splitlines()
    assert line.startswith(f"{field}: ") and len(line) < 300


def test_cli_messages_fit_what_was_typed():
    # issue 18: "female " was said not to be "female"; true was "a yes/no value is a yes/no value"
    done = run("--sex", "female ")
    assert done.returncode == 2
    assert "remove the space" in done.stderr.decode()
    done = run(stdin=b'{"age": true}')
    assert done.returncode == 2
    assert "a yes/no value is not a number" in done.stderr.decode()


@pytest.mark.parametrize("argv", [["\x00"], ["--csv", "a\x00b"]])
def test_a_file_name_with_a_null_character_is_a_message_not_an_internal_error(argv, capsys):
    # found by the fuzz above: open() raises ValueError, not OSError, for such a name
    from calc.__main__ import main
    assert main(argv) == 2
    assert "null character" in capsys.readouterr().err
