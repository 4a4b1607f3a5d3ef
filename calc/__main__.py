"""python -m calc: score inputs from the command line.

    python -m calc inputs.json          # one JSON object from a file
    echo '{"age": 67}' | python -m calc  # or from standard input
    python -m calc --age 67 --sex female --vitamin-d 18
    python -m calc --schema             # the field table as JSON

Prints the result as JSON. On bad input, prints one line per problem to
standard error and exits with status 2.
"""

import json
import sys

from . import ValidationError, assess, schema

USAGE = "usage: python -m calc [FILE | --schema | --FIELD VALUE ...]"


def _flags(args):
    """--age 67 --vitamin-d=18 -> {"age": "67", "vitamin_d": "18"}."""
    inputs = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--") or arg == "--":
            raise SystemExit(f"{USAGE}\nunexpected argument: {arg}")
        name, eq, value = arg[2:].partition("=")
        if not eq:
            if i + 1 >= len(args):
                raise SystemExit(f"{USAGE}\n--{name} needs a value")
            i += 1
            value = args[i]
        inputs[name.replace("-", "_")] = value
        i += 1
    return inputs


def _read_json(path):
    try:
        text = sys.stdin.read() if path is None else open(path, encoding="utf-8").read()
    except OSError as error:
        raise SystemExit(f"cannot read {path}: {error.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SystemExit(f"input is not valid JSON: {error}") from None


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    if args == ["--schema"]:
        print(json.dumps(schema(), indent=2))
        return 0
    try:
        if args and args[0].startswith("--"):
            inputs = _flags(args)
        elif len(args) <= 1:
            inputs = _read_json(args[0] if args else None)
        else:
            raise SystemExit(USAGE)
    except SystemExit as stop:
        print(stop.code, file=sys.stderr)
        return 2
    try:
        result = assess(inputs)
    except ValidationError as error:
        for problem in error.errors:
            print(f"{problem['field']}: {problem['message']}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
