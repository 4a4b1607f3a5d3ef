"""The embedded calculator, pasted into a page on another site.

The site is built with its own address (BASE_URL, as `make site` does) and
served on one origin; a plain host page holding the built snippet, pasted as
it is, is served on another site (another host name and port: a third-party
frame, whose storage a browser may refuse). The reader fills the calculator
inside the frame; the results must be calc's, the frame must grow to its
content, the host must hear nothing but heights, and nothing may be asked of
any third origin."""

import json
from urllib.parse import urlsplit

import pytest

import build
import calc
from scripts.serve import Restartable
from sitebuild.website import EMBED_HEIGHTS
from tests.browser.pagetools import (ARTICLE, assert_same_json, axe_violations, fill, settle, shown_result,
                                     watch_console)
from tests.helpers import golden_cases

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
CASES = [c for c in golden_cases() if c["input"]]
# the most answers on a laptop; feet and inches, stones and pounds on a phone
LAPTOP_CASE = max(CASES, key=lambda c: len(c["input"]))
PHONE_CASE = next((c for c in CASES if c["input"].get("height_unit") == "ft_in"), CASES[0])

HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{csp}<link rel="icon" href="data:,"><title>A writer's blog post</title></head>
<body>
<main style="max-width: 44rem; margin: 0 auto; padding: 0 1rem; font-family: Georgia, serif">
<h1>What my last bone scan taught me</h1>
<p>A few paragraphs of the writer's own article, then the calculator.
<a id="before" href="#after">A link before it</a>.</p>
{snippet}
<p id="after-text">The article goes on below the calculator. <a id="after" href="#before">A link after it</a>.</p>
</main>
</body>
</html>
"""

# Every message the host page receives, as the host saw it (top frame only).
RECORD_MESSAGES = """
if (window.top === window) {
  window.__messages = [];
  window.addEventListener("message", (event) => {
    let data;
    try { data = JSON.parse(JSON.stringify(event.data)); } catch { data = String(event.data); }
    window.__messages.push({ origin: event.origin, data, fromFrame: event.source !== window });
  });
}
"""

def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def embed_site(tmp_path_factory):
    """The site, built with its own address (as `make site BASE_URL=...` does), and served there."""
    out = tmp_path_factory.mktemp("embed") / "_site"
    server = Restartable(out)
    url = server.start()  # the port is known before the build, which writes it into the snippet
    try:
        build.build(out, base_url=url)
        yield url, out
    finally:
        server.stop()


@pytest.fixture(scope="module")
def host_site(tmp_path_factory, embed_site):
    """Pages of a writer's blog on another site ("localhost" is another site than "127.0.0.1")."""
    _, out = embed_site
    folder = tmp_path_factory.mktemp("blog")
    snippet = (out / "embed" / "snippet.html").read_text()
    (folder / "index.html").write_text(HOST_PAGE.format(csp="", snippet=snippet))
    site = origin(embed_site[0])
    # A blog that sets its own CSP allows the calculator as the README says: frame-src and script-src.
    csp = (f'<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
           f'frame-src {site}; script-src \'self\' {site}; style-src \'self\' \'unsafe-inline\'; img-src data:">')
    (folder / "strict" / "index.html").parent.mkdir()
    (folder / "strict" / "index.html").write_text(HOST_PAGE.format(csp=csp, snippet=snippet))
    server = Restartable(folder)
    url = server.start().replace("127.0.0.1", "localhost")
    try:
        yield url
    finally:
        server.stop()


def open_host(watched_page, host_url, path="", **options):
    page = watched_page(**options)
    page.requested = []
    page.context.on("request", lambda request: page.requested.append(request.url))
    page.add_init_script(RECORD_MESSAGES)
    page.goto(host_url + path)
    return page


def calculator_frame(page, site_url):
    frame = page.wait_for_selector(f"iframe[src={json.dumps(site_url + 'embed/')}]").content_frame()
    frame.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    return frame


def content_height(frame):
    return frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")


def wait_for_fit(page, frame):
    """Wait until the frame is exactly as tall as what is in it; return that height."""
    for _ in range(20):  # the content may still be changing: measure again until both agree
        height = content_height(frame)
        try:
            page.wait_for_function("h => document.querySelector('iframe').getBoundingClientRect().height === h",
                                   arg=height, timeout=5_000)
        except Exception:  # noqa: BLE001 (Playwright's TimeoutError): the content moved on; measure again
            continue
        if content_height(frame) == height:
            return height
    raise AssertionError(f"the frame never settled at its content's height ({content_height(frame)} px)")


def answer_in_frame(page, frame, inputs):
    """fill() in the frame. Each answer can change the calculator's height (a unit's boxes, a
    result), and the page around the frame follows a moment later; the next answer is given once
    it has, as a reader's would be (a click in that moment can land on what the resize moves)."""
    fill(frame, inputs, after_each=lambda: wait_for_fit(page, frame))


def assert_no_inner_scroll(frame, height):
    inner = frame.evaluate("({ h: innerHeight, scroll: document.documentElement.scrollHeight, "
                           "w: innerWidth, scrollW: document.documentElement.scrollWidth })")
    assert inner["h"] == height, inner
    assert inner["scroll"] <= inner["h"], f"the frame scrolls inside: {inner}"
    assert inner["scrollW"] <= inner["w"], f"the frame scrolls sideways: {inner}"


def assert_only_heights(page, site_url):
    messages = page.evaluate("window.__messages")
    assert messages, "the host never heard the frame's height"
    for message in messages:
        assert message["origin"] == origin(site_url), message
        data = message["data"]
        assert set(data) == {"type", "height"} and data["type"] == "bone-calc:height", message
        assert isinstance(data["height"], int) and EMBED_HEIGHTS[0] <= data["height"] <= EMBED_HEIGHTS[1], message


def assert_only_two_origins(page, site_url, host_url):
    allowed = {origin(site_url), origin(host_url)}
    strangers = [url for url in page.requested if origin(url) not in allowed]
    assert strangers == [], "requests to other origins"
    assert any(url.startswith(site_url + "embed/") for url in page.requested)


@pytest.mark.parametrize("viewport, case", [(PHONE, PHONE_CASE), (LAPTOP, LAPTOP_CASE)], ids=["phone", "laptop"])
def test_the_pasted_snippet_runs_the_calculator_in_a_frame_that_fits_its_content(
        watched_page, embed_site, host_site, viewport, case):
    site_url, _ = embed_site
    page = open_host(watched_page, host_site, viewport=viewport)
    frame = calculator_frame(page, site_url)
    empty = wait_for_fit(page, frame)
    assert_no_inner_scroll(frame, empty)

    # the frame never scrolls itself while the reader answers (it once moved a field "clear of"
    # a pinned line the embed does not draw, and a click landed on what moved under it)
    frame.evaluate("""() => { window.__scrolled = 0;
        addEventListener('scroll', () => { window.__scrolled = Math.max(window.__scrolled, scrollY); }); }""")
    answer_in_frame(page, frame, case["input"])
    assert settle(frame) == "ready"
    assert frame.evaluate("[window.__scrolled, scrollY, document.documentElement.style.scrollPaddingBottom]") == [0, 0, ""]
    assert_same_json(shown_result(frame), calc.assess(case["input"]))
    full = wait_for_fit(page, frame)
    assert full > empty  # the results grew it
    assert_no_inner_scroll(frame, full)

    # Start again empties the results: the frame shrinks back
    frame.click("#clear-data")
    frame.wait_for_selector("#result[data-status=empty]")
    assert wait_for_fit(page, frame) < full

    # the frame is as wide as the column it was pasted in
    widths = page.evaluate("() => [document.querySelector('iframe').getBoundingClientRect().width, "
                           "document.querySelector('main').clientWidth]")
    assert widths[0] > 0.9 * (widths[1] - 32), widths
    assert_only_heights(page, site_url)
    assert_only_two_origins(page, site_url, host_site)
    assert page.problems == [], '\n'.join(page.problems)


def test_a_host_with_its_own_csp_needs_only_frame_src_and_script_src(watched_page, embed_site, host_site):
    site_url, _ = embed_site
    page = watched_page(viewport=PHONE)
    page.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation', "
                         "(e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    page.goto(host_site + "strict/")
    frame = calculator_frame(page, site_url)
    answer_in_frame(page, frame, {"age": "66", "sex": "female"})
    assert settle(frame) == "ready"
    assert_no_inner_scroll(frame, wait_for_fit(page, frame))
    assert page.evaluate("window.__violations") == []
    assert page.problems == [], '\n'.join(page.problems)


def test_print_and_a_shared_link_from_the_frame_which_opens_the_full_calculator_on_the_site(
        watched_page, embed_site, host_site):
    site_url, _ = embed_site
    page = open_host(watched_page, host_site, viewport=LAPTOP)
    frame = calculator_frame(page, site_url)
    answers = {"age": "71", "sex": "male", "height": "176", "height_unit": "cm", "weight": "68", "weight_unit": "kg"}
    answer_in_frame(page, frame, answers)
    assert settle(frame) == "ready"
    # print: the frame prints its own one-page summary, naming the article on the site
    frame.evaluate("window.print = () => { window.__printed = true; }")
    frame.click("#print-summary")
    assert frame.evaluate("window.__printed && document.documentElement.classList.contains('print-summary')")
    assert frame.locator("#print-answers dt").count() == 4  # height and weight with their units, age, sex
    assert f"{site_url}{ARTICLE}" in frame.text_content(".print-footer")
    frame.click("#share-answers")
    link = frame.input_value("#share-link")
    assert link.startswith(f"{site_url}{ARTICLE}#share?"), link

    article = watched_page(viewport=LAPTOP)
    article.goto(link)
    article.wait_for_selector("#result[data-status=ready]", timeout=60_000)
    assert settle(article) == "ready"
    assert_same_json(shown_result(article), calc.assess(answers))
    assert article.problems == []
    assert_only_heights(page, site_url)


@pytest.fixture
def reader_browser(browser_type, browser_type_launch_args, tmp_path):
    """open(third_party_cookies) -> a page in a reader's own browser profile, on
    disk, with Chromium's setting for cookies and site data in frames of other
    sites: allowed (their storage and service workers are partitioned by the
    top-level site) or blocked (every storage API refuses, as in Chromium's
    default here, Safari's strictest setting and Firefox's with all cookies blocked)."""
    contexts = []

    def open_profile(third_party_cookies, viewport=PHONE):
        folder = tmp_path / f"profile-{len(contexts)}"
        (folder / "Default").mkdir(parents=True)
        mode = 0 if third_party_cookies else 1  # 0: allow all; 1: block third-party cookies and site data
        (folder / "Default" / "Preferences").write_text(json.dumps({"profile": {
            "cookie_controls_mode": mode, "block_third_party_cookies": not third_party_cookies}}))
        context = browser_type.launch_persistent_context(str(folder), viewport=viewport, **browser_type_launch_args)
        contexts.append(context)
        page = context.new_page()
        page.problems = watch_console(page)
        page.requested = []
        context.on("request", lambda request: page.requested.append(request.url))
        page.add_init_script(RECORD_MESSAGES)
        page.add_init_script("window.__problems = [];"
                             "addEventListener('error', (e) => __problems.push(String(e.message)));"
                             "addEventListener('unhandledrejection', (e) => __problems.push(String(e.reason)));")
        return page

    yield open_profile
    for context in contexts:
        context.close()


def test_where_storage_is_refused_the_frame_still_starts_scores_and_says_so(reader_browser, embed_site, host_site):
    site_url, _ = embed_site
    page = reader_browser(third_party_cookies=False)
    page.goto(host_site)
    frame = calculator_frame(page, site_url)
    refused = frame.evaluate("""async () => {
        const names = [];
        try { await caches.keys(); } catch (e) { names.push(e.name); }
        try { localStorage.length; } catch (e) { names.push(e.name); }
        try { await navigator.serviceWorker.getRegistration(); } catch (e) { names.push(e.name); }
        return names; }""")
    assert len(refused) == 3, refused  # the browser really refuses all three here
    inputs = {"age": "63", "sex": "female", "menopause": "yes", "prior_fracture": "yes"}
    answer_in_frame(page, frame, inputs)
    assert settle(frame) == "ready"
    assert_same_json(shown_result(frame), calc.assess(inputs))
    # said plainly in the frame's footer, without an error, and nothing retried
    frame.wait_for_selector("#offline-status[data-state=unavailable]")
    assert "only while you are online" in frame.text_content("#offline-text")
    assert frame.evaluate("window.__problems") == []
    assert_no_inner_scroll(frame, wait_for_fit(page, frame))
    assert_only_heights(page, site_url)
    assert page.problems == [], "\n".join(page.problems)


def test_where_storage_is_allowed_the_frame_saves_its_offline_copy(reader_browser, embed_site, host_site):
    """With third-party site data allowed, the frame registers the service
    worker and saves the site for offline use as the site itself does, and its
    pages then come from that copy."""
    site_url, _ = embed_site
    page = reader_browser(third_party_cookies=True)
    page.goto(host_site)
    frame = calculator_frame(page, site_url)
    frame.wait_for_selector("#offline-status[data-state=pages]", state="attached", timeout=90_000)
    assert frame.evaluate("caches.keys().then(keys => keys.filter(k => k.startsWith('bone-calc-')).length)") == 1
    assert frame.evaluate("caches.match(location.href).then(r => r !== undefined)")  # this page, saved
    assert frame.evaluate("window.__problems") == []
    assert page.problems == [], "\n".join(page.problems)


def test_the_frame_follows_the_readers_colour_scheme(watched_page, embed_site, host_site):
    """Whatever the blog looks like, the frame takes the reader's own setting,
    exactly as the site's own pages do."""
    site_url, _ = embed_site
    background = "getComputedStyle(document.body).backgroundColor"
    seen = {}
    for scheme in ("light", "dark"):
        page = open_host(watched_page, host_site, viewport=PHONE, color_scheme=scheme)
        frame_colour = calculator_frame(page, site_url).evaluate(background)
        article = watched_page(viewport=PHONE, color_scheme=scheme, service_workers="block")
        article.goto(site_url + ARTICLE)
        assert frame_colour == article.evaluate(background), scheme
        assert page.evaluate(background) in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")  # the blog has no dark mode
        seen[scheme] = frame_colour
    assert seen["light"] != seen["dark"]


def test_the_frame_is_named_and_its_controls_are_reached_in_order(watched_page, embed_site, host_site):
    site_url, _ = embed_site
    page = open_host(watched_page, host_site, viewport=LAPTOP)
    frame = calculator_frame(page, site_url)
    title = page.get_attribute("iframe", "title")
    assert "Bone health check" in title and "calculator" in title
    assert frame.evaluate("document.title") == title
    assert frame.evaluate("document.querySelector('h1').textContent") == title

    # Tab from the host's link before the frame: the frame's first stop is the
    # calculator's first control, and the form follows in its order
    page.focus("#before")
    first_stops = []
    for _ in range(4):
        page.keyboard.press("Tab")
        first_stops.append(frame.evaluate("document.activeElement.id || document.activeElement.name || ''"))
    # what the keyboard should reach first: the visible buttons and controls in
    # document order, one stop per group of radios
    expected = frame.evaluate("""() => [...document.querySelectorAll(
            '#calculator button:not([hidden]), #calc-form input, #calc-form select, #calc-form summary')]
        .filter(el => el.offsetParent !== null)
        .filter(el => !(el.type === 'radio' && el !== document.querySelector(`[name="${el.name}"]`)))
        .slice(0, 4).map(el => el.id || el.name || '')""")
    assert first_stops == expected, (first_stops, expected)
    assert first_stops[0] == "clear-data" and "f-age" in first_stops, first_stops
    # and from the frame's last control, Tab goes on to the host's next link
    frame.focus(".site-footer a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "after"
    # screen readers get the controls' names from their labels inside the frame
    assert frame.locator("#calc-form").get_attribute("aria-label")
    assert frame.get_by_label("Age", exact=False).count() >= 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_embed_page_with_results(watched_page, embed_site, scheme):
    site_url, _ = embed_site
    # axe is injected as a script; the site's CSP would rightly refuse it otherwise
    page = watched_page(viewport=PHONE, color_scheme=scheme, bypass_csp=True, service_workers="block")
    page.goto(site_url + "embed/")
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    assert axe_violations(page) == []
    fill(page, {"age": "74", "sex": "male", "prior_fracture": "yes"})
    assert settle(page) == "ready"
    page.click("#share-answers")
    assert axe_violations(page) == []
