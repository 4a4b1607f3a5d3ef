"""Bytes of a first visit to the home page, counted at the server: a benchmark, not a test.

The service worker's downloads are not reported as the page's own requests, so
the server counts every byte it sends (headers and bodies). One fresh
persistent Chromium profile opens the home page and waits until the footer
reports the offline copy's state and the server has been quiet for two
seconds.

    make bench            (or .venv/bin/python -m bench.bench_visit)
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import build
from scripts.find_browser import launch_options
from scripts.serve import CountingHandler, Restartable

ROOT = Path(__file__).resolve().parent.parent

# The footer's states that end a home page visit's downloads.
RESTING = "#offline-status:is([data-state=ready], [data-state=pages], [data-state=failed], [data-state=unavailable])"


def wait_quiet(server, seconds=2.0, limit=120.0):
    """Wait until the server has sent nothing for `seconds`."""
    end = time.monotonic() + limit
    last, since = server.sent, time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.25)
        if server.sent != last:
            last, since = server.sent, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return


def home_visit(site, user_data_dir):
    """(bytes, paths) the server sent for one first visit to the home page."""
    from playwright.sync_api import sync_playwright

    server = Restartable(site, handler=CountingHandler)
    url = server.start()
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(str(user_data_dir), headless=True,
                                                           **launch_options(own=p.chromium.executable_path))
            try:
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector(RESTING, state="attached", timeout=120_000)
                wait_quiet(server.server)
            finally:
                context.close()
        return server.server.sent, list(server.server.requested)
    finally:
        server.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "_site"
        build.build(site)
        sent, paths = home_visit(site, Path(tmp) / "profile")
    print(f"home page visit, first time, counted at the server: {sent / 1e6:.2f} MB in {len(paths)} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
