"""The one HTML reader of the tests: a built page's tags and attributes, and the
rows of its points table."""

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, {attribute: value}) of every start tag, in order
        self.rows = []  # each points-table row: [data-factor, text of each cell]
        self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "tr" and "data-factor" in a:
            self._row = [a["data-factor"]]
        if tag == "td" and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def attribute(self, name):
        return [a[name] for _, a in self.tags if a.get(name) is not None]

    @property
    def hrefs(self):
        """(tag, rel, href) of every element with an href."""
        return [(tag, a.get("rel"), a["href"]) for tag, a in self.tags if "href" in a]

    @property
    def links(self):
        """Every href and src, in order."""
        return [a[key] for _, a in self.tags for key in ("href", "src") if key in a]

    @property
    def ids(self):
        return self.attribute("id")

    @property
    def form_names(self):
        return [a["name"] for tag, a in self.tags if tag in ("input", "select") and "name" in a]

    @property
    def form_values(self):
        """(control name, value) of inputs with a value, and ("option", value) of options."""
        return [(a["name"], a["value"]) if tag != "option" else ("option", a.get("value"))
                for tag, a in self.tags
                if tag == "option" or (tag in ("input", "select") and "name" in a and "value" in a)]

    @property
    def meta(self):
        return {a.get("property") or a.get("name"): a.get("content") for tag, a in self.tags if tag == "meta"}

    @property
    def canonical(self):
        return next((a["href"] for tag, a in self.tags if tag == "link" and a.get("rel") == "canonical"), None)


def parse(path):
    page = Page()
    page.feed(path.read_text())
    page.close()
    return page
