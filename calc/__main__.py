"""python -m calc: score inputs from the command line.

    python -m calc inputs.json            # one JSON object from a file
    echo '{"age": 67}' | python -m calc    # or from standard input (or FILE "-")
    python -m calc --age 67 --sex female --vitamin-d 45 --vitamin-d-unit nmol/L
    python -m calc --schema               # the field table as JSON

Prints the result as JSON. On bad input, prints one line per problem to
standard error and exits with status 2; it never prints a traceback.
"""

import argparse
import json
import sys

from . import FIELDS, ValidationError, assess, schema
from .text import fmt

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
        ranges = "; ".join(f"{fmt(u.min)} to {fmt(u.max)} {u.name}" for u in f.units
                           if u.name not in ("in", "ft_in", "lb", "st_lb"))
        parts.append(f"Range: {ranges}.")
        if f.kind == "lab":
            parts.append("A bound such as <5 or >150 is allowed.")
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
    fields = parser.add_argument_group("fields")
    for f in FIELDS:
        fields.add_argument(f"--{f.key.replace('_', '-')}", dest=f.key, action=_Once,
                            metavar="VALUE", help=_option_help(f))
    return parser


def _read_json(path):
    """The parsed JSON of a file or stdin; SystemExit with a message on any problem."""
    try:
        if path in (None, "-"):
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise SystemExit(f"cannot read {path}: {error.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise SystemExit("input is larger than 1 MB; this is not a form's worth of JSON")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SystemExit("input is not UTF-8 text") from None
    if text.startswith("\ufeff"):
        raise SystemExit("input starts with a byte order mark (BOM); save it as UTF-8 without one")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SystemExit(f"input is not valid JSON: {error}") from None
    except (ValueError, RecursionError):  # a number with thousands of digits, or deep nesting
        raise SystemExit("input is not JSON this tool can read (a number too long, or nesting too deep)") from None


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)  # exits 2 on a bad flag
    if args.schema:
        print(json.dumps(schema(), indent=2))
        return 0
    flags = {f.key: getattr(args, f.key) for f in FIELDS if getattr(args, f.key) is not None}
    try:
        if flags and args.file:
            raise SystemExit("give a JSON file or field flags, not both")
        inputs = flags if flags else _read_json(args.file)
        result = assess(inputs)
    except SystemExit as stop:
        print(f"python -m calc: {stop.code}", file=sys.stderr)
        return 2
    except ValidationError as error:
        for problem in error.errors:
            print(f"{problem['field']}: {problem['message']}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
