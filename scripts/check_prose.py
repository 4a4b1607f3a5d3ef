#!/usr/bin/env python3
"""Readability figures for the article pages: a writing aid, not a test.

For each content/*.md page (or the files named on the command line) this prints
the number of words of prose, a Flesch-Kincaid reading grade and the longest
sentences, flagging any over the limit (30 words unless --limit says otherwise).

    python3 -m scripts.check_prose [--limit N] [--top N] [FILE ...]

What counts as prose: everything after the front matter and before the
"## References" heading, without the [[include]] markers. Headings, list items,
table cells and paragraphs each end a sentence, so a table or a heading never
runs into the text that follows it. Links keep their text and lose their
address. The syllable count is a simple heuristic (vowel groups, with a few
corrections for English spelling), so treat the grade as a guide, not a fact.

Flesch-Kincaid grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59

Standard library only. Exit status is 0 whatever the figures are.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LIMIT = 30

# Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = {"al", "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "fig", "approx", "cf"}
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def prose_part(text):
    text = strip_front_matter(text)
    match = re.search(r"^##\s+References\s*$", text, flags=re.M)
    return text[:match.start()] if match else text


def inline_plain(text):
    """Markdown inline syntax to plain text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)    # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)      # links
    text = re.sub(r"<https?://[^>]*>", " ", text)             # autolinks
    text = re.sub(r"\[\[[a-z0-9-]+\]\]", " ", text)           # includes
    text = re.sub(r"[*_`]+", "", text)                        # emphasis, code
    return re.sub(r"\s+", " ", text).strip()


def blocks(text):
    """The page as (kind, text) blocks: heading, paragraph, item or cell."""
    out, current, kind = [], [], None

    def flush():
        nonlocal current, kind
        if current:
            out.append((kind, inline_plain(" ".join(current))))
        current, kind = [], None

    for line in text.splitlines():
        stripped = re.sub(r"^(>\s?)+", "", line.strip()).strip()  # blockquotes read as plain text
        if not stripped:
            flush()
            continue
        if stripped.startswith("#"):
            flush()
            out.append(("heading", inline_plain(stripped.lstrip("#"))))
            continue
        if stripped.startswith("|"):
            flush()
            if re.fullmatch(r"\|[\s:|-]+\|?", stripped):
                continue  # the line under a table's header
            for cell in stripped.strip("|").split("|"):
                if cell.strip():
                    out.append(("cell", inline_plain(cell)))
            continue
        item = re.match(r"(?:[-*+]|\d+\.)\s+(.*)", stripped)
        if item:
            flush()
            kind, current = "item", [item.group(1)]
            continue
        if kind is None:
            kind = "paragraph"
        current.append(stripped)
    flush()
    return [(k, t) for k, t in out if t]


def sentences(text):
    """Split one block into sentences."""
    pieces, start = [], 0
    for match in re.finditer(r"[.!?]+[\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])", text):
        before = text[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in ABBREVIATIONS:
            continue  # "et al. 2007", "e.g. this"
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if WORD.search(p)]


def words(text):
    return WORD.findall(text)


def syllables(word):
    """A heuristic count of a word's syllables."""
    if re.fullmatch(r"[\d'’.,\-]+", word):
        return max(1, len(re.sub(r"\D", "", word)) // 2)  # a number: a rough guess
    if word.isupper() and 2 <= len(word) <= 4 and word.isalpha():
        return len(word)  # an abbreviation read letter by letter, like "CRP"
    total = 0
    for part in re.split(r"[-'’]", word.lower()):
        letters = re.sub(r"[^a-z]", "", part)
        if not letters:
            continue
        count = len(re.findall(r"[aeiouy]+", letters))
        if count > 1 and letters.endswith("e") and not letters.endswith(("le", "ee", "ye")):
            count -= 1  # silent final e: "bone", "make"
        elif count > 1 and re.search(r"[^aeiouydt]ed$", letters):
            count -= 1  # "-ed" said without a vowel: "lowered", "stopped"
        elif count > 1 and re.search(r"[^aeiouysxzcgh]es$", letters):
            count -= 1  # "-es" said without a vowel: "bones", "makes"
        count += len(re.findall(r"[^tscgx](?:ia|io|iu|ua|uo)", letters))  # "bacteria", "period"
        total += max(1, count)
    return max(1, total)


def analyse(path):
    text = prose_part(path.read_text(encoding="utf-8"))
    all_words = []
    graded = []  # (sentence, words) for the grade: headings are left out
    for kind, block in blocks(text):
        all_words += words(block)
        if kind == "heading":
            continue
        for sentence in sentences(block):
            graded.append((sentence, words(sentence)))
    n_words = sum(len(w) for _, w in graded)
    n_sentences = len(graded)
    n_syllables = sum(syllables(word) for _, ws in graded for word in ws)
    grade = 0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words - 15.59 if n_words else 0.0
    return {
        "words": len(all_words),
        "sentences": n_sentences,
        "words_per_sentence": n_words / n_sentences if n_sentences else 0.0,
        "grade": grade,
        "longest": sorted(graded, key=lambda s: -len(s[1])),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=LIMIT, help="flag sentences longer than this (words)")
    parser.add_argument("--top", type=int, default=3, help="how many of the longest sentences to show")
    args = parser.parse_args(argv)
    files = args.files or sorted(CONTENT.glob("*.md"))
    rows = []
    for path in files:
        result = analyse(path)
        rows.append((path, result))
        over = [s for s in result["longest"] if len(s[1]) > args.limit]
        print(f"{path.name}")
        print(f"  words {result['words']}, sentences {result['sentences']}, "
              f"words per sentence {result['words_per_sentence']:.1f}, "
              f"reading grade {result['grade']:.1f}, over {args.limit} words: {len(over)}")
        shown = over if len(over) > args.top else result["longest"][:args.top]
        for sentence, ws in shown:
            flag = "  OVER" if len(ws) > args.limit else "      "
            print(f"  {flag} {len(ws):3d}  {sentence[:160]}{'...' if len(sentence) > 160 else ''}")
    print()
    print(f"{'page':48} {'words':>6} {'grade':>6} {'>' + str(args.limit):>5}")
    for path, result in rows:
        over = sum(1 for s in result["longest"] if len(s[1]) > args.limit)
        print(f"{path.stem:48} {result['words']:6d} {result['grade']:6.1f} {over:5d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
