"""How long a reader waits for the first live score: a benchmark, not a test.

Serves the built site on localhost, opens the article in Chromium N times in
fresh browser contexts (cold: nothing cached, so the 9.6 MB wasm is fetched
and compiled every time), types an age as soon as the page is interactive,
and reads the page's own performance marks:
  calc:python-ready   the worker has booted Python and imported calc
  calc:first-result   the first result is on screen (#result ready)
Times are from navigation start. Medians and min-max are printed.

    make site && .venv/bin/python bench/bench_boot.py [--runs 5]
"""

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from find_browser import find  # noqa: E402
from serve import serve_in_thread  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MARKS = ("calc:python-ready", "calc:first-result")


def one_run(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.fill('[name="age"]', "60")
    page.wait_for_selector("#result[data-status=ready]", timeout=120_000)
    marks = page.evaluate(
        "names => names.map(n => performance.getEntriesByName(n)[0].startTime)", list(MARKS))
    context.close()
    return dict(zip(MARKS, marks))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", default=str(ROOT / "_site"))
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    server, base = serve_in_thread(args.site)
    with sync_playwright() as p:
        found = find(own=p.chromium.executable_path)
        launch = {"args": ARGS}
        if found and found[0] == "debian":
            launch["executable_path"] = str(found[1])
        browser = p.chromium.launch(**launch)
        runs = [one_run(browser, base + "inflammation-and-bone-loss/") for _ in range(args.runs)]
        browser.close()
    server.shutdown()
    print(f"cold visits, {args.runs} runs, ms from navigation start")
    for mark in MARKS:
        values = [r[mark] for r in runs]
        print(f"  {mark:20} median {statistics.median(values):7.0f}   min {min(values):7.0f}   max {max(values):7.0f}")


if __name__ == "__main__":
    main()
