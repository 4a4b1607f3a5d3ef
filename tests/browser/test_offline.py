"""Offline use through the service worker, as readers meet it: real Chromium,
persistent profiles, and the real server stopped to prove offline use.

The scenarios of issue 12: the offline copy settles after one visit; a
correction shows on the next online reload; a page only in the new build runs
the new build's scripts; a deploy during the install never leaves a mixed copy
that claims to be ready; an update applied from one tab keeps what was typed
in another; a home page visit stays under 1 MB at the server; a stalled
runtime file ends in an error with Try again; index.html and unknown addresses
offline."""

import http.server
import json
import re
import shutil
import threading

import pytest

import build
import calc
from scripts.serve import CountingHandler, Handler
from tests.browser.pagetools import (ARTICLE, assert_same_json, damaging_handler, fill, keep_snapshot_on_device,
                                     stalling_handler,
                                     settle, shown_result, watch_console)

pytestmark = pytest.mark.browser

CORRECTION = ("Bone is rebuilt all the time.", "Bone is rebuilt all the time, every day of your life.")
RUNTIME_FOLDERS = ("/pyodide/", "/calc/", "/snapshot/")


# --- a build of our own, that a test can change and rebuild

class Site:
    """A copy of content/ and site/ in tmp_path, built into tmp_path/_site,
    so a test can change a sentence or a script and deploy again."""

    def __init__(self, tmp_path):
        self.out = tmp_path / "_site"
        self.content = tmp_path / "content"
        self.source = tmp_path / "site"
        shutil.copytree(build.CONTENT, self.content)
        shutil.copytree(build.SITE, self.source)

    def build(self):
        build.build(self.out, content=self.content, site=self.source)
        return self.version()

    def version(self):
        return re.search(r'const VERSION = "([0-9a-f]+)"', (self.out / "sw.js").read_text()).group(1)

    def manifest(self):
        return json.loads(re.search(r"const FILES = (\{.*?\});", (self.out / "sw.js").read_text()).group(1))

    def edit(self, relative, old, new):
        path = self.content / relative if relative.endswith(".md") else self.source / relative
        text = path.read_text()
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1))


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


@pytest.fixture
def profile(browser_type, browser_type_launch_args, tmp_path):
    """open_profile(name) -> a persistent browser context (a reader's own browser
    profile on disk, as the service worker and its caches need)."""
    contexts = []

    def open_profile(name="profile"):
        context = browser_type.launch_persistent_context(str(tmp_path / "profiles" / name),
                                                         **browser_type_launch_args)
        contexts.append(context)
        return context

    try:
        yield open_profile
    finally:
        for context in contexts:
            context.close()


def new_page(context):
    page = context.new_page()
    page.problems = watch_console(page)
    return page


def wait_version(page, version, timeout=90_000):
    page.wait_for_function("(v) => document.documentElement.dataset.swVersion === v", arg=version, timeout=timeout)


def wait_state(page, state, timeout=90_000):
    page.wait_for_selector(f"#offline-status[data-state={state}]", state="attached", timeout=timeout)


def live_score(page, inputs):
    page.wait_for_selector("#result:not([data-status=loading])", timeout=60_000)
    fill(page, inputs)
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess(inputs))


def cached_files(page, cache):
    """{path: sha256 hex} of every file in one of the page's caches."""
    return page.evaluate(
        """async (name) => {
            const cache = await caches.open(name), out = {};
            for (const request of await cache.keys()) {
                const body = await (await cache.match(request)).arrayBuffer();
                const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
                out[new URL(request.url).pathname.slice(1)] = [...digest].map(b => b.toString(16).padStart(2, '0')).join('');
            }
            return out;
        }""",
        cache,
    )


# --- 1. one visit, then offline

def test_one_visit_with_the_calculator_then_everything_works_offline(site, profile, serve):
    version = site.build()
    server = serve(site.out)
    url = server.url
    page = new_page(profile())
    page.goto(url + ARTICLE)
    live_score(page, {"age": "64", "sex": "female"})
    wait_state(page, "ready")  # the calculator was used: its runtime is saved too
    wait_version(page, version)
    cached = cached_files(page, f"bone-calc-{version}")
    manifest = site.manifest()
    assert {path: digest for path, digest in cached.items() if path in manifest} == manifest

    server.stop()  # from here on, nothing answers on that port
    page.reload()
    assert page.is_visible("h1")
    live_score(page, {"age": "71", "sex": "male", "crp": "12", "crp_unit": "mg/L"})

    second = new_page(page.context)
    second.goto(url + ARTICLE)
    live_score(second, {"age": "55", "sex": "female", "crp": "4", "crp_unit": "mg/L"})
    second.goto(url)  # the index, and another article, also come from the offline copy
    assert "inflammation" in second.text_content("main").lower()
    second.goto(url + "rankl-opg-balance/")
    assert "OPG" in second.text_content("h1")
    assert page.problems == [] and second.problems == []


# --- 2. a correction shows on the next online reload

class PagesLikeHandler(Handler):
    """Like GitHub Pages: every file, pages included, may be kept for 10 minutes."""

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        http.server.SimpleHTTPRequestHandler.end_headers(self)


@pytest.mark.parametrize("handler", [Handler, PagesLikeHandler], ids=["no-cache", "max-age-600"])
def test_a_correction_shows_on_the_next_online_reload_without_a_click(site, profile, serve, handler):
    site.build()
    server = serve(site.out, handler=handler)
    url = server.url
    page = new_page(profile())
    page.goto(url + ARTICLE)
    wait_state(page, "pages")
    assert CORRECTION[0] in page.text_content("main")

    site.edit("inflammation-and-bone-loss.md", *CORRECTION)
    corrected = site.build()
    page.goto(url)
    page.goto(url + ARTICLE)  # online: the page comes from the network, not the offline copy
    assert CORRECTION[1] in page.text_content("main")
    page.reload()
    assert CORRECTION[1] in page.text_content("main")

    wait_version(page, corrected)  # the new version saved itself and took over
    server.stop()
    page.reload()  # offline, the corrected text stays
    assert CORRECTION[1] in page.text_content("main")
    assert page.problems == []


# --- 3. a page that exists only in the new build runs the new build's scripts

def test_a_page_only_in_the_new_build_runs_the_new_builds_scripts(site, profile, serve):
    old = site.build()
    server = serve(site.out)
    url = server.url
    page = new_page(profile())
    page.goto(url + ARTICLE)
    wait_state(page, "pages")
    wait_version(page, old)

    # The new build: a new article with the calculator, and new scripts.
    article = (site.content / "inflammation-and-bone-loss.md").read_text()
    (site.content / "second-look.md").write_text(
        article.replace("slug: inflammation-and-bone-loss", "slug: second-look")
        .replace("title: How inflammation drives bone loss", "title: A second look at inflammation and bone"))
    for name, mark in (("offline.js", "buildOffline"), ("calculator.js", "buildCalculator")):
        path = site.source / "static" / "js" / name
        path.write_text(path.read_text() + f"\ndocument.documentElement.dataset.{mark} = 'second';\n")
    site.build()
    new_offline = next(site.out.glob("static/*/js/offline.js")).relative_to(site.out).as_posix()

    assert page.evaluate("navigator.serviceWorker.controller !== null")  # the old version is in charge
    page.goto(url + "second-look/")
    assert "second look" in page.text_content("h1")
    marks = page.evaluate("Object.keys(document.documentElement.dataset).filter(k => k.startsWith('build'))")
    assert len(marks) == 2, marks  # both new scripts ran
    assert page.evaluate("[...document.scripts].filter(s => s.src).map(s => new URL(s.src).pathname.slice(1))").count(new_offline) == 1
    live_score(page, {"age": "66", "sex": "female", "crp": "5", "crp_unit": "mg/L"})
    assert page.problems == []


# --- 4. a deploy during the install

def holding_handler(path):
    """A handler that holds the service worker's download of `path` (not the
    page's own navigation) until `release` is set."""

    class Holding(Handler):
        arrived, release = threading.Event(), threading.Event()

        def do_GET(self):
            if self.path == path and self.headers.get("Sec-Fetch-Dest") != "document" and not self.release.is_set():
                self.arrived.set()
                self.release.wait(60)
            super().do_GET()

    return Holding


def test_a_deploy_during_the_install_never_leaves_a_mixed_copy_that_claims_to_be_ready(site, profile, serve):
    site.build()
    handler = holding_handler("/" + ARTICLE)
    server = serve(site.out, handler=handler)
    url = server.url
    page = new_page(profile())
    # Every footer state and version the reader is shown, in order.
    page.add_init_script("""
        window.__seen = [];
        new MutationObserver(() => {
            const s = document.getElementById('offline-status');
            if (s) window.__seen.push([s.dataset.state || '', document.documentElement.dataset.swVersion || '']);
        }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state', 'data-sw-version']});
    """)
    page.goto(url)
    page.evaluate("document.documentElement.dataset.offlineRetryMs = '500'")
    assert handler.arrived.wait(60), "the service worker never asked for the article"

    site.edit("inflammation-and-bone-loss.md", *CORRECTION)
    second = site.build()  # deployed while the first version's install waits for the article
    handler.release.set()

    wait_version(page, second)
    wait_state(page, "pages")
    seen = page.evaluate("window.__seen")
    assert ["failed", ""] in seen, seen  # the first version's copy did not verify: said so, and retried
    assert ["pages", second] in seen and all(version in ("", second) for _, version in seen), seen
    assert page.evaluate("caches.keys()") == [f"bone-calc-{second}"]
    cached = cached_files(page, f"bone-calc-{second}")
    manifest = site.manifest()
    assert cached == {path: digest for path, digest in manifest.items()
                      if not path.startswith(tuple(f[1:] for f in RUNTIME_FOLDERS))}
    server.stop()
    page.goto(url + ARTICLE)  # offline: the corrected article, from the verified copy
    assert CORRECTION[1] in page.text_content("main")


# --- 5. two tabs: an update never loses what was typed

def test_an_update_from_one_tab_keeps_the_answers_typed_in_another(site, profile, serve):
    old = site.build()
    server = serve(site.out)
    url = server.url
    context = profile()
    typing = new_page(context)
    typing.goto(url + ARTICLE)
    answers = {"age": "72", "sex": "female", "crp": "9", "crp_unit": "mg/L"}
    live_score(typing, answers)
    wait_state(typing, "ready")
    wait_version(typing, old)
    typing.evaluate("window.__sameDocument = true")

    # A new version of the calculator's code, deployed while the tab is open.
    worker = site.source / "static" / "js" / "worker" / "boot.js"
    worker.write_text(worker.read_text() + "\n// second build\n")
    new = site.build()
    other = new_page(context)
    other.goto(url + ARTICLE)  # the update arrives through this tab
    wait_version(other, new)
    wait_state(other, "ready")

    assert typing.evaluate("window.__sameDocument") is True  # never reloaded
    for key in ("age", "crp"):
        assert typing.input_value(f'[name="{key}"]') == answers[key]
    assert typing.is_checked('[name="sex"][value="female"]')
    assert_same_json(shown_result(typing), calc.assess(answers))
    live_score(typing, {**answers, "age": "73"})  # and its calculator still answers
    assert typing.problems == [] and other.problems == []


# --- 6. a home page visit is light

def visit_home(site, profile, serve):
    """A first visit to the home page, with bytes counted at the server, until the
    pages are saved for offline use; no runtime file has been asked for.
    Returns (server, url, page)."""
    site.build()
    server = serve(site.out, handler=CountingHandler)
    url = server.url
    page = new_page(profile())
    page.goto(url)
    wait_state(page, "pages")  # the pages are saved for offline use; nothing more will come
    assert not [path for path in server.server.requested if path.startswith(RUNTIME_FOLDERS)]
    return server, url, page


def test_a_home_page_visit_downloads_less_than_1_mb_counted_at_the_server(site, profile, serve):
    server, url, page = visit_home(site, profile, serve)
    assert page.locator(f'a[href="/{ARTICLE}"]').count() > 0  # it links to the calculator
    assert server.server.sent < 1_000_000, server.server.sent
    assert page.problems == []


# --- 7. a stalled runtime file ends in an error and Try again

# Which boot needs which file: the standard boot (the snapshot refused) needs every file of
# STANDARD_BOOT; a boot from the snapshot on the device needs SNAPSHOT_BOOT; neither needs
# the plain wasm while the gzipped one can be had.
STANDARD_BOOT = ["worker.js", "boot.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm.gz", "python_stdlib.zip",
                 "pyodide-lock.json", ".whl"]
SNAPSHOT_BOOT = ["snapshot.bin.gz", "probe.json"]
# Short enough for nine cases, long enough for any step that is not stalled (compiling, starting
# Python) on a busy machine; Try again then runs with the page's own limit.
STALL_LIMIT_MS = 15_000


def boot_with_a_stalled_file(site, watched_page, serve, stalled, step_limit_ms=None):
    """Open the calculator with every request for `stalled` held at the server, and type
    answers while Python starts; return (page, handler, inputs) once the page has settled."""
    if step_limit_ms:
        site.edit("templates/partials/calculator.html", 'data-step-timeout-ms="45000"',
                  f'data-step-timeout-ms="{step_limit_ms}"')
    site.build()
    handler = stalling_handler(stalled)
    server = serve(site.out, handler=handler)
    page = watched_page(service_workers="block")
    if stalled in SNAPSHOT_BOOT:
        keep_snapshot_on_device(page, server.url)  # the worker always restores a snapshot on the device
    else:
        page.route("**/snapshot.bin.gz", lambda route: route.abort())  # the standard boot
    handler.armed.set()
    # calc:settled is dispatched on the calculator's root; a capturing listener
    # on the document, there before any script runs, hears it.
    page.add_init_script("document.addEventListener('calc:settled', () => { window.__settled = true; }, true)")
    page.goto(server.url + ARTICLE)
    inputs = {"age": "66", "sex": "female", "crp": "5", "crp_unit": "mg/L"}
    fill(page, inputs)  # typed while it starts, as a reader may
    page.wait_for_function("() => document.getElementById('result').dataset.status !== 'loading'",
                           timeout=120_000)
    page.wait_for_function("() => window.__settled === true", timeout=30_000)
    return page, handler, inputs


@pytest.mark.parametrize("stalled", STANDARD_BOOT + SNAPSHOT_BOOT)
def test_a_stalled_runtime_file_ends_in_an_error_and_try_again(site, watched_page, serve, stalled):
    page, handler, inputs = boot_with_a_stalled_file(site, watched_page, serve, stalled, STALL_LIMIT_MS)
    assert page.get_attribute("#result", "data-status") == "error"
    assert handler.arrived.is_set(), f"the boot ended before it asked for {stalled}"
    assert "could not start" in page.text_content("#calc-status")
    assert "stalled" in page.get_attribute("#result", "data-error")
    assert page.is_visible("#calc-retry")
    handler.release.set()  # the file can be had again: Try again, with the page's own step limit
    page.evaluate("document.querySelector('#calculator').dataset.stepTimeoutMs = '45000'")
    page.click("#calc-retry")
    page.wait_for_function("() => document.getElementById('result').dataset.status !== 'loading'",
                           timeout=120_000)
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess(inputs))  # the answers typed before are kept


def test_a_stalled_plain_wasm_is_not_needed_when_the_gzipped_one_arrives(site, watched_page, serve):
    page, handler, inputs = boot_with_a_stalled_file(site, watched_page, serve, "pyodide.asm.wasm")
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess(inputs))
    assert not handler.arrived.is_set()
    handler.release.set()


# --- 8. addresses offline

def test_index_html_addresses_and_unknown_addresses_offline(site, profile, serve):
    site.build()
    server = serve(site.out)
    url = server.url
    page = new_page(profile())
    page.goto(url)
    wait_state(page, "pages")
    online = page.goto(url + "no-such-page/")
    assert online.status == 404
    online = page.goto(url + "rankl-opg-balance")  # the server redirects to the slash
    assert online.status == 200 and page.url == url + "rankl-opg-balance/"

    server.stop()
    response = page.goto(url + "rankl-opg-balance/index.html")
    assert response.status == 200 and "OPG" in page.text_content("h1")
    response = page.goto(url + "index.html")
    assert response.status == 200 and page.locator(f'a[href="/{ARTICLE}"]').count() > 0
    response = page.goto(url + "no-such-page/")
    assert response.status == 404
    assert "could not find that page" in page.text_content("h1")
    response = page.goto(url + "rankl-opg-balance/")
    assert response.status == 200 and "OPG" in page.text_content("h1")
    response = page.goto(url + "rankl-opg-balance")  # no slash: the server would have redirected
    assert response.status == 200 and "OPG" in page.text_content("h1")
    # under the content-addressed folders too, and where the percent-encoding is broken
    for address in ("static/nope/", "static/000000000000/js/gone.js", "calc/nope/", "pyodide/x/pyodide.mjs",
                    "snapshot/nope", "%E0%A4%A/", "rankl-opg-balance/%ZZ"):
        response = page.goto(url + address)
        assert response.status == 404, address
        assert "could not find that page" in page.text_content("h1"), address


# --- a damaged download, and a full disk

def keep_from_home(site, profile, serve, handler):
    site.build()
    server = serve(site.out, handler=handler)
    page = new_page(profile())
    page.goto(server.url)
    wait_state(page, "pages")
    page.click("#offline-keep")
    return server, page


def test_a_runtime_file_damaged_once_is_fetched_again_past_the_http_cache(site, profile, serve):
    # Once kept by the browser's HTTP cache as immutable, a damaged copy was read back at every try.
    handler = damaging_handler("python_stdlib.zip", times=1)
    server, page = keep_from_home(site, profile, serve, handler)
    wait_state(page, "ready")
    assert len(handler.sent) == 2  # the damaged one, and once more from the server itself
    manifest = site.manifest()
    cached = cached_files(page, f"bone-calc-{site.version()}")
    assert {path: digest for path, digest in cached.items() if path in manifest} == manifest


def test_a_runtime_file_damaged_every_time_is_reported_as_a_damaged_download(site, profile, serve):
    handler = damaging_handler("python_stdlib.zip", times=10**6)
    server, page = keep_from_home(site, profile, serve, handler)
    wait_state(page, "failed")
    assert "a file arrived damaged" in page.text_content("#offline-status")
    assert "new deploy" not in page.text_content("#offline-status")


def test_a_full_disk_is_said_cleaned_up_and_not_retried(site, profile, serve):
    site.build()
    server = serve(site.out)
    page = new_page(profile())
    page.add_init_script("""window.__states = [];
        new MutationObserver(() => {
            const s = document.getElementById('offline-status');
            if (s && s.dataset.state !== window.__states.at(-1)) window.__states.push(s.dataset.state);
        }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});""")
    page.goto(server.url)
    wait_state(page, "pages")
    # room for the pages (0.2 MB), not for the calculator (about 21 MB)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": server.url.rstrip("/"), "quotaSize": 5_000_000})
    page.click("#offline-keep")
    wait_state(page, "full")
    assert "not enough storage" in page.text_content("#offline-status")
    assert page.is_visible("#offline-keep")  # the reader may free room and ask again
    # said as full, never as a failure to try again in a minute (21 MB again, for ever)
    states = page.evaluate("window.__states")
    assert states[-2:] == ["keeping", "full"] and "failed" not in states, states
    cached = cached_files(page, f"bone-calc-{site.version()}")
    assert not [path for path in cached if path.startswith(tuple(f[1:] for f in RUNTIME_FOLDERS))]  # cleaned up
    assert "offline/keep-calculator" not in cached  # a later version does not try again by itself


# --- "Keep the calculator for offline use", from a page without the calculator

def test_keep_the_calculator_from_the_home_page_then_it_works_offline(site, profile, serve):
    server, url, page = visit_home(site, profile, serve)
    page.click("#offline-keep")
    wait_state(page, "ready")
    assert [path for path in server.server.requested if path.startswith(RUNTIME_FOLDERS)]

    server.stop()
    page.goto(url + ARTICLE)  # never opened online in this profile
    live_score(page, {"age": "66", "sex": "female", "crp": "5", "crp_unit": "mg/L"})
    assert page.problems == []
