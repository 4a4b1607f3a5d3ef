#!/usr/bin/env python3
"""An editor's check of the articles: is each one finished writing?

    make check-content      (or .venv/bin/python scripts/check_content.py [CONTENT_DIR] [--claims REGISTER])

The series' own standard, not a rule of the build: a draft, or the README's
short example, builds and previews fine, and fails only this. Each page needs
at least 600 words, a References section with at least 4 DOI links, and no
[[marker]] left in its text. Every DOI a page cites must also appear in the
register of medical claims (docs/claims.md, or the file given with --claims),
so that no source reaches an article without a checked row.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitebuild import BuildError  # noqa: E402
from sitebuild.articles import read_pages  # noqa: E402

MIN_WORDS = 600
MIN_DOIS = 4
CLAIMS = ROOT / "docs" / "claims.md"
# A DOI as written in a link or in text: "10." and a registrant code, a slash, then
# anything up to a space, a quote (the end of an HTML attribute) or an angle or
# square bracket (the end of a link). A DOI may hold parentheses, as in
# 10.1016/S0140-6736(18)32112-3, so a closing one is dropped only when unmatched;
# trailing full stops and commas belong to the sentence, not the DOI.
DOI = re.compile(r"\b10\.\d{4,9}/[^\s<>\[\]\"']+")


def _trim(doi):
    while True:
        if doi[-1] in ".,;:":
            doi = doi[:-1]
        elif doi.endswith(")") and doi.count(")") > doi.count("("):
            doi = doi[:-1]
        else:
            return doi


def dois(text):
    """The DOIs cited in a text, lower-cased (DOIs are case-insensitive), in order, once each."""
    return list(dict.fromkeys(_trim(m.group(0)).lower() for m in DOI.finditer(text)))


def problems(page, register=None):
    """What keeps one page from being finished, as sentences.

    `register` is the text of the claims register; when given, every DOI the
    page cites must appear in it.
    """
    found = []
    if page.words < MIN_WORDS:
        found.append(f"{page.words} words, fewer than {MIN_WORDS}")
    if "References" not in page.body:
        found.append("no References section")
    links = len(re.findall(r"https://doi\.org/", page.body))
    if links < MIN_DOIS:
        found.append(f"{links} DOI links, fewer than {MIN_DOIS}")
    text = "".join(html for kind, html in page.segments if kind == "html")  # includes taken out
    leftover = re.findall(r"\[\[[^\]]*\]\]", text)
    if leftover:
        found.append(f"a marker left in the text: {leftover[0]}")
    if register is not None:
        known = set(dois(register))
        for doi in dois(page.body):
            if doi not in known:
                found.append(f"DOI {doi} is not in the claims register")
    return found


def main(argv):
    args = list(argv)
    claims = CLAIMS
    if "--claims" in args:
        i = args.index("--claims")
        if i + 1 >= len(args):
            print("check-content: --claims needs the path of the register", file=sys.stderr)
            return 2
        claims = Path(args[i + 1])
        del args[i:i + 2]
    folder = Path(args[0]) if args else ROOT / "content"
    try:
        pages = read_pages(folder)
    except BuildError as error:
        print(f"check-content: {error}", file=sys.stderr)
        return 1
    try:
        register = claims.read_text(encoding="utf-8")
    except OSError as error:
        print(f"check-content: cannot read the claims register {claims}: {error.strerror}", file=sys.stderr)
        return 1
    failed = 0
    for page in pages:
        for problem in problems(page, register):
            print(f"{page.source}: {problem}", file=sys.stderr)
            failed += 1
    if failed:
        return 1
    print(f"check-content: all {len(pages)} pages are finished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
