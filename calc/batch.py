"""Batch mode: score every row of a CSV file (`python -m calc --csv IN.csv`).

The file's first line names its columns with calc's field keys (`age`, `sex`,
`weight`, ...; `python -m calc --schema` lists them), in any order and any
subset. Each later line is one person's inputs; an empty cell means "not
entered". Out comes CSV: the header's columns with each row's cells as given,
then RESULT_COLUMNS. A row calc refuses keeps its cells, leaves the result
columns empty and says why in `errors`; the rows after it are scored as usual.

A problem with the file as a whole (no header, an unknown or repeated column,
a line that is not UTF-8, a row over MAX_ROW_BYTES) raises BatchError: the
command prints it and exits with status 2. Rows already written stay written.

Rows are read, scored and written one at a time (nothing is collected), so
memory does not grow with the number of rows. docs/architecture.md describes
the columns for readers of the output.
"""

import csv
import io
from itertools import compress

from .core import assess
from .fields import FIELDS_BY_KEY
from .parse import ValidationError

RESULT_COLUMNS = (
    "score",                     # 0 to 100, the educational score
    "category",                  # low, moderate, high, very_high
    "ost_index",                 # OST index, a whole number; empty when OST does not apply
    "ost_category",              # low, moderate, high; empty when OST does not apply
    "qfracture_osteoporotic",    # QFracture-2012 10-year risk in percent, unrounded (repr)
    "qfracture_hip",             #   ...of hip fracture; both empty when QFracture does not apply
    "typical_osteoporotic",      # a typical person's risks, same sex and age (see docs/model.md)
    "typical_hip",
    "recommendations",           # recommendation codes, most important first, CODE_SEPARATOR between
    "errors",                    # "field: message" for each problem, ERROR_SEPARATOR between
)
CODE_SEPARATOR = " "             # codes are lower-case words joined by "_", never a space
ERROR_SEPARATOR = " | "          # messages hold ";" and ","; a line break only if the cell quoted had one
MAX_ROW_BYTES = 1_000_000        # one row of a form's fields is a few hundred bytes

_NO_RESULT = [""] * (len(RESULT_COLUMNS) - 1)


class BatchError(Exception):
    """A problem with the file as a whole; `.lines` are its messages, one a line."""

    def __init__(self, *lines):
        self.lines = lines
        super().__init__("; ".join(lines))


def header(cells):
    """The field keys a header row names, in its order; BatchError naming each bad column."""
    problems, seen = [], {}
    for number, name in enumerate(cells, 1):
        where = f"column {number}"
        if name in FIELDS_BY_KEY:
            if name in seen:
                problems.append(f"{where} \u201c{name}\u201d repeats column {seen[name]}; "
                                "give each field once")
            seen.setdefault(name, number)
        elif not name.strip():
            problems.append(f"{where} has no name; every column must be a calc field key")
        else:
            problems.append(f"{where} \u201c{_cut(name)}\u201d is not a calc field key{_hint(name)}")
    if problems:
        if any(name not in FIELDS_BY_KEY for name in cells):
            problems.append("python -m calc --schema lists the field keys a header may use")
        raise BatchError(*problems)
    return tuple(cells)


def _cut(text, limit=40):
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _hint(name):
    """A likely fix for an unknown column name, or ""."""
    for mark, what in ((";", "semicolons"), ("\t", "tabs")):
        if mark in name:
            return f" (the file seems to separate columns with {what}; use commas)"
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in FIELDS_BY_KEY:
        return f"; did you mean \u201c{key}\u201d?"
    return ""


def result_cells(inputs):
    """The RESULT_COLUMNS cells for one mapping of inputs (as calc.assess takes them)."""
    try:
        result = assess(inputs)
    except ValidationError as error:
        return _NO_RESULT + [ERROR_SEPARATOR.join(f"{e['field']}: {e['message']}" for e in error.errors)]
    ost, qf = result["ost"], result["qfracture"]
    return [
        str(result["score"]),
        result["category"],
        "" if ost is None else str(ost["index"]),
        "" if ost is None else ost["category"],
        "" if qf is None else repr(qf["osteoporotic"]),
        "" if qf is None else repr(qf["hip"]),
        "" if qf is None else repr(qf["typical"]["osteoporotic"]),
        "" if qf is None else repr(qf["typical"]["hip"]),
        CODE_SEPARATOR.join(r["code"] for r in result["recommendations"]),
        "",
    ]


def row_cells(keys, cells):
    """One data row in, one output row out: the row's cells as given, then its results.

    A row with more or fewer cells than the header has columns is not scored:
    its values may have slipped into the wrong columns. Its cells are shown
    under the header's columns (padded, or cut at the header's width) and
    `errors` says how many there were.
    """
    width = len(keys)
    if len(cells) != width:
        shown = cells[:width] + [""] * (width - len(cells))
        extra = f"; the cells after column {width} are not shown" if len(cells) > width else ""
        return shown + _NO_RESULT + [
            f"row: the row has {len(cells)} cell{'' if len(cells) == 1 else 's'} but the header "
            f"has {width} columns, so it was "
            f"not scored (a value may be in the wrong column){extra}"]
    # the pairs whose cell is not empty (compress keeps those whose selector, the cell, is
    # truthy): a dict comprehension with `if cell` gives the same, at twice the cost
    return cells + result_cells(dict(compress(zip(keys, cells), cells)))


class _Lines:
    """The text lines of a binary stream, read one at a time.

    Each line is decoded on its own, so a byte that is not UTF-8 is reported
    with its line number. A byte order mark before the header is dropped (Excel
    writes one). `pending` counts the bytes of the row being read, so that one
    row cannot grow without limit (a quoted cell may span lines); the driver
    calls next_row() after each row.
    """

    def __init__(self, binary):
        self.binary = binary
        self.number = 0        # lines read so far: the current line's number
        self.row_start = 1     # the line the current row began on
        self.pending = 0

    def __iter__(self):
        return self

    def __next__(self):
        try:
            line = self.binary.readline(MAX_ROW_BYTES + 1)
        except OSError as error:  # a failing disk or a lost network drive, part-way
            raise BatchError(f"cannot read line {self.number + 1}: {error.strerror or error}") from None
        if not line:
            raise StopIteration
        self.number += 1
        self.pending += len(line)
        if self.pending > MAX_ROW_BYTES:
            raise BatchError(f"{self.where()}: a row is longer than 1 MB{self.quote_hint()}")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BatchError(f"line {self.number} is not UTF-8 text (byte {error.start + 1} of the "
                             "line); save the file as CSV UTF-8") from None
        if self.number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        return text

    def next_row(self):
        self.row_start = self.number + 1
        self.pending = 0

    def where(self):
        """The current row's line, or its lines when it spans several."""
        if self.row_start >= self.number:
            return f"line {self.number}"
        return f"lines {self.row_start} to {self.number} (one row)"

    def quote_hint(self):
        """A likely cause when the current row spans many lines, or ""."""
        if self.number - self.row_start < 2:
            return ""
        return f"; a quote (\") on line {self.row_start} may be missing its closing one"


def run(binary, write_row):
    """Score every row of the CSV in `binary` (a stream with .readline), in order.

    Each output row (first the header) goes to `write_row` as soon as it is
    made, before the next input line is read. Blank lines are skipped. Returns
    (rows, rows with errors); raises BatchError for a problem with the file.
    """
    lines = _Lines(binary)
    reader = csv.reader(lines)
    keys = None
    rows = bad = 0
    try:
        for cells in reader:
            if not cells:
                pass  # a blank line
            elif keys is None:
                keys = header(cells)
                write_row(list(keys) + list(RESULT_COLUMNS))
            else:
                out = row_cells(keys, cells)
                rows += 1
                bad += out[-1] != ""
                write_row(out)
            lines.next_row()
    except csv.Error as error:
        raise BatchError(f"{lines.where()}: this is not CSV the batch mode can read "
                         f"({error}){lines.quote_hint()}") from None
    if keys is None:
        raise BatchError("the file is empty; its first line must name the columns, "
                         "for example: age,sex,height,weight")
    return rows, bad


class _Utf8Out:
    """A text sink for the row writer: each row is written as UTF-8 and flushed at once."""

    def __init__(self, binary):
        self.binary = binary

    def write(self, text):
        self.binary.write(text.encode("utf-8"))
        self.binary.flush()


class _TextOut(_Utf8Out):
    """The same for a text stream (a caller's stand-in for stdout, such as io.StringIO)."""

    def write(self, text):
        self.binary.write(text)
        self.binary.flush()


class _RowWriter:
    """CSV rows to a sink: cells joined by commas, each line ended by "\\n", and a
    cell quoted (its quotes doubled) when it holds a comma, a quote, "\\n" or "\\r".
    csv.writer with "\\n" line ends leaves a lone "\\r" unquoted, and no CSV
    reader takes such a row back (a cell of the input is echoed as given)."""

    def __init__(self, sink):
        self.sink = sink

    def writerow(self, cells):
        self.sink.write(",".join(_csv_cell(cell) for cell in cells) + "\n")


def _csv_cell(cell):
    text = "" if cell is None else str(cell)
    if any(mark in text for mark in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_writer(stream):
    """A writer (its writerow) whose rows go to `stream` at once, one flush a row.

    A binary stream gets UTF-8, whatever the locale; a text stream gets text.
    Lines end in "\\n" (not CSV's "\\r\\n"), so that line tools see no "\\r" in
    the last column; cells are quoted only when they need it.
    """
    return _RowWriter(_TextOut(stream) if isinstance(stream, io.TextIOBase) else _Utf8Out(stream))
