"""Every id in a page once: a heading "Result" in an article must not take over
the calculator's #result. The build rejects a page with a duplicate id, naming
the article's line that made it (or the template, when the template did)."""

import re
from collections import Counter
from html.parser import HTMLParser

from markdown.extensions.toc import slugify


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)


def ids_in(html):
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return parser.ids


def duplicate_ids(html):
    """Ids used more than once in `html`, in order of first use."""
    counts = Counter(ids_in(html))
    return [name for name, count in counts.items() if count > 1]


def line_of_id(source, first_line, name):
    """The line of the Markdown `source` that gives an element the id `name`:
    an attribute list ({: #name } or id=name), or a heading whose text the toc
    extension turns into that id. None if there is none."""
    lines = source.splitlines()
    explicit = re.compile(r"\{[^}]*(#|\bid=[\"']?)" + re.escape(name) + r"(?![\w-])")
    for number in range(first_line, len(lines) + 1):
        if explicit.search(lines[number - 1]):
            return number
    for number in range(first_line, len(lines) + 1):
        line = lines[number - 1]
        following = lines[number] if number < len(lines) else ""
        if line.lstrip().startswith("#"):
            text = line.strip().lstrip("#").rstrip("#").strip()
        elif line.strip() and re.fullmatch(r"\s*(=+|-+)\s*", following):
            text = line.strip()  # a setext heading, underlined
        else:
            continue
        if slugify(re.sub(r"\{[^}]*\}\s*$", "", text), "-") == name:
            return number
    return None
