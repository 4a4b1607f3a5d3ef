"""Driving the calculator page like a person, and reading what it shows."""

import json
import re
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import build
import calc
from calc.view import NEXT_STEPS
from scripts.serve import Handler

ARTICLE = "inflammation-and-bone-loss/"
# Every page of the site, as a path from its root: the home page, the 404 page and each article.
PAGES = ["", "404.html"] + [p.url for p in build.read_pages()]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 to 2.2, A and AA (2.2 AA includes 24 px touch targets), and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TRUE_WORDS = {"true", "yes", "on", "1"}


def watch_console(page):
    """Collect console errors and warnings, uncaught exceptions and failed requests."""
    problems = []

    def on_console(message):
        # Playwright's own note when a test context blocks service workers is not the page's.
        if message.type in ("error", "warning") and "blocked by Playwright" not in message.text:
            problems.append(f"console {message.type}: {message.text}")

    def on_failed(request):
        # A request cut short because the test navigated away is not a failure.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.on("requestfailed", on_failed)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    return problems


def axe_violations(page):
    """axe-core's violations on the page as it is now (the page's context must bypass its CSP)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def open_calculator(page, site_url):
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)


# Marks the article's boot snapshot as saved in this origin's CacheStorage, where the
# service worker keeps its offline copy (the arg: the article's URL). Only an entry
# under the snapshot's URL: the worker asks whether it is there, and (with no
# service worker) still downloads the snapshot itself, from the server, where a
# test can refuse, damage or hold it. Nothing is fetched, so the browser's HTTP
# cache does not answer for the server later.
SNAPSHOT_ON_DEVICE = """async (article) => {
  const html = await (await fetch(article)).text();
  const section = new DOMParser().parseFromString(html, 'text/html').querySelector('section[data-snapshot]');
  const url = new URL(section.dataset.snapshot, article).href;
  await (await caches.open('snapshot-on-device')).put(url, new Response('saved'));
  return url;
}"""


def keep_snapshot_on_device(page, site_url):
    """Mark the calculator's snapshot as kept on the device, with the service worker
    blocked: the worker then always tries it (a snapshot on the device always pays),
    however fast or slow this machine reads a download."""
    page.goto(site_url + "404.html")  # a page of the site that starts no worker
    return page.evaluate(SNAPSHOT_ON_DEVICE, site_url + ARTICLE)


def settle(page):
    """Wait until the page shows the answer to the latest input (nothing in flight)."""
    page.wait_for_function(
        """() => {
            const r = document.getElementById('result');
            return !r.hasAttribute('aria-busy') && ['ready', 'invalid', 'empty', 'error'].includes(r.dataset.status);
        }""",
        timeout=30_000,
    )
    return page.get_attribute("#result", "data-status")


def reveal(page, key):
    """Open the collapsed section that holds a field, as a reader would."""
    control = page.locator(f'[name="{key}"]').first
    if not control.is_visible():
        summary = page.locator(f'details:has([name="{key}"]) > summary')
        if summary.count():
            summary.click()


COMPOUND = {"ft_in": "ft", "st_lb": "st"}


def fill_text(page, locator, value):
    """Type into a box and leave it, as a reader does: the page checks a field on leaving it."""
    locator.fill(str(value))
    locator.blur()


def fill(page, inputs, after_each=None):
    """Enter `inputs` (calc keys to raw values) through the form's controls.

    Height and weight in feet and inches or stones and pounds ("5 ft 3") go into
    the two small boxes the page shows for those units, as a reader would type them.
    after_each: called after each answer (to wait for what a reader would see
    happen before the next one).
    """
    order = [f.key for f in calc.FIELDS]
    keys = sorted(inputs, key=lambda k: (k != "sex", order.index(k)))  # sex first: it reveals fields
    for key in keys:
        value, field = inputs[key], calc.FIELDS_BY_KEY[key]
        reveal(page, key)
        selector = f'[name="{key}"]'
        if field.kind == "boolean":
            checked = value is True or str(value).strip().lower() in TRUE_WORDS
            if page.locator(selector).first.get_attribute("type") == "radio":  # yes / no / not answered
                if str(value).strip() != "":
                    page.check(f'{selector}[value="{"yes" if checked else "no"}"]')
            else:
                page.set_checked(selector, checked)
        elif field.kind == "choice":
            if page.locator(selector).first.get_attribute("type") == "radio":
                page.check(f'{selector}[value="{value}"]')
            else:
                page.select_option(selector, value)
        elif field.kind == "measure" and inputs.get(field.unit_field) in COMPOUND:
            unit = inputs[field.unit_field]
            big, _, small = str(value).partition(COMPOUND[unit])
            box = page.locator(f'[data-field="{key}"] .compound[data-compound="{unit}"]')
            fill_text(page, box.locator("[data-part=big]"), big.strip())
            fill_text(page, box.locator("[data-part=small]"), small.strip())
        else:
            fill_text(page, page.locator(selector), value)
        if after_each:
            after_each()


def clear(page):
    page.click("#clear-data")
    page.wait_for_function("() => document.querySelector('[name=age]').value === ''")
    settle(page)


def shown_result(page):
    return json.loads(page.get_attribute("#result", "data-json"))


def assert_same_json(got, expected, path="$"):
    """Equal structure and values, floats to 1e-12 relative."""
    if isinstance(expected, float) or isinstance(got, float):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12), path
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected), path
        for key in expected:
            assert_same_json(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), path
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same_json(g, e, f"{path}[{i}]")
    else:
        assert got == expected, path


def one_decimal(x):
    """How the page writes a number to one decimal: JavaScript's toFixed(1), which
    rounds the exact binary value half up (Python's format would round half to even)."""
    return str(Decimal(x).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(x):
    text = one_decimal(x)
    return "less than 0.1%" if text == "0.0" else f"{text}%"


def downloaded_in_all(built_site, *parts):
    """What a boot downloads, summed here from the built files themselves: the
    wasm (gzipped unless it says "plain"), the lock, the trimmed stdlib, and the
    wheel or the snapshot and its probe."""
    (runtime,) = built_site.glob("pyodide/*/")
    (calc_dir,) = built_site.glob("calc/*/")
    (snapshot_dir,) = built_site.glob("snapshot/*/")
    files = [runtime / ("pyodide.asm.wasm" if "plain" in parts else "pyodide.asm.wasm.gz"),
             calc_dir / "pyodide-lock.json", calc_dir / "python_stdlib.zip"]
    if "snapshot" in parts:
        files += [snapshot_dir / "snapshot.bin.gz", snapshot_dir / "probe.json"]
    else:
        files += list(calc_dir.glob("*.whl"))
    return sum(f.stat().st_size for f in files)


def stalling_handler(suffix):
    """A handler that, once `armed`, holds every request for a path ending in `suffix`
    until `release` (then answers it); `arrived` is set when such a request came."""

    class Stalling(Handler):
        armed, arrived, release = threading.Event(), threading.Event(), threading.Event()

        def do_GET(self):
            if self.armed.is_set() and self.path.endswith(suffix) and not self.release.is_set():
                self.arrived.set()
                self.release.wait(120)
            super().do_GET()

    return Stalling


def damaging_handler(suffix, times):
    """A handler that sends the first `times` responses for a path ending in `suffix`
    with its bytes damaged (and marked immutable, as every runtime file is)."""

    class Damaging(Handler):
        lock, sent = threading.Lock(), []

        def do_GET(self):
            if self.path.endswith(suffix):
                with self.lock:
                    self.sent.append(self.path)
                    damage = len(self.sent) <= times
                if damage:
                    body = b"not the file" * 100
                    self.send_response(200)
                    self.send_header("Content-Type", "application/zip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
            super().do_GET()

    return Damaging


def visible_blocks(page):
    """The result's blocks a reader sees, top to bottom, by id."""
    return page.evaluate("""() => [...document.querySelectorAll(
            '#result-body > [id]:not(#validated-results), #result-body > section, #validated-results > [id]')]
        .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height > 0)
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map(el => el.id || el.querySelector('[id]').id)""")


def expected_blocks(result):
    """The order issue 10 asks for, worked out from calc's result: validated tools first,
    next steps, then the score (with its factors), then what would help, then the rest."""
    blocks = ["qfracture-card", "ost-card"]
    if any(r["code"] in NEXT_STEPS for r in result["recommendations"]):
        blocks.append("next-steps")
    if result["display"]["headline"]:
        blocks.append("qfracture-disclaimer")  # QFracture's licence notice, alongside its results
    blocks.append("score-card")
    if result["what_if"]:
        blocks.append("what-if")
    blocks += ["findings-title", "advice-title", "notes-title"]
    return blocks


def check_reads_as_calc_says(page, result):
    shown = result["display"]
    head = shown["headline"]
    if head:
        assert page.text_content("#qfracture-sentence") == head["sentence"]
        assert page.text_content("#qfracture-typical") == head["typical"]
        assert page.locator("#people-you .hit").count() == head["of_100"]
        assert page.locator("#people-typical .hit").count() == head["typical_of_100"]
    else:
        absent = " ".join(n["text"] for n in result["notes"] if n["code"].startswith("qfracture_"))
        assert page.text_content("#qfracture-absent") == absent and page.is_visible("#qfracture-absent")
    if shown["ost"]:
        assert page.text_content("#ost-category") == shown["ost"]["category"]
        assert page.text_content("#ost-meaning") == shown["ost"]["meaning"]
    else:
        assert page.is_visible("#ost-absent")
    assert page.text_content("#score-value") == shown["score_out_of"]
    assert page.text_content("#score-level") == shown["category"]
    assert page.text_content("#score-coverage") == f"({shown['coverage']})"
    assert re.fullmatch(r"based on \d+ of 1[45] factors", shown["coverage"])
    tools = [n["text"] for n in result["notes"] if n["code"].startswith("validated_tools_")]
    assert page.is_visible("#tools-higher") == bool(tools)
    if tools:
        assert page.text_content("#tools-higher") == " ".join(tools)
    for factor in shown["factors"]:
        row = page.locator(f'#points [data-factor="{factor["key"]}"]')
        if factor["answered"] is None:
            assert not row.is_visible()
            continue
        assert row.locator("[data-points]").text_content() == factor["points"]
        if factor["answered"] is False:
            assert factor["points"] == "not answered"
            assert not row.locator(".bar").is_visible()  # never a 0 bar for a blank answer
    codes = page.eval_on_selector_all("#next-list li", "els => els.map(e => e.dataset.code)")
    assert codes == [r["code"] for r in result["recommendations"] if r["code"] in NEXT_STEPS]
    items = page.eval_on_selector_all("#what-if-list li", "els => els.map(e => e.textContent)")
    assert len(items) == len(result["what_if"])
    for text, raw, disp in zip(items, result["what_if"], shown["what_if"]):
        assert raw["text"] in text and f": {disp['score']} ({disp['category']})" in text
        if disp["qfracture"]:
            assert disp["qfracture"]["osteoporotic"]["percent"] in text
    assert page.text_content("#calc-status") == shown["summary"]  # the live region: a short summary


def pdf_pages(data):
    """Pages in a PDF, counted from its bytes: /Type /Page objects (not /Pages)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def with_timeout(ms):
    def handler(route):
        response = route.fetch()
        body = response.text().replace('data-step-timeout-ms="45000"', f'data-step-timeout-ms="{ms}"')
        assert f'data-step-timeout-ms="{ms}"' in body
        route.fulfill(response=response, body=body)
    return handler


RECORD_BOOT_STEPS = """window.__steps = [];
    addEventListener('DOMContentLoaded', () => {
      new MutationObserver(() => window.__steps.push(document.querySelector('#boot-step').textContent))
        .observe(document.querySelector('#boot-step'), {childList: true, characterData: true, subtree: true});
    });"""


RECORD_WORKER_MESSAGES = """window.__workerMessages = []; window.__sentToWorker = [];
const PageWorker = window.Worker;
window.Worker = class extends PageWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (event) => window.__workerMessages.push(event.data.type));
  }
  postMessage(message, ...rest) {
    window.__sentToWorker.push(message.type);
    return super.postMessage(message, ...rest);
  }
};"""


def tab_to(page, selector, limit=200):
    """Press Tab until `selector` has focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never received focus")
