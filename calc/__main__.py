"""python -m calc: score inputs from the command line.

    python -m calc inputs.json            # one JSON object from a file
    echo '{"age": 67}' | python -m calc    # or from standard input (or FILE "-")
    python -m calc --age 67 --sex female --vitamin-d 45 --vitamin-d-unit nmol/L
    python -m calc --schema               # the field table as JSON
    python -m calc --csv people.csv       # batch mode: a CSV row of fields in, a CSV row out

Prints the result as JSON. On bad input, prints one line per problem to
standard error and exits with status 2; it never prints a traceback. In batch
mode a row's problems go to its own `errors` column instead (calc/batch.py).
"""

import argparse
import json
import os
import sys

from . import FIELDS, ValidationError, assess, schema
from .text import ranges_text

MAX_INPUT_BYTES = 1_000_000  # a form's worth of JSON is a few hundred bytes


class _Once(argparse.Action):
    """Store a flag's value, refusing a second copy (last-wins would hide a typo)."""

    def __call__(self, parser, namespace, value, option_string=None):
        if getattr(namespace, self.dest) is not None:
            parser.error(f"{option_string} was given more than once")
        setattr(namespace, self.dest, value)


def _option_help(f):
    parts = [f.help.replace("%", "%%")]
    if f.kind == "choice":
        parts.append("One of: " + ", ".join(v for v, _ in f.choices) + ".")
    elif f.kind == "boolean":
        parts.append("yes or no.")
    elif f.units:
        parts.append(f"Range: {ranges_text(f)}.")
        if f.kind == "lab":
            parts.append("A bound such as <5 or >150 is allowed, and a unit typed after the number.")
        if f.unit_field:
            parts.append(f"Unit: --{f.unit_field.replace('_', '-')}.")
    if f.default not in (None, False):
        parts.append(f"Default: {f.default}.")
    return " ".join(parts)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m calc", description=__doc__.split("\n\n")[0],
        epilog="Every field is optional. See docs/model.md for the rules.")
    parser.add_argument("file", nargs="?", help="a JSON file of inputs, or - for standard input")
    parser.add_argument("--schema", action="store_true", help="print the field table as JSON and exit")
    parser.add_argument("--csv", metavar="FILE",
                        help="batch mode: score every row of a CSV file (- for standard input) "
                             "whose header names field keys; writes CSV to standard output "
                             "(see docs/architecture.md for its columns)")
    fields = parser.add_argument_group("fields")
    for f in FIELDS:
        fields.add_argument(f"--{f.key.replace('_', '-')}", dest=f.key, action=_Once,
                            metavar="VALUE", help=_option_help(f))
    return parser


def _say(message):
    """Print `message` on standard error; nowhere when it is closed (`2>&-`).

    print(file=None) would write to standard output instead, into the result.
    """
    if sys.stderr is not None:
        print(message, file=sys.stderr)


def _repeated_key_check(pairs):
    """json's object_pairs_hook: a dict of `pairs`, refusing a key given twice.

    Plain json.loads keeps the last of two copies, so {"age": 30, "age": 80}
    would quietly score 80; a repeated flag is refused, and so is this.
    """
    found = dict(pairs)
    if len(found) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise SystemExit(f"the JSON gives the key {_quoted(key)} more than once; "
                                 "give each field once")
            seen.add(key)
    return found


def _quoted(text, limit=40):
    """`text` in quotes for a message, cut to `limit` characters."""
    return json.dumps(text if len(text) <= limit else text[:limit - 1] + "\u2026")


def _stdin():
    """Standard input's byte stream; SystemExit with a message when there is none.

    `python -m calc <&-` starts Python with no standard input at all
    (sys.stdin is None).
    """
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise SystemExit("standard input is closed; give a file name, or field flags")
    return stream


def _open(path):
    """open(path, "rb"), with a file name Python cannot open (a null character in it, which
    only a script passes) reported as SystemExit like any unreadable file."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except ValueError:
        raise SystemExit("cannot read that file: its name contains a null character") from None


def _read_json(path):
    """The parsed JSON of a file or stdin; SystemExit with a message on any problem."""
    name = "standard input" if path in (None, "-") else path
    try:
        if path in (None, "-"):
            data = _stdin().read(MAX_INPUT_BYTES + 1)
        else:
            with _open(path) as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise SystemExit(f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise SystemExit("input is larger than 1 MB; this is not a form's worth of JSON")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SystemExit("input is not UTF-8 text") from None
    if text.startswith("\ufeff"):
        raise SystemExit("input starts with a byte order mark (BOM); save it as UTF-8 without one")
    try:
        return json.loads(text, object_pairs_hook=_repeated_key_check)
    except json.JSONDecodeError as error:
        raise SystemExit(f"input is not valid JSON: {error}") from None
    except (ValueError, RecursionError):  # a number with thousands of digits, or deep nesting
        raise SystemExit("input is not JSON this tool can read (a number too long, or nesting too deep)") from None


def _score_json(args, flags):
    """One assessment, JSON in and out; the exit status."""
    try:
        if flags and args.file:
            raise SystemExit("give a JSON file or field flags, not both")
        inputs = flags if flags else _read_json(args.file)
        result = assess(inputs)
    except SystemExit as stop:
        _say(f"python -m calc: {stop.code}")
        return 2
    except ValidationError as error:
        for problem in error.errors:
            _say(f"{problem['field']}: {problem['message']}")
        return 2
    print(json.dumps(result, indent=2))
    return 0


def _score_csv(path, out):
    """Batch mode (calc/batch.py): CSV rows in, CSV rows out; the exit status."""
    from . import batch  # only the batch mode needs the csv module

    name = "standard input" if path == "-" else path
    try:
        source = _stdin() if path == "-" else _open(path)
    except SystemExit as stop:
        _say(f"python -m calc: {stop.code}")
        return 2
    except OSError as error:
        _say(f"python -m calc: cannot read {name}: {error.strerror or error}")
        return 2
    try:
        rows, bad = batch.run(source, batch.csv_writer(out).writerow)
    except batch.BatchError as error:
        for line in error.lines:
            _say(f"python -m calc: {name}: {line}")
        return 2
    except BrokenPipeError:
        raise  # main() ends the run quietly
    except OSError as error:  # reads fail as BatchError; this is a write, such as a full disk
        _say(f"python -m calc: cannot write the output: {error.strerror or error}")
        return 2
    finally:
        if path != "-":
            source.close()
    if bad:
        _say(f"python -m calc: {bad:,} of {rows:,} rows have errors; see the errors column")
    return 0


def _run(argv):
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)  # exits 2 on a bad flag
    flags = {f.key: getattr(args, f.key) for f in FIELDS if getattr(args, f.key) is not None}
    chosen = [name for name, used in (("--schema", args.schema), ("--csv", args.csv is not None),
                                      ("a JSON file", args.file), ("field flags", flags)) if used]
    if len(chosen) > 1 and (args.schema or args.csv is not None):
        parser.error(f"give only one of {' and '.join(chosen)}")
    if sys.stdout is None:  # started with standard output closed: a result would be lost
        _say("python -m calc: standard output is closed; the result has nowhere to go")
        return 2
    if args.schema:
        print(json.dumps(schema(), indent=2))
        return 0
    if args.csv is not None:
        return _score_csv(args.csv, getattr(sys.stdout, "buffer", sys.stdout))
    return _score_json(args, flags)


def main(argv=None):
    """The command line; returns its exit status, and never ends in a traceback.

    0: done; 2: bad input or usage (a message says what). A reader closing the
    pipe early (`| head`) ends the run quietly with 1; Ctrl-C with 130.
    """
    try:
        return _run(argv)
    except BrokenPipeError:
        # whoever reads standard output stopped reading: nothing left to say to them;
        # point stdout at /dev/null so that Python's own final flush cannot fail too
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # a stand-in stdout with no file behind it
            pass
        return 1
    except KeyboardInterrupt:
        _say("python -m calc: interrupted")
        return 130
    except Exception as error:  # noqa: BLE001 - a bug in calc; still a message, not a traceback
        _say(f"python -m calc: internal error ({type(error).__name__}: {str(error)[:200]}); "
             "this is a bug in calc, please report it with the input that caused it")
        return 70


if __name__ == "__main__":
    sys.exit(main())
