"""Every page lays out without horizontal scrolling, on a phone and on a desktop."""

from pathlib import Path

import pytest

import build
from tests.browser.pagetools import fill, settle, watch_console

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WIDTHS = {"phone": 360, "desktop": 1280}
PAGES = ["", "404.html"] + [p.url for p in build.read_pages()]


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("path", PAGES, ids=[p or "index" for p in PAGES])
def test_no_horizontal_scrolling(browser, site_url, path, width):
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 800})
    page = context.new_page()
    problems = watch_console(page)
    page.goto(site_url + path)
    if page.locator("#calculator").count():
        page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
        # with results showing, the widest the page gets
        fill(page, {"age": "67", "sex": "female", "menopause": "yes", "height_cm": "160", "weight_kg": "55",
                    "vitamin_d": "18", "crp": "4", "rankl": "25", "falls": "yes"})
        assert settle(page) == "ready"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{(path.strip('/') or 'index').replace('/', '_')}-{width}.png"), full_page=True)
    assert horizontal_overflow(page) <= 0
    assert problems == []
    context.close()
