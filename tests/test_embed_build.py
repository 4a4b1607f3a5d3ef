"""The embedded calculator as the build writes it: the snippet a writer pastes,
the script a host page loads, and the page inside the frame. The browser test
(tests/browser/test_embed.py) pastes the snippet into a page on another origin."""

import json
import subprocess
import urllib.request

import pytest

import build
from scripts.serve import Restartable
from sitebuild import BuildError, website
from tests.htmlparse import parse

PUBLIC = "https://Example.org:443/bones/"  # as a writer might type it: the browser's origin is https://example.org


@pytest.fixture(scope="module")
def public_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("public") / "_site"
    build.build(out, base_url=PUBLIC, bundle=False)
    return out


def tags(path, name):
    return [a for tag, a in parse(path).tags if tag == name]


def test_the_snippet_is_a_lazy_titled_frame_and_a_script_from_the_sites_own_address(public_site):
    snippet = public_site / "embed" / "snippet.html"
    (frame,) = tags(snippet, "iframe")
    (script,) = tags(snippet, "script")
    assert [tag for tag, _ in parse(snippet).tags] == ["iframe", "script"]  # nothing else to paste
    assert frame["src"] == PUBLIC + "embed/"
    assert frame["loading"] == "lazy"
    assert frame["title"] == "Bone health check: a calculator from Bone & Immunity"
    assert script["src"] == PUBLIC + "embed/host.js"
    assert "async" in script
    assert "<!--" not in snippet.read_text()  # a public address needs no warning


def test_a_snippet_for_this_computer_only_says_so(tmp_path):
    build.build(tmp_path / "out", base_url="http://127.0.0.1:8000/", bundle=False)
    text = (tmp_path / "out" / "embed" / "snippet.html").read_text()
    assert text.startswith("<!--") and "BASE_URL" in text and "this computer only" in text
    (frame,) = tags(tmp_path / "out" / "embed" / "snippet.html", "iframe")
    assert frame["src"] == "http://127.0.0.1:8000/embed/"


@pytest.mark.parametrize("base_url, origin", [
    ("https://Example.org:443/bones/", "https://example.org"),
    ("http://example.org:80/", "http://example.org"),
    ("http://127.0.0.1:8123/", "http://127.0.0.1:8123"),
    ("https://me.github.io/project/", "https://me.github.io"),
    ("http://[::1]:8000/", "http://[::1]:8000"),
])
def test_the_origin_is_written_as_a_browser_writes_it(base_url, origin):
    assert website.origin_of(base_url) == origin


@pytest.mark.parametrize("base_url", ["/", "example.org/", "ftp://example.org/"])
def test_a_base_url_that_is_not_an_address_is_a_build_error(base_url):
    with pytest.raises(BuildError, match="absolute http or https"):
        website.origin_of(base_url)


# The host script, run in Node with just enough of a page for it: two frames
# (ours and someone else's), and a list of messages; what each frame's height
# becomes is printed.
HOST_HARNESS = r"""
const listeners = [];
const window = { addEventListener: (type, fn) => type === "message" && listeners.push(fn) };
const frame = (src) => ({ src, style: {}, contentDocument: {}, addEventListener() {},
                           contentWindow: { postMessage() {} } });
const ours = frame(new URL(process.argv[2] + "embed/").href);  // a browser gives src normalised
const other = frame("https://elsewhere.example/widget/");
const document = { getElementsByTagName: () => [ours, other] };
globalThis.window = window;
globalThis.document = document;
require(process.argv[1]);
const results = [];
for (const [origin, source, data] of JSON.parse(process.argv[3])) {
  ours.style.height = other.style.height = "";
  const event = { origin, source: source === "ours" ? ours.contentWindow : other.contentWindow, data };
  listeners.forEach((fn) => fn(event));
  results.push([ours.style.height || null, other.style.height || null]);
}
console.log(JSON.stringify(results));
"""


def run_host_script(node, site, base_url, messages):
    script = site / "embed" / "host.js"
    copy = site.parent / "host.cjs"  # Node runs a .js file next to no package.json as CommonJS; say so
    copy.write_text(script.read_text())
    out = subprocess.run([node, "-e", HOST_HARNESS, str(copy), base_url, json.dumps(messages)],
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def test_the_host_script_resizes_only_its_frame_and_only_for_a_well_formed_height(node, public_site):
    low, high = website.EMBED_HEIGHTS
    site = "https://example.org"
    good = {"type": "bone-calc:height", "height": 1234}
    cases = [
        ([site, "ours", good], ["1234px", None]),                                 # the one thing it acts on
        (["https://example.org.evil.test", "ours", good], [None, None]),          # another origin
        (["http://example.org", "ours", good], [None, None]),                     # another scheme
        ([site, "other", good], [None, None]),                                    # not our frame's window
        ([site, "ours", {"type": "bone-calc:height", "height": "1234"}], [None, None]),        # not a number
        ([site, "ours", {"type": "bone-calc:height", "height": 12.5 + low}], [None, None]),    # not whole pixels
        ([site, "ours", {"type": "bone-calc:height", "height": low - 1}], [None, None]),       # too small
        ([site, "ours", {"type": "bone-calc:height", "height": high + 1}], [None, None]),      # too large
        ([site, "ours", {"type": "bone-calc:height", "height": low}], [f"{low}px", None]),
        ([site, "ours", {"type": "bone-calc:height", "height": high}], [f"{high}px", None]),
        ([site, "ours", {"type": "resize", "height": 900}], [None, None]),                      # another type
        ([site, "ours", {"type": "bone-calc:height", "height": 900, "age": 70}], [None, None]), # anything more
        ([site, "ours", [900]], [None, None]),
        ([site, "ours", "900"], [None, None]),
        ([site, "ours", None], [None, None]),
    ]
    results = run_host_script(node, public_site, PUBLIC, [message for message, _ in cases])
    assert results == [expected for _, expected in cases]


def test_the_frame_page_is_the_calculator_alone_with_the_sites_csp(public_site):
    embed = public_site / "embed" / "index.html"
    article = public_site / "inflammation-and-bone-loss" / "index.html"
    page, full = parse(embed), parse(article)
    csp = 'http-equiv="Content-Security-Policy"'
    meta = [line for line in embed.read_text().splitlines() if csp in line]
    assert meta and meta == [line for line in article.read_text().splitlines() if csp in line]
    assert "calculator" in page.ids and "result" in page.ids and "offline-status" in page.ids
    assert page.form_names == full.form_names  # the same form, from the same partial
    classes = " ".join(a.get("class", "") for _, a in page.tags)
    assert "site-header" not in classes and "site-nav" not in classes and "article" not in classes.split()
    assert page.meta["robots"] == "noindex"
    assert page.canonical == PUBLIC + "inflammation-and-bone-loss/"
    (share,) = page.attribute("data-share-url")
    assert share == "/bones/inflammation-and-bone-loss/"  # shared links open the article's calculator
    scripts = " ".join(page.attribute("src"))
    for name in ("js/calc-client.js", "js/calculator.js", "js/offline.js", "js/embed-frame.js"):
        assert name in scripts, name
    (title,) = [a for tag, a in page.tags if tag == "h1"]
    assert "visually-hidden" in title["class"]
    # links out of the frame open a new tab, never inside someone's blog
    for tag, a in page.tags:
        if tag == "a" and not a["href"].startswith("#"):
            assert a.get("target") == "_blank" and "noopener" in a.get("rel", ""), a


def test_the_offline_copy_includes_the_embed(public_site):
    worker = (public_site / "sw.js").read_text()
    assert '"embed/":' in worker and '"embed/host.js":' in worker


def test_a_site_without_a_calculator_page_has_no_embed(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "plain.md").write_text("---\ntitle: A page\ndescription: About it.\ndate: 2026-01-02\n---\n\nWords.\n")
    build.build(tmp_path / "out", content=content, bundle=False)
    assert not (tmp_path / "out" / "embed").exists()


def test_the_local_server_lets_other_sites_frame_the_embed(public_site):
    """A meta CSP cannot set frame-ancestors; framing is the host's headers'
    business. scripts/serve.py must send neither header that forbids it."""
    server = Restartable(public_site)
    url = server.start()
    try:
        with urllib.request.urlopen(url + "embed/", timeout=30) as response:
            headers = {name.lower(): value for name, value in response.headers.items()}
            assert response.status == 200
    finally:
        server.stop()
    assert "x-frame-options" not in headers
    assert "frame-ancestors" not in headers.get("content-security-policy", "")


def test_the_readme_shows_the_snippet_the_build_writes(tmp_path):
    base_url = "https://example.org/bones/"
    build.build(tmp_path / "out", base_url=base_url, bundle=False)
    snippet = (tmp_path / "out" / "embed" / "snippet.html").read_bytes()
    readme = (build.ROOT / "README.md").read_text()
    section = readme[readme.index("## Putting the calculator on your own blog"):]
    shown = section.split("```html\n", 1)[1].split("```", 1)[0]
    assert f"BASE_URL={base_url}" in section
    assert shown.rstrip("\n") == snippet.decode().rstrip("\n")
    assert f"({len(snippet)} bytes)" in section
