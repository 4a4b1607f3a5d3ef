"""The built site as a whole: links, feed, sitemap, metadata, and the points table."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlparse

import pytest

import build
import calc
from calc import view
from sitebuild import articles, calcview
from tests.htmlparse import parse

BASE = "https://example.org/bones/"


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    """The real content, built for a GitHub Pages project site under /bones/
    (the pages only: nothing here needs the calculator to start)."""
    out = tmp_path_factory.mktemp("project") / "_site"
    pages = build.build(out, base_url=BASE, bundle=False)
    return out, pages


def local_target(site, url_path):
    """The file a site-relative URL path serves, or None."""
    assert url_path.startswith("/bones/"), url_path
    rel = url_path[len("/bones/"):]
    target = site / rel
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def crawl(site):
    """Every page reachable from the index by internal links, and every broken link."""
    seen, broken = set(), []
    queue = ["/bones/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        path = local_target(site, url)
        if path is None or path.suffix != ".html":
            continue
        for link in parse(path).links:
            absolute = urljoin("https://example.org" + url, link)
            parsed = urlparse(absolute)
            if parsed.netloc != "example.org":
                continue  # another site: a citation, not ours to check
            if local_target(site, parsed.path) is None:
                broken.append((url, link))
            elif parsed.path.endswith("/") or parsed.path.endswith(".html"):
                queue.append(parsed.path)
    return seen, broken


def test_no_broken_internal_links_and_every_page_is_reachable(project_site):
    site, pages = project_site
    seen, broken = crawl(site)
    assert broken == []
    for page in pages:
        assert f"/bones/{page.url}" in seen, page.slug
    assert len(pages) >= 6


def test_atom_feed(project_site):
    site, pages = project_site
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(pages)
    links = {e.find("a:link", ns).get("href") for e in entries}
    assert links == {BASE + p.url for p in pages}
    for entry in entries:
        assert entry.find("a:title", ns).text and entry.find("a:summary", ns).text
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.find("a:updated", ns).text)
    assert feed.find("a:link[@rel='self']", ns).get("href") == BASE + "feed.xml"


def test_sitemap(project_site):
    site, pages = project_site
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.find("s:loc", ns).text for u in ET.parse(site / "sitemap.xml").getroot()]
    assert sorted(locs) == sorted([BASE] + [BASE + p.url for p in pages])


def test_every_page_has_description_canonical_and_open_graph(project_site):
    site, pages = project_site
    for page in pages:
        html = site / page.slug / "index.html"
        parsed = parse(html)
        assert parsed.canonical == BASE + page.url
        assert parsed.meta["description"] == page.meta["description"]
        assert parsed.meta["og:title"].startswith(page.meta["title"])
        assert parsed.meta["og:url"] == BASE + page.url
        assert parsed.meta["og:type"] == "article"
        text = html.read_text()
        assert f"{page.reading_minutes} min read" in text
        assert page.meta["date"].isoformat() in text


def test_the_404_page_and_github_pages_marker(project_site):
    site, pages = project_site
    html = (site / "404.html").read_text()
    assert "could not find" in html
    for page in pages:
        assert f'href="/bones/{page.url}"' in html
    assert (site / ".nojekyll").exists()


def test_long_pages_get_a_table_of_contents(project_site):
    site, pages = project_site
    for page in pages:
        html = (site / page.slug / "index.html").read_text()
        assert ('class="page-toc"' in html) == (page.words >= articles.TOC_MIN_WORDS and bool(page.toc_tokens))
    assert any(p.words >= articles.TOC_MIN_WORDS for p in pages)


def test_series_pages_link_to_previous_and_next(project_site):
    site, pages = project_site
    series = [p for p in pages if "order" in p.meta]
    for before, after in zip(series, series[1:]):
        assert f'rel="next" class="series-next" href="/bones/{after.url}"' in (site / before.slug / "index.html").read_text()
        assert f'rel="prev" href="/bones/{before.url}"' in (site / after.slug / "index.html").read_text()


# docs/model.md's points table (model v2), written out by hand: (factor, what counts, points).
EXPECTED_ROWS = [
    ("age", "under 40", 0), ("age", "40 to 49", 3), ("age", "50 to 59", 6), ("age", "60 to 69", 10),
    ("age", "70 to 79", 14), ("age", "80 and over", 18),
    ("menopause", "after menopause", 8), ("menopause", "menopause before 45", 12),
    ("bmi", "below 18.5", 8), ("bmi", "18.5 to under 30", 0), ("bmi", "30 or more", 3),
    ("smoking", "light smoker", 5), ("smoking", "moderate smoker", 5), ("smoking", "heavy smoker", 5),
    ("alcohol", "3 to 6 units a day", 5), ("alcohol", "7 to 9 units a day", 5),
    ("alcohol", "more than 9 units a day", 5),
    ("corticosteroids", "Regular steroid tablets", 10),
    ("inflammatory_condition", "Rheumatoid arthritis or lupus or Crohn's, colitis or coeliac disease (counted once)", 10),
    ("prior_fracture", "Previous fracture", 15),
    ("parent_history", "Parent with osteoporosis", 6),
    ("exercise", "none (exactly 0 minutes a week)", 10),
    ("exercise", "more than 0 and under 75 minutes a week", 7),
    ("exercise", "75 to under 150 minutes a week", 4), ("exercise", "150 minutes a week or more", 0),
    ("rankl", "up to the upper limit", 0), ("rankl", "more than 1 and up to 2 times the limit", 6),
    ("rankl", "more than 2 and up to 4 times the limit", 9), ("rankl", "more than 4 times the limit", 12),
    ("tnf_alpha", "up to the upper limit", 0), ("tnf_alpha", "more than 1 and up to 2 times the limit", 5),
    ("tnf_alpha", "more than 2 and up to 4 times the limit", 8), ("tnf_alpha", "more than 4 times the limit", 10),
    ("il6", "up to the upper limit", 0), ("il6", "more than 1 and up to 2 times the limit", 5),
    ("il6", "more than 2 and up to 4 times the limit", 8), ("il6", "more than 4 times the limit", 10),
    ("vitamin_d", "under 12 ng/mL (about 30 nmol/L)", 16),
    ("vitamin_d", "12 to under 20 ng/mL (about 30 to 50 nmol/L)", 10),
    ("vitamin_d", "20 ng/mL (about 50 nmol/L) or more", 0),
    ("crp", "under 1 mg/L", 0), ("crp", "1 to 3 mg/L", 3), ("crp", "above 3 mg/L", 6),
]


def test_the_points_table_says_what_the_model_says(project_site):
    site, _ = project_site
    rows = parse(site / "how-the-calculator-works" / "index.html").rows
    assert [(r[0], r[1], int(r[2])) for r in rows] == EXPECTED_ROWS
    levels = "Levels: under 20 low; 20 to 39 moderate; 40 to 59 high; 60 and over very high."
    assert levels in (site / "how-the-calculator-works" / "index.html").read_text()


def test_the_licence_notice_is_on_the_method_page(project_site):
    site, _ = project_site
    html = (site / "how-the-calculator-works" / "index.html").read_text()
    assert calc.QFRACTURE_DISCLAIMER.replace("'", "&#39;") in html


def test_the_page_reads_a_links_yes_and_no_as_calc_does():
    # calculator.js ticks a box from a shared link only for the words the page is given;
    # each must be one calc reads the same way, and a word it refuses must not be among them
    labels = json.loads(calcview.calculator_view(view.points_table())["labels_json"])
    person = {"age": "70", "sex": "female", "height": "160", "weight": "60"}

    def answered(word):
        return calc.assess({**person, "falls": word})["qfracture"]

    assert answered("yes") != answered("no")  # the answer changes the result, so the checks below can fail
    for word in labels["true_words"]:
        assert answered(word.upper()) == answered("yes"), word
    for word in labels["false_words"]:
        assert answered(word) == answered("no"), word
    assert {"yes", "no", "true", "false"} <= set(labels["true_words"]) | set(labels["false_words"])
    for refused in ("maybe", "y", "2"):
        assert refused not in labels["true_words"] + labels["false_words"]
        with pytest.raises(calc.ValidationError):
            calc.assess({**person, "falls": refused})
