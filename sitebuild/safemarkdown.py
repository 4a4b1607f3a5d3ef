"""Markdown that cannot carry script, even with raw HTML off.

Two Markdown features can still put live attributes into a page:
  - attr_list: `{: onclick="..." }` or `{: style="..." }` after a paragraph or heading;
  - links and images: `[x](javascript:...)`, `![x](data:...)`, `[x][ref]` with
    `[ref]: javascript:...`.
This extension allows only #id and .class in attribute lists, and only http,
https, mailto and relative URLs, and raises Unsafe for anything else. The
Content-Security-Policy would stop most of it running; this stops it being
published at all.
"""

import html
import re

from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, STX, ETX

ALLOWED_ATTRIBUTES = {"id", "class", "."}  # "." is attr_list's key for a .class word
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = ("href", "src")
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Python-Markdown's placeholder for a backslash-escaped character, undone last.
ESCAPED = re.compile(f"{STX}([0-9]+){ETX}")


class Unsafe(Exception):
    """Something in the Markdown that could carry script. `needle` is text to
    find in the source, to say on which line."""

    def __init__(self, message, needle):
        super().__init__(message)
        self.needle = needle


def url_scheme(url):
    """The scheme a browser would see in an attribute's value, lower-case, or None
    for a relative URL. Browsers decode character references and drop tabs and
    newlines anywhere and control characters and spaces at the ends, so this
    does too: '&#106;ava&#9;script:' is javascript."""
    text = html.unescape(url.replace(AMP_SUBSTITUTE, "&"))
    text = re.sub(r"[\t\n\r]", "", text).strip("".join(map(chr, range(0x21))))
    match = SCHEME.match(text)
    return match.group(1).lower() if match else None


class OnlyIdsAndClasses(AttrListTreeprocessor):
    """attr_list, refusing every attribute but id and class."""

    def assign_attrs(self, elem, attrs_string, *, strict=False):
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if not (strict and remainder):  # otherwise attr_list leaves the text as it is
            for key, _ in attrs:
                if key not in ALLOWED_ATTRIBUTES:
                    raise Unsafe(f"the attribute '{key}' is not allowed in {{: }} (only #id and .class are)",
                                 attrs_string)
        return super().assign_attrs(elem, attrs_string, strict=strict)


class SafeUrls(Treeprocessor):
    """Refuses a link or image whose URL has a scheme other than http, https or mailto."""

    def run(self, root):
        for elem in root.iter():
            for attribute in URL_ATTRIBUTES:
                value = elem.get(attribute)
                if value is None:
                    continue
                scheme = url_scheme(ESCAPED.sub(lambda m: chr(int(m.group(1))), value))
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    what = "an image" if elem.tag == "img" else "a link"
                    raise Unsafe(f"{what} to a '{scheme}:' URL is not allowed (only http, https, mailto "
                                 "and relative URLs are)",
                                 ESCAPED.sub(lambda m: "\\" + chr(int(m.group(1))), value))


class SafeMarkdown(Extension):
    """Load after attr_list: it replaces attr_list's tree processor."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(OnlyIdsAndClasses(md), "attr_list", 8)
        # after every processor that sets attributes, before escapes are undone (0)
        md.treeprocessors.register(SafeUrls(md), "safe_urls", 1)
