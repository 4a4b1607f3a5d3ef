#!/usr/bin/env python3
"""Find the Chromium the browser tests drive, installing Debian's if there is none.

Playwright's own Chromium is preferred where it is installed. It cannot be
downloaded on every machine, so Debian's /usr/bin/chromium is the fallback.

    python -m scripts.find_browser            # print the executable ("" = Playwright's own)
    python -m scripts.find_browser --install  # apt-get install chromium if neither exists
"""

import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
SCRIPTS = Path(__file__).resolve().parent
# How the tests and the benchmark launch Chromium: no sandbox (containers), no
# GPU, and none of the browser's own network traffic, which is not the site's.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def playwright_chromium():
    """Path of Playwright's own Chromium if it is installed, else None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        path = Path(p.chromium.executable_path)
    return path if path.exists() else None


def find(own=None):
    """("playwright", path) or ("debian", path), or None when there is no browser.

    `own`: Playwright's Chromium path when the caller already runs Playwright.
    """
    own = own if own is not None else playwright_chromium()
    if own and Path(own).exists():
        return "playwright", own
    if DEBIAN_CHROMIUM.exists():
        return "debian", DEBIAN_CHROMIUM
    return None


def launch_options(own=None):
    """Playwright's launch options for the Chromium find() picks, or None."""
    found = find(own)
    if found is None:
        return None
    options = {"args": CHROMIUM_ARGS}
    if found[0] == "debian":
        options["executable_path"] = str(found[1])
    return options


def main(argv):
    found = find()
    if found is None and "--install" in argv:
        print("No Chromium found: installing Debian's chromium package", file=sys.stderr)
        subprocess.run([str(SCRIPTS / "apt-install"), "chromium"], check=True)
        found = find()
    if found is None:
        print("No Chromium: run 'make browser' (installs Debian's chromium)", file=sys.stderr)
        return 1
    print(f"browser: {found[0]} chromium at {found[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
