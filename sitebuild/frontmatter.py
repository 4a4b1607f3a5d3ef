"""The front matter block at the top of an article, between two '---' lines.

Every key has a parser: a callable taking the value's text and returning the
value, or raising ValueError with the rule it broke ("must be ..."). The
splitter adds the file, line and key, so every mistake reads the same way:
    content/x.md:4: 'date' must be a date like 2026-11-21, not '2026-13-40'
(Pelican's metadata processors work the same way.)
"""

import datetime as dt
import re
import unicodedata

from . import BuildError

# Lines end at "\n" (or "\r\n", or a lone "\r") and nowhere else: str.splitlines()
# also breaks at a form feed and other separators, and then every line number
# after one is wrong.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lines_of(source):
    return LINE_BREAK.split(source)


def text(value):
    control = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if control is not None:  # invisible, and not allowed in XML: feed.xml would not parse
        raise ValueError(f"must not contain a control character (U+{ord(control):04X})")
    return value


def date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date like 2026-11-21") from None


def whole_number(value):
    try:
        return int(value)
    except ValueError:
        raise ValueError("must be a whole number") from None


def true_or_false(value):
    if value.lower() in ("true", "yes"):
        return True
    if value.lower() in ("false", "no"):
        return False
    raise ValueError("must be true or false")


# key: (required, parser)
KEYS = {
    "title": (True, text),
    "description": (True, text),
    "date": (True, date),
    "slug": (False, text),
    "order": (False, whole_number),
    "calculator": (False, true_or_false),
    "updated": (False, date),
    "raw_html": (False, true_or_false),
}


def split(path, source, keys=KEYS):
    """({key: value}, Markdown body, line number where the body starts) of a page's text."""
    lines = lines_of(source)
    if not lines or lines[0].strip() != "---":
        raise BuildError(f"{path}:1: a page must start with front matter between '---' lines")
    meta = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            body = "\n".join(lines[number:])
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or not key:
            raise BuildError(f"{path}:{number}: expected 'key: value', got {line.strip()!r}")
        if key not in keys:
            raise BuildError(f"{path}:{number}: unknown front matter key '{key}' (known: {', '.join(keys)})")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        try:
            meta[key] = keys[key][1](value)
        except ValueError as error:
            raise BuildError(f"{path}:{number}: '{key}' {error}, not {value!r}") from None
    else:
        raise BuildError(f"{path}:1: front matter is not closed with a '---' line")
    for key, (required, _) in keys.items():
        if required and key not in meta:
            raise BuildError(f"{path}:1: front matter needs '{key}'")
    return meta, body, number + 1
