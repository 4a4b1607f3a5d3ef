"""The site's speed beside the runtime's own floor: a benchmark, not a test.

All in one run, so that ratios hold on a noisy machine. Headless Chromium on a
local server; medians and min-max over --runs runs (default 5) of:

  first live score   navigation start to the first result on screen (the page's
                     own calc:first-result mark; an age is typed as soon as the
                     page can take it), on a cold visit (fresh browser context:
                     nothing cached), a warm reload (a persistent profile after
                     one visit: HTTP cache, compiled-code cache and service
                     worker) and an offline reload (the same, with the server
                     stopped)
  floor              a page that only runs loadPyodide() and runPython("1+1")
                     from the same files, in a worker, cold and warm
  micropip recipe    the usual way: loadPyodide, loadPackage("micropip"),
                     micropip.install(calc wheel), import calc, one assess()
  first paint        first contentful paint of the article, and of the same
                     page without the calculator (30 pairs, in alternating order)
  input to result    200 changes to a field, each timed from the input event to
                     the new result on screen, p50 and p95
  blocking time      main-thread long tasks from navigation to the first result
                     (total blocking time: the part of each task over 50 ms)
  bytes              every file of a cold visit, raw, gzip -9 and brotli
  phone on 4G        a 390x844 mobile context on an emulated 4G link (CDP: 9 Mbit/s
                     down, 150 ms round trip), served by a local server that gzips
                     text and wasm as a CDN does: the first live score of a first
                     visit beside the floor's, interleaved, and the bytes each sent
                     over the wire until then (counted at the server, so the
                     worker's and the service worker's requests are in it)

    make bench            (or .venv/bin/python -m bench.bench_site --runs 5)
    .venv/bin/python -m bench.bench_site --mobile-only --runs 2   (the 4G section alone)
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import build
from sitebuild.runtime import pyodide_version
from sitebuild import assets
from sitebuild.templates import render
from scripts.find_browser import launch_options
from scripts.serve import Handler, Restartable, make_server

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = "inflammation-and-bone-loss/"
FRAME_MS = 1000 / 60
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
    .observe({type: 'longtask', buffered: true});
"""

# --- comparison pages, served from the same origin and the same runtime files

FLOOR_PAGE = """<!doctype html><meta charset="utf-8"><title>floor</title><p id="out">starting</p>
<script type="module" src="floor.js"></script>"""
FLOOR_JS = """
const worker = new Worker("floor-worker.js", {type: "module"});
worker.onmessage = (e) => { performance.mark("bench:done"); document.getElementById("out").textContent = e.data; };
worker.postMessage({runtime: new URL(%(runtime)s, location.href).href, lock: new URL(%(lock)s, location.href).href,
                    wheel: new URL(%(wheel)s, location.href).href, mode: %(mode)s});
"""
FLOOR_WORKER = """
self.onmessage = async (event) => {
  const {runtime, lock, wheel, mode} = event.data;
  const {loadPyodide} = await import(runtime + "pyodide.mjs");
  const pyodide = await loadPyodide({indexURL: runtime, lockFileURL: lock});
  if (mode === "floor") {
    self.postMessage(String(pyodide.runPython("1+1")));
    return;
  }
  await pyodide.loadPackage("micropip");
  const micropip = pyodide.pyimport("micropip");
  await micropip.install(wheel);
  self.postMessage(pyodide.runPython("import calc; str(calc.assess({'age': '60'})['score'])"));
};
"""


def micropip_wheel(cache):
    """micropip at the version Pyodide's lock names, from PyPI (cached)."""
    upstream = json.loads((build.PYODIDE_NPM / "pyodide-lock.json").read_text())
    entry = upstream["packages"]["micropip"]
    path = cache / entry["file_name"]
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--python-version", upstream["info"]["python"].rsplit(".", 1)[0],
                        f"micropip=={entry['version']}", "-d", str(cache)], check=True)
    return path, entry, upstream["info"]


def add_comparison_pages(site, settings):
    bench = site / "_bench"
    bench.mkdir()
    runtime = f"../pyodide/{next((site / 'pyodide').glob(pyodide_version(build.PYODIDE_NPM) + '-*')).name}/"  # <version>-<hash>
    # The floor is bare Pyodide as it comes: the whole standard library, where
    # loadPyodide looks for it (the site itself serves only the part calc needs).
    # Copied into this throwaway bench copy of the site only; a real build's
    # runtime folder never changes after it is named.
    shutil.copy(build.PYODIDE_NPM / "python_stdlib.zip", site / runtime.lstrip("./") / "python_stdlib.zip")
    calc_lock = next((site / "calc").glob("*/pyodide-lock.json"))
    wheel = next(calc_lock.parent.glob("*.whl"))
    rel_lock = f"../calc/{calc_lock.parent.name}/pyodide-lock.json"
    rel_wheel = f"../calc/{calc_lock.parent.name}/{wheel.name}"

    # micropip's wheel on PyPI is not byte-identical to the one Pyodide's lock
    # describes, so the recipe gets a lock entry with the real sha256.
    mp_path, mp_entry, info = micropip_wheel(ROOT / ".cache" / "bench")
    shutil.copy(mp_path, bench / mp_path.name)
    mp_entry = {**mp_entry, "sha256": hashlib.sha256(mp_path.read_bytes()).hexdigest()}
    (bench / "pyodide-lock.json").write_text(json.dumps({"info": info, "packages": {"micropip": mp_entry}}))

    for name, mode, lock in [("floor", "floor", rel_lock), ("micropip", "micropip", "pyodide-lock.json")]:
        (bench / f"{name}.html").write_text(FLOOR_PAGE.replace("floor.js", f"{name}.js"))
        (bench / f"{name}.js").write_text(FLOOR_JS % {
            "runtime": json.dumps(runtime), "lock": json.dumps(lock), "wheel": json.dumps(rel_wheel),
            "mode": json.dumps(mode)})
    (bench / "floor-worker.js").write_text(FLOOR_WORKER)

    # The article without the calculator, rendered by the same templates and
    # linking the same hashed CSS (copying again gives the same names): without
    # it the page would load no stylesheet at all and paint early.
    env = build.make_env(settings, static=assets.copy_static(build.SITE / "static", site))
    page = next(p for p in build.read_pages() if p.url == ARTICLE)
    page.segments = [s for s in page.segments if s != ("include", "calculator")]
    page.meta = {**page.meta, "calculator": False}
    render(env, "article.html", bench / "nocalc" / "index.html", pages=[page], page=page,
                 runtime="", calc_lock="", snapshot={})
    # A comparison page that links a missing file measures nothing useful.
    linked = re.findall(r'(?:href|src)="/(static/[^"]+)"', (bench / "nocalc" / "index.html").read_text())
    missing = [path for path in linked if not (site / path).is_file()]
    if not linked or missing:
        sys.exit(f"bench: the page without the calculator links files that are not there: {missing}")


# --- a phone on 4G

# The link of issue 14: what most phone readers have. CDP's throttling applies
# to the page and to its dedicated worker, which fetches the runtime.
LINK_4G = {"offline": False, "latency": 150, "downloadThroughput": 9_000_000 / 8, "uploadThroughput": 3_000_000 / 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
# What a CDN compresses: text and wasm, not archives or files already gzipped.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/wasm", "application/xml",
                    "image/svg+xml", "application/manifest+json")


class CdnHandler(Handler):
    """Serves as a CDN does (gzip for text and wasm when the browser accepts it),
    and counts the bytes it puts on the wire, which is what a phone pays for."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return super().do_GET()  # 404s and redirects as usual
        ctype = self.guess_type(str(path))
        body = path.read_bytes()
        encoded = (self.server.gzip and "gzip" in self.headers.get("Accept-Encoding", "")
                   and ctype.startswith(COMPRESSED_TYPES))
        if encoded:
            body = self.server.gzipped(path, body)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        with self.server.lock:
            self.server.sent += len(body)


def cdn_server(root, gzip_text=True):
    """A server on a free port; `.sent` counts body bytes, `.gzipped` caches gzip -6 bodies."""
    server = make_server(root, 0, handler=CdnHandler)
    cache = {}

    def gzipped(path, body):
        if path not in cache:
            cache[path] = gzip.compress(body, 6)
        return cache[path]
    server.gzip, server.gzipped, server.sent, server.lock = gzip_text, gzipped, 0, threading.Lock()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def on_4g(browser):
    # The service worker registers only after the first result; its offline copy
    # is blocked here so that the bytes counted are those before the first score.
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK_4G)
    return context, page


def mobile_runs(browser, site, runs):
    """First visits on 4G, floor and page interleaved: ms to the first score and bytes sent until then."""
    results = {key: [] for key in ("floor", "page", "floor_plain", "page_plain")}
    servers = {True: cdn_server(site, True), False: cdn_server(site, False)}
    for _ in range(runs):
        for gzip_text, suffix in ((True, ""), (False, "_plain")):
            server, url = servers[gzip_text]
            for name in ("floor", "page"):
                context, page = on_4g(browser)
                server.sent = 0
                if name == "floor":
                    page.goto(url + "_bench/floor.html")
                    figures = {"first": mark(page, "bench:done", timeout=180_000)}
                else:
                    figures = first_score(page, url, timeout=180_000)
                figures["bytes"] = server.sent
                results[name + suffix].append(figures)
                context.close()
    for server, _ in servers.values():
        server.shutdown()
        server.server_close()
    return results


def print_mobile(results):
    print("\nPhone on emulated 4G (390x844, 9 Mbit/s down, 150 ms round trip), first visit, "
          f"{len(results['page'])} runs each, floor and page interleaved; load: {load()}")
    modes = sorted({str(r.get("mode")) for r in results["page"] + results["page_plain"]})
    print(f"boot modes seen on the calculator page: {', '.join(modes)}\n")
    print("| first live score on 4G | median ms | min to max | vs floor | bytes sent until then |")
    print("|---|---|---|---|---|")
    for suffix, host in (("", "server gzips text and wasm"), ("_plain", "server compresses nothing")):
        floor = summary([r["first"] for r in results["floor" + suffix]])
        page = summary([r["first"] for r in results["page" + suffix]])
        floor_bytes = statistics.median(r["bytes"] for r in results["floor" + suffix])
        page_bytes = statistics.median(r["bytes"] for r in results["page" + suffix])
        print(f"| floor ({host}) | {floor['median']:.0f} | {floor['min']:.0f} to {floor['max']:.0f} | "
              f"| {floor_bytes:,.0f} |")
        print(f"| **calculator page** ({host}) | {page['median']:.0f} | {page['min']:.0f} to {page['max']:.0f} | "
              f"{page['median'] / floor['median']:.2f}x | {page_bytes:,.0f} ({page_bytes / floor_bytes:.2f}x) |")


def load():
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores"


# --- measuring

FCP_PAIRS = 30  # first paints of each page (see where they are measured)


def mark(page, name, timeout=120_000):
    # function form: the site's CSP rightly refuses Playwright's eval of a bare expression
    page.wait_for_function("name => performance.getEntriesByName(name).length > 0", arg=name, timeout=timeout)
    return page.evaluate("name => performance.getEntriesByName(name)[0].startTime", name)


def first_score(page, url, timeout=120_000):
    """Open the article, type an age as soon as possible, return its figures."""
    page.goto(url + ARTICLE, wait_until="domcontentloaded", timeout=timeout)
    page.fill('[name="age"]', "61", timeout=timeout)
    done = mark(page, "calc:first-result", timeout=timeout)
    tasks = page.evaluate("window.__longTasks || []")
    return {
        "first": done,
        "tbt": sum(max(0.0, d - 50) for start, d in tasks if start < done),
        "fcp": page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"),
        "mode": page.get_attribute("#calculator", "data-boot-mode"),
    }


def fcp(page, url):
    page.goto(url)
    return mark(page, "first-contentful-paint")


INPUT_LATENCY = """async (n) => {
  const field = document.querySelector('[name="age"]');
  const result = document.getElementById('result');
  const dom = [], frame = [];
  for (let i = 0; i < n; i++) {
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (result.dataset.status === 'ready' && !result.hasAttribute('aria-busy')) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(result, {attributes: true, attributeFilter: ['data-json', 'aria-busy']});
    });
    await new Promise(requestAnimationFrame);  // start each change at a frame, as typing does
    const start = performance.now();
    field.value = String(30 + (i % 60));
    field.dispatchEvent(new Event('input', {bubbles: true}));
    dom.push((await changed) - start);  // the new result is in the page
    await new Promise(requestAnimationFrame);  // and the next frame, which paints it, has begun
    frame.push(performance.now() - start);
  }
  return {dom, frame};
}"""


def summary(values):
    values = [v for v in values if v is not None]
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def sizes(paths):
    """(raw, gzip -9, brotli) bytes of each file; brotli through Node's zlib."""
    script = ("const z=require('zlib'),fs=require('fs');for(const p of process.argv.slice(1))"
              "console.log(z.brotliCompressSync(fs.readFileSync(p),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)")
    brotli = subprocess.run(["node", "-e", script, *map(str, paths)], capture_output=True, text=True,
                            check=True).stdout.split()
    return {p: (p.stat().st_size, len(gzip.compress(p.read_bytes(), 9)), int(b)) for p, b in zip(paths, brotli)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mobile-runs", type=int, help="runs of the 4G section (default: --runs, at most 3)")
    parser.add_argument("--mobile-only", action="store_true", help="only the phone-on-4G section")
    args = parser.parse_args(argv)
    mobile_count = args.mobile_runs or min(args.runs, 3)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    site = work / "site"
    build.build(site)
    add_comparison_pages(site, build.load_settings())
    server = Restartable(site)
    url = server.start()
    runs = args.runs
    cold_files = set()

    with sync_playwright() as p:
        launch = launch_options(own=p.chromium.executable_path)
        if launch is None:
            sys.exit("No Chromium: run 'make browser' (installs Debian's chromium)")
        browser = p.chromium.launch(**launch)
        print(f"load before: {load()}")
        if args.mobile_only:
            print_mobile(mobile_runs(browser, site, mobile_count))
            browser.close()
            shutil.rmtree(work, ignore_errors=True)
            return
        mobile = mobile_runs(browser, site, mobile_count)

        def fresh_page(record=False):
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(LONG_TASKS)
            if record:
                page.on("response", lambda r: cold_files.add(r.url))
            return context, page

        # cold visits, interleaved so that machine noise hits all of them alike
        cold = {"page": [], "standard": [], "floor": [], "micropip": [], "fcp_page": [], "fcp_nocalc": []}
        for i in range(runs):
            context, page = fresh_page(record=(i == 0))
            if i == 0:
                context.on("response", lambda r: cold_files.add(r.url))  # worker requests too
            cold["page"].append(first_score(page, url))
            context.close()
            context, page = fresh_page()  # the same page with the snapshot refused: a normal boot
            page.route("**/snapshot.bin.gz", lambda route: route.abort())
            cold["standard"].append(first_score(page, url))
            context.close()
            for name in ("floor", "micropip"):
                context, page = fresh_page()
                page.goto(url + f"_bench/{name}.html")
                cold[name].append(mark(page, "bench:done"))
                context.close()
        # First paint, in a loop of its own, pairs in alternating order. It was
        # measured inside the loop above, the article always first and right
        # after the heavy cold visits: two runs read 1.08x and 1.33x, while 40
        # pairs on their own read 1.01x to 1.2x, and the same article with its
        # scripts removed painted no sooner. First paint varies more from one
        # load to the next than the difference looked for, hence FCP_PAIRS.
        pages = (("fcp_page", ARTICLE), ("fcp_nocalc", "_bench/nocalc/"))
        for i in range(FCP_PAIRS):
            for name, path in pages if i % 2 == 0 else pages[::-1]:
                context, page = fresh_page()
                cold[name].append(fcp(page, url + path))
                context.close()

        # warm reloads: persistent profiles, one visit first
        def persistent(name):
            context = p.chromium.launch_persistent_context(str(work / f"profile-{name}"), **launch)
            page = context.pages[0] if context.pages else context.new_page()
            page.add_init_script(LONG_TASKS)
            return context, page

        site_context, site_page = persistent("site")
        first_score(site_page, url)
        site_page.wait_for_selector("#offline-status[data-state=ready]", timeout=120_000)
        warm = [first_score(site_page, url) for _ in range(runs)]
        latencies = site_page.evaluate(INPUT_LATENCY, 200)

        floor_context, floor_page = persistent("floor")
        floor_page.goto(url + "_bench/floor.html")
        mark(floor_page, "bench:done")
        warm_floor = []
        for _ in range(runs):
            floor_page.goto(url + "_bench/floor.html")
            warm_floor.append(mark(floor_page, "bench:done"))
        floor_context.close()

        server.stop()  # offline: only the service worker answers
        offline = [first_score(site_page, url) for _ in range(runs)]
        site_context.close()
        browser.close()

    # --- report
    def row(label, values, floor=None):
        s = summary(values)
        ratio = f"{s['median'] / floor:.2f}x" if floor else ""
        return f"| {label} | {s['median']:.0f} | {s['min']:.0f} to {s['max']:.0f} | {ratio} |"

    floor_cold = summary(cold["floor"])["median"]
    floor_warm = summary(warm_floor)["median"]
    modes = sorted({r["mode"] for r in cold["page"] + warm + offline})
    print(f"\nBenchmark: {runs} runs each, headless Chromium, local server, ms from navigation start; load: {load()}")
    print(f"boot modes seen on the calculator page: {', '.join(modes)}\n")
    print("| first live score | median ms | min to max | vs floor |")
    print("|---|---|---|---|")
    print(row("floor, cold: loadPyodide + runPython('1+1')", cold["floor"]))
    print(row("**calculator page, cold**", [r["first"] for r in cold["page"]], floor_cold))
    print(row("calculator page, cold, snapshot refused (normal boot)", [r["first"] for r in cold["standard"]],
              floor_cold))
    print(row("micropip recipe, cold", cold["micropip"], floor_cold))
    print(row("floor, warm", warm_floor))
    print(row("**calculator page, warm reload**", [r["first"] for r in warm], floor_warm))
    print(row("**calculator page, offline reload**", [r["first"] for r in offline], floor_warm))
    print("\n| other figures | median | min to max | target |")
    print("|---|---|---|---|")
    page_fcp, nocalc_fcp = summary(cold["fcp_page"]), summary(cold["fcp_nocalc"])
    print(f"| first contentful paint, article with calculator | {page_fcp['median']:.0f} ms | "
          f"{page_fcp['min']:.0f} to {page_fcp['max']:.0f} | |")
    print(f"| first contentful paint, same page without it | {nocalc_fcp['median']:.0f} ms | "
          f"{nocalc_fcp['min']:.0f} to {nocalc_fcp['max']:.0f} | |")
    print(f"| ratio | {page_fcp['median'] / nocalc_fcp['median']:.2f}x | | at most 1.05x |")
    dom = latencies["dom"]
    print(f"| input to result in the page, p50 / p95 over {len(dom)} changes | {percentile(dom, 50):.1f} / "
          f"{percentile(dom, 95):.1f} ms | {min(dom):.1f} to {max(dom):.1f} | p95 at most 16 ms |")
    # Each change starts on a frame; the next frame starts about 16.7 ms later.
    next_frame = sum(1 for t in latencies["frame"] if t < 2 * FRAME_MS) / len(latencies["frame"])
    print(f"| changes whose result is painted in the very next frame | {100 * next_frame:.0f}% | | |")
    tbt = summary([r["tbt"] for r in cold["page"]])
    print(f"| total blocking time during a cold boot | {tbt['median']:.0f} ms | {tbt['min']:.0f} to {tbt['max']:.0f} "
          "| at most 50 ms |")

    files = sorted({site / u.split(url, 1)[1].split("?")[0] for u in cold_files if u.startswith(url)})
    files = [f if f.is_file() else f / "index.html" for f in files]
    measured = sizes([f for f in files if f.is_file()])
    print("\n| file fetched on a cold visit | raw | gzip | brotli |")
    print("|---|---|---|---|")
    totals = [0, 0, 0]
    for path, (raw, gz, br) in sorted(measured.items(), key=lambda item: -item[1][0]):
        totals = [t + v for t, v in zip(totals, (raw, gz, br))]
        print(f"| {path.relative_to(site)} | {raw:,} | {gz:,} | {br:,} |")
    print(f"| **total** | **{totals[0]:,}** | **{totals[1]:,}** | **{totals[2]:,}** |")
    print_mobile(mobile)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
