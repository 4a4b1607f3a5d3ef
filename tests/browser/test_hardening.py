"""Privacy, security and failure: what the reader sees when things go wrong."""

import random
from urllib.parse import urlparse

import pytest

import calc
from tests.browser.pagetools import (ARTICLE, assert_same_json, damaging_handler, fill, fill_text,
                                     keep_snapshot_on_device, open_calculator, reveal, settle, shown_result)
from tests.helpers import errors_of

pytestmark = pytest.mark.browser

CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def page_no_sw(watched_page):
    """A context without the service worker, so that network failures reach the page."""
    return watched_page(service_workers="block")


def test_a_full_session_talks_to_no_other_origin_and_sets_no_cookies(watched_page, site_url):
    page = watched_page()
    context = page.context
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page.add_init_script(CSP_WATCH)
    open_calculator(page, site_url)
    fill(page, {"age": "66", "sex": "female", "menopause": "early", "height": "158", "height_unit": "cm",
                "weight": "52", "weight_unit": "kg",
                "smoking": "light", "alcohol": "3to6", "rankl": "14", "rankl_unit": "ng/mL", "tnf_alpha": "3", "il6": "8",
                "vitamin_d": "55", "vitamin_d_unit": "nmol/L", "crp": "0,4", "crp_unit": "mg/dL",
                "rankl_upper": "12", "ra_sle": "yes", "antidepressants": "yes"})
    assert settle(page) == "ready"
    page.click("#share-answers")
    for path in ["", "how-the-calculator-works/", "rankl-opg-balance/"]:
        page.goto(site_url + path)
    # the service worker has saved the site and the calculator it was used with: nothing more will be fetched
    page.wait_for_selector("#offline-status[data-state=ready]", state="attached", timeout=90_000)
    origin = urlparse(site_url).netloc
    foreign = [u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != origin]
    assert foreign == []
    assert len(requests) > 10  # the recording really saw the session
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    assert page.problems == []


def test_no_content_security_policy_violations(watched_page, site_url, built_site):
    page = watched_page()
    page.add_init_script(CSP_WATCH)
    open_calculator(page, site_url)
    fill(page, {"age": "70", "sex": "male", "vitamin_d": "9", "vitamin_d_unit": "ng/mL", "exercise_minutes": "0"})
    assert settle(page) == "ready"
    assert page.evaluate("window.__cspViolations") == []
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "worker-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    assert page.problems == []
    for html in built_site.rglob("*.html"):
        text = html.read_text()
        assert " style=" not in text, html  # no inline style attributes for CSP to block
        assert "<script>" not in text and " on" + "click=" not in text, html


def test_share_link_restores_the_answers_and_leaves_the_address_bar(watched_page, site_url):
    page = watched_page()
    open_calculator(page, site_url)
    answers = {"age": "58", "sex": "female", "menopause": "yes", "vitamin_d": "40", "vitamin_d_unit": "nmol/L",
               "crp": "2,5", "crp_unit": "mg/L", "prior_fracture": "yes", "ethnicity": "chinese"}
    fill(page, answers)
    assert settle(page) == "ready"
    page.click("#share-answers")
    assert "contains your health answers" in page.text_content("#share-box")
    assert "browser history of every device that opens it, where this site cannot remove it" in page.text_content("#share-box")
    link = page.input_value("#share-link")
    assert "#share?" in link and urlparse(link).query == ""  # the answers are in the fragment only

    other = page.context.new_page()
    other.goto(link)
    assert settle_after_boot(other) == "ready"
    assert_same_json(shown_result(other), calc.assess(answers))
    # Out of the address bar; the browser's history keeps the opened link (no script can remove it).
    assert "#" not in other.url
    assert "restored" in other.text_content("#calc-status")

    other.click("#clear-data")
    other.wait_for_selector("#result[data-status=empty]")
    assert other.input_value('[name="age"]') == "" and not other.is_checked('[name="prior_fracture"]')
    assert other.is_hidden("#share-box")
    assert page.problems == []


def settle_after_boot(page):
    page.wait_for_function("() => document.getElementById('result').dataset.status !== 'loading'",
                           timeout=60_000)
    return settle(page)


BLOCKED = {
    "runtime-wasm": ["**/*.wasm", "**/*.wasm.gz"],  # the gzipped wasm, and the plain one it falls back to
    # the snapshot needs no standard library file; without the snapshot, Python does
    "stdlib-and-snapshot": ["**/python_stdlib.zip", "**/snapshot.bin.gz"],
    "worker-script": ["**/worker.js"],
}


@pytest.mark.parametrize("blocked", BLOCKED.values(), ids=BLOCKED.keys())
def test_when_python_cannot_start_the_reader_is_told_and_can_retry(page_no_sw, site_url, blocked):
    page = page_no_sw
    for pattern in blocked:
        page.route(pattern, lambda route: route.abort())
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=error]", timeout=60_000)
    assert "could not start" in page.text_content("#calc-status")
    assert page.is_visible("#calc-retry")
    assert page.is_visible("h1") and page.is_visible('[name="age"]')  # the article stays readable
    # one line of noise at most: the browser's own report of the failed request
    assert len([p for p in page.problems if p.startswith("console")]) <= 1

    for pattern in blocked:
        page.unroute(pattern)
    page.click("#calc-retry")
    fill(page, {"age": "60"})
    assert settle_after_boot(page) == "ready"


# the wasm (the boot refreshes what it fetched), and the worker's two scripts (a damaged one
# stops the worker before its boot runs: the page refreshes them)
@pytest.mark.parametrize("damaged", ["pyodide.asm.wasm.gz", "js/worker/worker.js", "js/worker/boot.js"])
def test_a_runtime_file_damaged_once_is_fetched_again_so_try_again_works(page_no_sw, built_site, serve, damaged):
    # The damaged file is kept by the browser's HTTP cache as immutable; without a fresh copy,
    # Try again (and every reload) would read the same damaged bytes back for ever.
    handler = damaging_handler(damaged, times=1)
    url = serve(built_site, handler=handler).url
    page = page_no_sw
    page.goto(url + ARTICLE)
    fill(page, {"age": "60"})
    page.wait_for_selector("#result[data-status=error]", timeout=120_000)
    assert "could not start" in page.text_content("#calc-status")
    assert len(handler.sent) >= 2  # the damaged copy, and a fresh one fetched before the reader was told
    page.click("#calc-retry")
    assert settle_after_boot(page) == "ready"
    assert_same_json(shown_result(page), calc.assess({"age": "60"}))


def test_an_old_browser_without_webassembly_is_told_why(page_no_sw, site_url):
    page = page_no_sw
    page.add_init_script("delete window.WebAssembly")
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=error]", timeout=30_000)
    assert "WebAssembly" in page.text_content("#calc-error-detail")
    assert page.is_visible("h1")
    assert page.problems == []


GARBAGE = ["abc", "12abc", "1e400", "99999999999999999999", "-5", "--3", "3,5,6", "12 mg", "\U0001F9B4",
           "NaN", "Infinity", "0x1F", "½", "1 000", "   ", "\u0661\u0662", "7.5.1",
           "pasted text from a lab report: IL-6 = 12 pg/mL"]


def test_garbage_in_every_number_field_never_breaks_anything(watched_page, site_url):
    page = watched_page()
    open_calculator(page, site_url)
    base = {"age": "62", "sex": "female", "height": "163", "height_unit": "cm", "weight": "61", "weight_unit": "kg",
            "il6": "4"}
    fill(page, base)
    assert settle(page) == "ready"
    rng = random.Random(7)
    numbers = [f.key for f in calc.FIELDS if f.kind in ("number", "integer")]
    for key in numbers:
        for junk in rng.sample(GARBAGE, 6):
            reveal(page, key)
            fill_text(page, page.locator(f'[name="{key}"]'), junk)
            status = settle(page)
            inputs = {**base, key: junk}
            text = page.text_content("#result")
            assert "NaN" not in text and "undefined" not in text, (key, junk)
            try:
                expected = calc.assess(inputs)
            except calc.ValidationError:
                expected = None
            if expected is None:
                assert status == "invalid", (key, junk)
                message = {e["field"]: e["message"] for e in errors_of(inputs)}[key]
                assert page.text_content(f"#f-{key}-error") == message
                assert page.get_attribute("#result", "data-stale") == "true"  # the last good result, marked
            else:  # e.g. whitespace only: not entered
                assert status == "ready", (key, junk)
                assert_same_json(shown_result(page), expected)
            for other, value in base.items():  # nothing else the reader typed is lost
                if other != key and other != "sex" and not other.endswith("_unit"):
                    assert page.input_value(f'[name="{other}"]') == value
        fill_text(page, page.locator(f'[name="{key}"]'), base.get(key, ""))
        assert settle(page) == "ready"
    assert page.problems == []


def boot_and_score(page, site_url):
    page.goto(site_url + ARTICLE)
    answers = {"age": "59", "sex": "male", "crp": "3,5", "crp_unit": "mg/L"}
    fill(page, answers)
    assert settle_after_boot(page) == "ready"
    assert_same_json(shown_result(page), calc.assess(answers))
    return page.get_attribute("#calculator", "data-boot-mode"), page.get_attribute("#calculator", "data-boot-fallback")


def test_python_boots_from_the_snapshot(page_no_sw, site_url):
    keep_snapshot_on_device(page_no_sw, site_url)
    assert boot_and_score(page_no_sw, site_url) == ("snapshot", None)
    assert page_no_sw.problems == []


def corrupt(route):
    route.fulfill(status=200, body=b"\x1f\x8b" + bytes(1000), content_type="application/gzip")


def wrong_probe(route):
    route.fulfill(status=200, body='{"input": "{}", "output": "not what calc says"}', content_type="application/json")


FALLBACKS = {
    "snapshot-missing": ("**/snapshot.bin.gz", lambda route: route.abort()),
    "snapshot-corrupt": ("**/snapshot.bin.gz", corrupt),        # fails its sha256 check
    "probe-missing": ("**/probe.json", lambda route: route.abort()),
    "snapshot-does-not-verify": ("**/probe.json", wrong_probe),  # restores, but gives other answers
}
# The runtime files a standard boot needs. A snapshot that fails before it is
# restored must not make the worker download them twice (it once did: the
# restore had already started fetching them while the snapshot was unzipping).
RUNTIME_FILES = ("pyodide.asm.wasm.gz", "pyodide-lock.json", "python_stdlib.zip")


@pytest.mark.parametrize("pattern, handler", FALLBACKS.values(), ids=FALLBACKS.keys())
def test_a_bad_snapshot_falls_back_to_a_normal_boot(page_no_sw, site_url, pattern, handler):
    keep_snapshot_on_device(page_no_sw, site_url)  # so the worker tries it, however fast the link reads
    requests = []
    page_no_sw.context.on("request", lambda r: requests.append(r.url.rsplit("/", 1)[-1]))
    page_no_sw.route(pattern, handler)
    mode, reason = boot_and_score(page_no_sw, site_url)
    assert mode == "standard" and reason and "Mbit/s" not in reason, reason  # it tried the snapshot, which failed
    assert page_no_sw.problems == [] or all("snapshot" in p or "Failed to load" in p for p in page_no_sw.problems)
    if handler is not wrong_probe:  # that one restores first, and the fallback then asks again
        assert {name: requests.count(name) for name in RUNTIME_FILES} == dict.fromkeys(RUNTIME_FILES, 1)
