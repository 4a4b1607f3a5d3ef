#!/usr/bin/env python3
"""An editor's check of the articles: is each one finished writing?

    make check-content      (or .venv/bin/python -m scripts.check_content [CONTENT_DIR])

The series' own standard, not a rule of the build: a draft, or the README's
short example, builds and previews fine, and fails only this. Each page needs
at least 600 words, a References section with at least 4 DOI links, and no
[[marker]] left in its text.
"""

import re
import sys
from pathlib import Path

from sitebuild import BuildError
from sitebuild.articles import read_pages

ROOT = Path(__file__).resolve().parent.parent

MIN_WORDS = 600
MIN_DOIS = 4


def problems(page):
    """What keeps one page from being finished, as sentences."""
    found = []
    if page.words < MIN_WORDS:
        found.append(f"{page.words} words, fewer than {MIN_WORDS}")
    if "References" not in page.body:
        found.append("no References section")
    dois = len(re.findall(r"https://doi\.org/", page.body))
    if dois < MIN_DOIS:
        found.append(f"{dois} DOI links, fewer than {MIN_DOIS}")
    text = "".join(html for kind, html in page.segments if kind == "html")  # includes taken out
    leftover = re.findall(r"\[\[[^\]]*\]\]", text)
    if leftover:
        found.append(f"a marker left in the text: {leftover[0]}")
    return found


def main(argv):
    folder = Path(argv[0]) if argv else ROOT / "content"
    try:
        pages = read_pages(folder)
    except BuildError as error:
        print(f"check-content: {error}", file=sys.stderr)
        return 1
    failed = 0
    for page in pages:
        for problem in problems(page):
            print(f"{page.source}: {problem}", file=sys.stderr)
            failed += 1
    if failed:
        return 1
    print(f"check-content: all {len(pages)} pages are finished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
