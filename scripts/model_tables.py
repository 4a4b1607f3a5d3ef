#!/usr/bin/env python3
"""Write calc's tables into docs/model.md, between <!-- table:NAME --> markers.

The tables (inputs, points, levels, finding codes) are data in calc; this
script renders them so the document can never disagree with the code.
tests/test_docs.py fails when docs/model.md is out of date.

    python scripts/model_tables.py          # rewrite docs/model.md in place
    python scripts/model_tables.py --check  # exit 1 if it is out of date
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc import FIELDS, view  # noqa: E402
from calc.score import FACTORS  # noqa: E402
from calc.text import ranges_text  # noqa: E402

DOC = ROOT / "docs" / "model.md"
MARKER = re.compile(r"(<!-- table:(\w+) -->\n)(.*?)(<!-- end -->)", re.S)


def _allowed(f):
    if f.kind == "choice":
        return ", ".join(f"`{v}`" for v, _ in f.choices)
    if f.kind == "boolean":
        return "yes / no"
    return ranges_text(f)


def inputs_table():
    rows = ["| key | kind | allowed | default | notes |", "|---|---|---|---|---|"]
    for f in FIELDS:
        notes = []
        if f.unit_required:
            notes.append(f"needs `{f.unit_field}`")
        if f.kind == "lab":
            notes.append("a bound `<x` or `>x` is allowed")
        if f.sex:
            notes.append(f"{f.sex} only")
        if f.limit_of:
            notes.append(f"upper limit for `{f.limit_of}`, in its unit")
        default = "" if f.default in (None, False) else f"`{f.default}`"
        rows.append(f"| `{f.key}` | {f.kind} | {_allowed(f)} | {default} | {'; '.join(notes)} |")
    return "\n".join(rows)


def points_table():
    rows = ["| factor | what counts | points |", "|---|---|---|"]
    for item in view.points_table():
        for label, points in item["rows"]:
            rows.append(f"| {item['label']} (`{item['key']}`) | {label} | {points} |")
    return "\n".join(rows)


def findings_table():
    rows = ["| factor | band or answer | finding code | level |", "|---|---|---|---|"]
    for factor in FACTORS:
        for hit in factor.bands or factor.choices or (factor,):
            shown = "yes" if factor.kind == "flag" else getattr(hit, "detail", "") or hit.label
            if hit.code:
                rows.append(f"| `{factor.key}` | {shown} | `{hit.code}` | {hit.level} |")
    return "\n".join(rows)


TABLES = {"inputs": inputs_table, "points": points_table, "levels": view.levels_text,
          "findings": findings_table}


def render(text):
    return MARKER.sub(lambda m: m.group(1) + TABLES[m.group(2)]() + "\n" + m.group(4), text)


def main(argv):
    text = DOC.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is out of date: run python scripts/model_tables.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
