"""Batch mode (calc/batch.py, `python -m calc --csv`): CSV rows in, one scored CSV row out each.

The expected results of scored rows come from calc.assess on the same inputs
(the independent route: these tests check the CSV plumbing, not the scoring,
which the golden cases check); a few cells are worked out by hand as well.
"""

import csv
import io
import subprocess
import sys
import threading

import pytest

import calc
from calc import batch

RESULT_COLUMNS = ["score", "category", "ost_index", "ost_category", "qfracture_osteoporotic",
                  "qfracture_hip", "typical_osteoporotic", "typical_hip", "recommendations", "errors"]


def run_cli(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "calc", *args], input=stdin,
                          capture_output=True, timeout=120)


def table(data):
    """The rows of CSV bytes."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def scored(data):
    """batch.run on CSV bytes, in this process: (output rows, (rows, rows with errors))."""
    out = []
    counts = batch.run(io.BytesIO(data), out.append)
    return out, counts


def expected_results(inputs):
    """The result cells for `inputs`, worked out from calc.assess directly."""
    try:
        result = calc.assess(inputs)
    except calc.ValidationError as error:
        return [""] * 9 + [" | ".join(e["field"] + ": " + e["message"] for e in error.errors)]
    ost, qf = result["ost"], result["qfracture"]
    return [
        str(result["score"]), result["category"],
        str(ost["index"]) if ost else "", ost["category"] if ost else "",
        *([repr(qf["osteoporotic"]), repr(qf["hip"]),
           repr(qf["typical"]["osteoporotic"]), repr(qf["typical"]["hip"])] if qf else [""] * 4),
        " ".join(r["code"] for r in result["recommendations"]), "",
    ]


HEADER = ["age", "sex", "menopause", "height_unit", "height", "weight_unit", "weight", "ethnicity",
          "smoking", "alcohol", "exercise_minutes", "prior_fracture", "corticosteroids", "falls",
          "vitamin_d_unit", "vitamin_d", "crp_unit", "crp", "rankl_unit", "rankl"]
ROWS = [
    ["67", "female", "yes", "cm", "162", "kg", "61,5", "white", "light", "3to6", "90", "yes", "no",
     "no", "nmol/L", "48", "mg/L", "<5", "ng/mL", "12"],
    ["72", "male", "", "ft_in", "5 ft 9", "st_lb", "11 st 4", "", "heavy", "7to9", "30", "", "",
     "yes", "ng/mL", "18", "", "", "", ""],
    ["12", "robot", "", "", "", "", "heavy", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["58", "female", "yes", "cm", "165", "kg", "70", "indian", "non", "none", "200", "no", "yes",
     "no", "ng/mL", "31.5", "mg/L", "0.4", "", ""],
    ["89", "male", "", "cm", "170", "kg", "55", "white", "ex", "1to2", "0", "yes", "yes", "yes",
     "", "", "mg/L", ">160", "", ""],
    [""] * len(HEADER),                              # an empty form: every field not entered
    [" ", "female ", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
]


def csv_bytes(rows, newline="\n"):
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_each_row_is_its_inputs_as_given_then_what_assess_gives_for_them():
    out, counts = scored(csv_bytes([HEADER, *ROWS]))
    assert out[0] == HEADER + RESULT_COLUMNS
    assert len(out) == 1 + len(ROWS)
    for cells, row in zip(ROWS, out[1:]):
        inputs = {key: cell for key, cell in zip(HEADER, cells) if cell}
        assert row == cells + expected_results(inputs), cells
    errors = [row[-1] for row in out[1:]]
    assert counts == (len(ROWS), sum(e != "" for e in errors))
    assert sum(e != "" for e in errors) == 2  # the 12-year-old robot and "female " (a space)


def test_the_same_through_the_command_line_from_a_file_and_from_stdin(tmp_path):
    data = csv_bytes([HEADER, *ROWS])
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    expected, _ = scored(data)
    for done in (run_cli("--csv", str(path)), run_cli("--csv", "-", stdin=data)):
        assert done.returncode == 0, done.stderr
        assert table(done.stdout) == expected
        assert done.stderr.decode() == "python -m calc: 2 of 7 rows have errors; see the errors column\n"


def test_a_bad_row_is_reported_in_its_own_row_and_the_next_is_still_scored_by_hand():
    data = b"age,sex,weight\n12,robot,70\n60,male,70\n"
    out, counts = scored(data)
    bad, good = out[1], out[2]
    assert bad[:3] == ["12", "robot", "70"] and bad[3:12] == [""] * 9
    problems = bad[12].split(" | ")
    assert [p.split(": ", 1)[0] for p in problems] == ["age", "sex"]
    assert "18 to 110" in problems[0] and "\u201c12\u201d" in problems[0]
    assert "\u201crobot\u201d" in problems[1]
    # by hand: age 60-69 scores 10 and nothing else is answered, so 10, "low"; OST for a man
    # is (70 - 60) / 5 = 2, which Adler 2003 puts in -1 to 3, "moderate"; no height, so no
    # BMI and no QFracture
    assert good[:3] == ["60", "male", "70"]
    assert good[3:9] == ["10", "low", "2", "moderate", "", ""]
    assert good[9:11] == ["", ""] and good[12] == ""
    assert counts == (2, 1)


def test_risks_are_unrounded_and_round_trip_exactly():
    out, _ = scored(csv_bytes([HEADER, ROWS[0], ROWS[3]]))
    for cells, row in zip((ROWS[0], ROWS[3]), out[1:]):
        qf = calc.assess({k: v for k, v in zip(HEADER, cells) if v})["qfracture"]
        got = [float(cell) for cell in row[len(HEADER) + 4:len(HEADER) + 8]]
        assert got == [qf["osteoporotic"], qf["hip"], qf["typical"]["osteoporotic"], qf["typical"]["hip"]]
        assert all(len(cell.split(".")[1]) > 2 for cell in row[len(HEADER) + 4:len(HEADER) + 8])


def test_recommendation_codes_are_space_separated_words():
    out, _ = scored(csv_bytes([HEADER, ROWS[4]]))
    codes = out[1][-2].split(" ")
    inputs = {k: v for k, v in zip(HEADER, ROWS[4]) if v}
    assert codes == [r["code"] for r in calc.assess(inputs)["recommendations"]]
    assert len(codes) >= 2 and all(code.replace("_", "").isalnum() for code in codes)


def test_no_field_key_is_also_a_result_column():
    assert not set(batch.RESULT_COLUMNS) & set(calc.FIELDS_BY_KEY)
    assert list(batch.RESULT_COLUMNS) == RESULT_COLUMNS


def test_empty_and_blank_cells_mean_not_entered():
    out, _ = scored(b"age,sex,crp,crp_unit\n,, ,\n50,,,\n")
    assert out[1][4:] == expected_results({})
    assert out[2][4:] == expected_results({"age": "50"})
    assert out[1][4] == "0" and out[2][4] == "6"  # age 50-59: 6 points, by hand


@pytest.mark.parametrize("cells, width, shown, message", [
    (["70"], 3, ["70", "", ""], "the row has 1 cell but the header has 3 columns"),
    (["70", "male", "80", "extra"], 3, ["70", "male", "80"],
     "the row has 4 cells but the header has 3 columns"),
])
def test_a_short_or_long_row_is_an_error_in_its_row_not_scored(cells, width, shown, message):
    out, counts = scored(csv_bytes([["age", "sex", "weight"], cells, ["70", "male", "80"]]))
    assert out[1][:width] == shown
    assert out[1][width:-1] == [""] * 9
    assert out[1][-1].startswith("row: " + message)
    assert out[2][width] == "14"  # the next row is scored: by hand, age 70-79 is 14, nothing else
    assert counts == (2, 1)


def test_blank_lines_are_skipped_and_header_only_gives_the_header():
    out, counts = scored(b"\nage\n\n50\n\n")
    assert out == [["age", *RESULT_COLUMNS], ["50", *expected_results({"age": "50"})]]
    assert counts == (1, 0)
    out, counts = scored(b"age,sex\n")
    assert out == [["age", "sex", *RESULT_COLUMNS]] and counts == (0, 0)


def test_a_bom_before_the_header_is_dropped_and_crlf_lines_read():
    plain = csv_bytes([HEADER, *ROWS])
    excel = b"\xef\xbb\xbf" + csv_bytes([HEADER, *ROWS], newline="\r\n")
    assert b"\r\n" in excel
    assert scored(excel) == scored(plain)
    done = run_cli("--csv", "-", stdin=excel)
    assert done.returncode == 0 and table(done.stdout) == scored(plain)[0]


def test_output_lines_end_in_newline_only_and_are_utf8():
    done = run_cli("--csv", "-", stdin=b"sex\nfemme\n")
    assert done.stdout.count(b"\n") == 2 and b"\r" not in done.stdout
    assert "\u201cfemme\u201d" in done.stdout.decode("utf-8")


def test_a_quoted_cell_may_span_lines_and_line_numbers_count_physical_lines():
    data = b'sex,age\n"fe\nmale",50\n60,\xff\n'
    with pytest.raises(batch.BatchError) as caught:
        scored(data)
    assert caught.value.lines == ("line 4 is not UTF-8 text (byte 4 of the line); save the file as CSV UTF-8",)


def test_a_file_that_is_not_utf8_names_the_line_and_keeps_the_rows_before_it():
    data = b"age,sex\n50,female\n60,male\n70,m\xe4le\n80,male\n"  # line 4 in Latin-1
    done = run_cli("--csv", "-", stdin=data)
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode() == ("python -m calc: standard input: line 4 is not UTF-8 text "
                                    "(byte 5 of the line); save the file as CSV UTF-8\n")
    assert [row[:2] for row in table(done.stdout)] == [["age", "sex"], ["50", "female"], ["60", "male"]]


def test_a_header_that_is_not_utf8():
    done = run_cli("--csv", "-", stdin=b"\xffage\n50\n")
    assert done.returncode == 2 and done.stdout == b""
    assert b"line 1 is not UTF-8 text" in done.stderr


@pytest.mark.parametrize("header, messages", [
    (b"age,sex,weigth\n", ["column 3 \u201cweigth\u201d is not a calc field key",
                          "python -m calc --schema lists the field keys a header may use"]),
    (b"Age,vitamin-d\n", ["column 1 \u201cAge\u201d is not a calc field key; did you mean \u201cage\u201d?",
                          "column 2 \u201cvitamin-d\u201d is not a calc field key; did you mean "
                          "\u201cvitamin_d\u201d?",
                          "python -m calc --schema lists the field keys a header may use"]),
    (b"age;sex;weight\n", ["column 1 \u201cage;sex;weight\u201d is not a calc field key (the file "
                           "seems to separate columns with semicolons; use commas)",
                           "python -m calc --schema lists the field keys a header may use"]),
    (b"age,sex,age\n", ["column 3 \u201cage\u201d repeats column 1; give each field once"]),
    (b"age,,sex\n", ["column 2 has no name; every column must be a calc field key",
                     "python -m calc --schema lists the field keys a header may use"]),
])
def test_a_bad_header_stops_the_file_at_the_start_naming_each_column(header, messages):
    done = run_cli("--csv", "-", stdin=header + b"50,female,70\n")
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == "".join(f"python -m calc: standard input: {m}\n" for m in messages)


@pytest.mark.parametrize("data", [b"", b"\n\r\n\n"])
def test_an_empty_file_is_an_error(data, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(data)
    done = run_cli("--csv", str(path))
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == (f"python -m calc: {path}: the file is empty; its first line must "
                                    "name the columns, for example: age,sex,height,weight\n")


def test_a_missing_file_is_a_message():
    done = run_cli("--csv", "/nonexistent/in.csv")
    assert done.returncode == 2
    assert done.stderr.decode() == ("python -m calc: cannot read /nonexistent/in.csv: "
                                    "No such file or directory\n")


def test_a_line_over_the_limit_stops_the_file():
    done = run_cli("--csv", "-", stdin=b"age\n50\n" + b"7" * (batch.MAX_ROW_BYTES + 10))
    assert done.returncode == 2
    assert b"line 3: a row is longer than 1 MB" in done.stderr
    assert table(done.stdout)[1][0] == "50"


def test_a_row_of_many_short_lines_cannot_grow_without_limit():
    # each cell is a quoted "x" and a line break, so the row never ends and no line is long
    data = b'age\n"x\n' + b'","x\n' * (batch.MAX_ROW_BYTES // 5 + 10)
    with pytest.raises(batch.BatchError) as caught:
        scored(data)
    assert "a row is longer than 1 MB" in caught.value.lines[0]


def test_csv_that_python_cannot_read_is_a_message_with_a_line():
    field = b'"' + b"y" * (csv.field_size_limit() + 10) + b'"'
    with pytest.raises(batch.BatchError) as caught:
        scored(b"sex\nmale\n" + field + b"\n")
    assert caught.value.lines[0].startswith("line 3: this is not CSV the batch mode can read")


def test_the_csv_flag_takes_no_other_input():
    for args in (["--csv", "-", "--age", "50"], ["--csv", "-", "in.json"], ["--csv", "-", "--schema"]):
        done = run_cli(*args)
        assert done.returncode == 2 and b"give only one of" in done.stderr and done.stdout == b""


# --- streaming: one row in, one row out, nothing collected

class LoggedSource:
    """A binary stream of lines from a generator, logging each read in `events`."""

    def __init__(self, lines, events):
        self.lines, self.events, self.number = iter(lines), events, 0

    def readline(self, limit=-1):
        line = next(self.lines, b"")
        if line:
            self.number += 1
            self.events.append(("read", self.number))
        return line


def test_the_driver_writes_each_row_before_reading_the_next_line():
    events = []

    def lines():
        yield b"age,sex\n"
        for age in range(40, 100):
            yield f"{age},female\n".encode()

    def write(row):
        events.append(("write", row[0]))

    rows, _ = batch.run(LoggedSource(lines(), events), write)
    assert rows == 60
    # header on line 1, the first data row on line 2: its result is out before line 3 is read
    assert events[:5] == [("read", 1), ("write", "age"), ("read", 2), ("write", "40"), ("read", 3)]
    assert events.index(("write", "99")) == len(events) - 1


def test_the_command_answers_each_row_while_its_input_is_still_open():
    # the with block closes the pipes and waits, whatever happens inside it
    with subprocess.Popen([sys.executable, "-m", "calc", "--csv", "-"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        child.stdin.write(b"age,sex\n50,female\n")
        child.stdin.flush()
        # readline waits until the row is out: the command flushed it without more input
        assert child.stdout.readline().startswith(b"age,sex,score,")
        assert child.stdout.readline().startswith(b"50,female,6,low,")
        child.stdin.write(b"60,male\n")
        child.stdin.close()
        assert child.stdout.readline().startswith(b"60,male,10,low,")
        assert child.wait(timeout=60) == 0


def peak_rss_kb(rows):
    """The peak RSS of `python -m calc --csv -` fed `rows` rows through a pipe, in KiB (Linux)."""
    script = ("import resource, sys\n"
              "from calc.__main__ import main\n"
              "status = main(['--csv', '-'])\n"
              "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
              "sys.exit(status)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():  # rows are made as they are sent: neither side holds the file
        child.stdin.write(b"age,sex,weight\n")
        for n in range(rows):
            # two rows in three are refused (age 12: quick to answer, and a long errors cell)
            child.stdin.write(b"%d,female,%d\n" % (45 + n % 50 if n % 3 == 0 else 12, 50 + n % 40))
        child.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    lines = sum(1 for _ in child.stdout)
    feeder.join()
    err = child.stderr.read().decode()
    assert child.wait(timeout=600) == 0
    assert lines == rows + 1
    return int(err.split("peak ")[1].split()[0])


def test_memory_does_not_grow_with_the_number_of_rows():
    small, large = peak_rss_kb(1_000), peak_rss_kb(40_000)
    # 40,000 rows of output are about 5 MB of text and more as Python lists: a driver
    # changed to keep its rows peaked about 15 MB higher, which the bound does not allow
    assert large - small < 3_000, (small, large)


def test_a_quote_left_open_names_the_line_it_began_on():
    # the open quote on line 3 takes every later line into one cell, until Python's
    # csv reader refuses a cell that long: the message points back to line 3
    data = b'sex,age\nmale,50\n"female,60\n' + b"male,70\n" * 20_000
    with pytest.raises(batch.BatchError) as caught:
        scored(data)
    [message] = caught.value.lines
    assert message.startswith("lines 3 to ") and "(one row): this is not CSV" in message
    assert message.endswith('; a quote (") on line 3 may be missing its closing one')


def test_blank_lines_before_the_header_do_not_count_towards_a_row(monkeypatch):
    monkeypatch.setattr(batch, "MAX_ROW_BYTES", 1_000)  # the same rule, with fewer lines to read
    out, counts = scored(b"\n" * 1_010 + b"age\n50\n")
    assert out[1][:2] == ["50", "6"] and counts == (1, 0)


def test_a_cell_with_a_line_break_stays_one_row_in_and_out():
    done = run_cli("--csv", "-", stdin=b'sex,age\n"fe\nmale",50\nmale,60\n')
    assert done.returncode == 0
    rows = table(done.stdout)
    assert len(rows) == 3
    assert rows[1][0] == "fe\nmale" and "\u201cfe\nmale\u201d" in rows[1][-1]
    assert rows[2][:4] == ["male", "60", "10", "low"]  # by hand: age 60-69 scores 10
