"""Articles: each content/*.md file becomes a Page (front matter + Markdown + includes)."""

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from . import BuildError, frontmatter
from .layout import HASHED
from .safemarkdown import SafeMarkdown, Unsafe

# The site's own folders (static/, pyodide/, calc/, snapshot/): their files are served as never
# changing, so a page there could never be corrected. No article may take one of their names.
RESERVED_SLUGS = tuple(folder.rstrip("/") for folder in HASHED)

WORDS_PER_MINUTE = 220
TOC_MIN_WORDS = 1200  # pages at least this long get a table of contents
# A paragraph holding only [[name]] is replaced by the template partials/name.html.
INCLUDE = re.compile(r"<p>\[\[([a-z][a-z0-9-]*)\]\]</p>")
INCLUDES = ("calculator", "points-table", "qfracture-notice")


@dataclass
class Page:
    source: Path
    meta: dict
    body: str  # rendered HTML
    toc: str
    toc_tokens: list
    words: int
    segments: list = field(default_factory=list)  # ("html", text) or ("include", name)
    body_line: int = 1  # the source line where the Markdown starts, after the front matter
    slug: str = ""
    url: str = ""
    previous: "Page | None" = None
    next: "Page | None" = None

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def render_markdown(text, allow_html):
    """(HTML, table of contents, its tokens); raises Unsafe for Markdown that could carry script."""
    md = markdown.Markdown(
        extensions=["tables", "toc", "footnotes", "attr_list", "sane_lists", "smarty", SafeMarkdown()],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
        output_format="html",
    )
    if not allow_html:
        # Raw HTML in a page is escaped unless its front matter says raw_html: true.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    body = md.convert(text)
    return body, md.toc, md.toc_tokens


def split_includes(path, source, body):
    """The body as ("html", text) and ("include", name) segments, in order."""
    parts = INCLUDE.split(body)
    segments = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if part.strip():
                segments.append(("html", part))
        elif part in INCLUDES:
            segments.append(("include", part))
        else:
            line = 1 + source.split(f"[[{part}]]")[0].count("\n")
            raise BuildError(f"{path}:{line}: unknown include [[{part}]] (known: {', '.join(INCLUDES)})")
    return segments


def line_of(source, needle, first_line):
    """The line of `needle` in the body (which starts at `first_line`), or that first line."""
    start = sum(len(line) + 1 for line in source.split("\n")[: first_line - 1])
    found = source.find(needle, start)
    return source.count("\n", 0, found) + 1 if found >= 0 else first_line


def read_source(path):
    """The article's text: UTF-8, with or without a byte order mark; anything
    else is a build error that names the line of the first byte that is not."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BuildError(f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x}); "
                         "save the file as UTF-8") from None


def slug_line(source, first_line):
    """The line of the front matter's 'slug:' key, or 1 (the slug is the file's name)."""
    for number, line in enumerate(source.split("\n")[: first_line - 1], start=1):
        if line.strip().startswith("slug:"):
            return number
    return 1


def read_page(path):
    source = read_source(path)
    meta, text, first_line = frontmatter.split(path, source)
    try:
        body, toc, toc_tokens = render_markdown(text, meta.get("raw_html", False))
    except Unsafe as error:
        raise BuildError(f"{path}:{line_of(source, error.needle, first_line)}: {error}") from None
    words = len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", body)))
    page = Page(path, meta, body, toc, toc_tokens, words, body_line=first_line)
    page.segments = split_includes(path, source, body)
    names = [text for kind, text in page.segments if kind == "include"]
    if meta.get("calculator") and "calculator" not in names:
        page.segments.append(("include", "calculator"))  # no marker: the calculator goes last
    if "calculator" in names:
        meta["calculator"] = True
    page.slug = meta.get("slug") or path.stem
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", page.slug):
        raise BuildError(f"{path}:{slug_line(source, first_line)}: slug {page.slug!r} must be lower-case "
                         "letters, digits and dashes")
    if page.slug in RESERVED_SLUGS:  # its page would be served as a file that never changes, for good
        raise BuildError(f"{path}:{slug_line(source, first_line)}: slug {page.slug!r} is the name of the "
                         f"site's own folder {page.slug}/; choose another")
    page.url = f"{page.slug}/"
    return page


def read_pages(folder, cache=None):
    """Every *.md in `folder`, in series order, with previous/next links set.

    cache: a dict kept by a caller that builds again and again (the live
    preview), so that only the articles that changed are read again."""
    pages = [read_page(p) if cache is None else _cached(p, cache) for p in sorted(Path(folder).glob("*.md"))]
    slugs = {}
    for page in pages:
        if page.slug in slugs:
            raise BuildError(f"{page.source}:1: slug '{page.slug}' is also used by {slugs[page.slug]}")
        slugs[page.slug] = page.source
    pages.sort(key=lambda p: (p.meta.get("order", 1000), p.meta["date"], p.slug))
    for page in pages:
        page.previous = page.next = None  # a cached page may have been linked to a page now gone
    series = [p for p in pages if "order" in p.meta]
    for before, after in zip(series, series[1:]):
        before.next, after.previous = after, before
    return pages


def _cached(path, cache):
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in cache:
        for old in [k for k in cache if k[0] == path]:
            del cache[old]
        cache[key] = read_page(path)
    return cache[key]
